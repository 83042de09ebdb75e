"""The exported script reproduces the app's run: run in a subprocess where `playground`
cannot be imported, its initial weights, first 50 training losses, validation losses and
weights after 50 steps equal the app's own Trainer on the same config (1e-5 relative).

Dropout: the app draws dropout masks from torch's global generator and does not seed it;
the script seeds it with `torch.manual_seed(SEED)` before building its model. Here the
app's Trainer is built right after `torch.manual_seed(seed)` too, so the masks agree.
"""
from __future__ import annotations

import ast
import csv
import os
import subprocess
import sys

import io

import pandas as pd
import pytest
import torch

from playground.codegen import build_script, script_name, source_for
from playground.config import RunConfig
from playground.data import names as names_data
from playground.data import drawn_points, news_corpus, text, toy2d, user_data
from playground.data.news_csv import read_news_csv
from playground.lessons.names import TRAIN_PRESET as NAMES_LESSON
from playground.lessons.news import PRESET as NEWS_LESSON
from playground.training.trainer import Trainer

STEPS = 50
RTOL = 1e-5
NEWS_FILE, NAMES_FILE = "my headlines.csv", "pets.txt"
TABLE_FILE, PARQUET_FILE = "my pets.csv", "pets.parquet"
# A semicolon-separated table: a text feature (one-hot), a missing weight (rows dropped),
# a numeric label with three classes; and the same rows as Parquet.
TABLE_ROWS = [(["red", "green", "blue"][i % 3], i % 10, "" if i % 17 == 3 else (i * 7) % 13,
               i % 3) for i in range(180)]
TABLE_BYTES = ("colour;size;weight;kind\n" + "".join(
    f"{c};{s};{w};{k}\n" for c, s, w, k in TABLE_ROWS)).encode()
_buffer = io.BytesIO()
pd.DataFrame({"size": [r[1] for r in TABLE_ROWS], "colour": [r[0] for r in TABLE_ROWS],
              "kind": [f"k{r[3]}" for r in TABLE_ROWS]}).to_parquet(_buffer, index=False)
PARQUET_BYTES = _buffer.getvalue()

CASES = {
    "spiral, Adam (the default setup)": RunConfig(),
    "circle, SGD, cosine, clipping": RunConfig(
        dataset="circle", optimizer="sgd", lr=0.5, scheduler="cosine", length=200, clip=0.5,
        batch_size=16, activation="relu", init="kaiming_uniform"),
    "moons, momentum, step decay, dropout": RunConfig(
        dataset="moons", optimizer="momentum", lr=0.05, momentum=0.8, scheduler="step",
        step_size=1, gamma=0.5, dropout=0.2, batch_size=64, seed=3),
    "xor, Nesterov, exponential, sigmoid": RunConfig(
        dataset="xor", optimizer="nesterov", lr=0.1, scheduler="exponential", gamma=0.8,
        activation="sigmoid", init="xavier_normal", batch_size=100, noise=0.3),
    "gauss, RMSprop + momentum, one-cycle, N(0, σ)": RunConfig(
        dataset="gauss", classes=4, optimizer="rmsprop", rmsprop_momentum=0.5, lr=0.003,
        scheduler="onecycle", length=120, init="normal", init_std=0.5, activation="gelu",
        weight_decay=0.001),
    "circle, input features X₁², X₂², X₁X₂, sin X₁, no hidden layer": RunConfig(
        dataset="circle", features="x1sq,x2sq,x1x2,sinx1", hidden_layers=0, optimizer="sgd",
        lr=0.5),
    "spiral, all seven input features, tanh": RunConfig(
        features="x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2", width=8),
    "spiral, Adagrad, linear model, zeros": RunConfig(
        dataset="spiral", optimizer="adagrad", lr=0.1, hidden_layers=0, init="zeros",
        seed=11, test_fraction=0.0),
    "plane regression, SGD, MSE": RunConfig(dataset="plane", optimizer="sgd", lr=0.1,
                                            hidden_layers=1, width=8, seed=2),
    "multi-Gaussian regression, Adam, Huber, X₁X₂": RunConfig(
        dataset="multigauss", regression_loss="huber", huber_delta=0.5,
        features="x1,x2,x1x2", noise=0.3, batch_size=16),
    "sine regression (1-D), momentum, cosine, dropout": RunConfig(
        dataset="sin", optimizer="momentum", lr=0.05, scheduler="cosine", length=200,
        dropout=0.1, activation="relu", seed=4),
    "digits, AdamW, dropout, full batch": RunConfig(
        dataset="digits", optimizer="adamw", adamw_decay=0.05, lr=0.003, dropout=0.3,
        batch_size=0, length_unit="epochs", length=60, init="kaiming_normal",
        activation="relu", width=32),
    "digits, SGD, orthogonal, linear activation, clipping": RunConfig(
        dataset="digits", optimizer="sgd", lr=0.2, init="orthogonal", activation="linear",
        hidden_layers=1, width=32, clip=1.0, batch_size=50, seed=7),
    "news, the lesson's SGD at LR 5, step decay, clipping": NEWS_LESSON,
    "news, Adam, cosine": RunConfig(dataset="news", optimizer="adam", lr=0.01, embed_dim=16,
                                    scheduler="cosine", length=400, seed=2),
    "names, the makemore lesson's SGD and step decay": NAMES_LESSON,
    "names, Adam, one-cycle, dropout": RunConfig(
        dataset="names", optimizer="adam", lr=0.005, context=4, embed_dim=5, width=64,
        dropout=0.1, scheduler="onecycle", length=300, seed=5),
    "surnames, momentum, clipping": RunConfig(
        dataset="surnames", optimizer="momentum", lr=0.05, embed_dim=3, width=50,
        hidden_layers=1, batch_size=128, clip=2.0),
    "a drawn set in the link, 3 classes, label noise, X₁² features": RunConfig(
        dataset="draw", points=drawn_points.encode(*toy2d.points("gauss", 90, 0.2, 3, 4)),
        label_noise=0.2, features="x1,x2,x1sq", batch_size=16, seed=4),
    "a drawn set kept on the server (600 points), SGD + momentum": RunConfig(
        dataset="draw", points=drawn_points.encode(*toy2d.points("spiral", 600, 0.1, 2, 1)),
        optimizer="momentum", lr=0.05, test_fraction=0.0),
    "moons with label noise, Adam": RunConfig(dataset="moons", label_noise=0.3, seed=6),
    "your news CSV, SGD": RunConfig(dataset="news", optimizer="sgd", lr=2.0, embed_dim=8,
                                    batch_size=16, seed=4),
    "your names file, RMSprop": RunConfig(dataset="names", optimizer="rmsprop", lr=0.01,
                                          width=32, hidden_layers=2, batch_size=8, seed=9),
    "iris, momentum": RunConfig(dataset="table", table="iris", optimizer="momentum", lr=0.05,
                                batch_size=16, width=8),
    "breast cancer, Adam, dropout": RunConfig(dataset="table", table="breast_cancer",
                                              dropout=0.2, activation="relu", seed=2),
    "your table CSV, text feature, missing rows dropped": RunConfig(
        dataset="table", table=user_data.content_key(TABLE_BYTES), label_column="kind",
        drop_missing=1, optimizer="adam", lr=0.01, batch_size=16, seed=3),
    "your Parquet table, chosen features": RunConfig(
        dataset="table", table=user_data.content_key(PARQUET_BYTES), label_column="kind",
        feature_columns="colour,size", optimizer="sgd", lr=0.2),
}
UPLOADS = {"your news CSV, SGD": NEWS_FILE, "your names file, RMSprop": NAMES_FILE,
           "your table CSV, text feature, missing rows dropped": TABLE_FILE,
           "your Parquet table, chosen features": PARQUET_FILE}
TABLE_UPLOADS = {TABLE_FILE: TABLE_BYTES, PARQUET_FILE: PARQUET_BYTES}

# Runs every script in one interpreter (torch is imported once), each under runpy as
# `python <script> --steps 50`; a global optimizer pre-hook records the parameters at
# the first step, before anything has changed them.
RUNNER = r"""
import importlib.util, runpy, sys, traceback
import torch
from torch.optim.optimizer import register_optimizer_step_pre_hook
assert importlib.util.find_spec("playground") is None, "playground must not be importable"
results = {}
for path in sys.argv[1:]:
    first = []
    def record(optimizer, args, kwargs):
        if not first:
            first.append([p.detach().clone() for g in optimizer.param_groups for p in g["params"]])
    handle = register_optimizer_step_pre_hook(record)
    sys.argv = [path, "--steps", "50"]
    try:
        ns = runpy.run_path(path, run_name="__main__")
        results[path] = {"initial": first[0], "history": ns["history"],
                         "weights": ns["model"].state_dict()}
    except BaseException:
        results[path] = {"error": traceback.format_exc()}
    finally:
        handle.remove()
torch.save(results, "results.pt")
"""


def write_uploads(folder) -> None:
    """A news CSV (quoted, a blank line, a BOM) and a names list with blank lines."""
    rows = news_corpus.generated_corpus()[:400]
    with open(folder / NEWS_FILE, "w", newline="", encoding="utf-8-sig") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        for i, (label, headline) in enumerate(rows):
            title, _, description = headline.partition(". ")
            out.writerow([label + 1, title, description])
            if i == 10:
                f.write("\r\n")
    pets = [n for n in names_data.census_names("first")[:3000:7]]
    (folder / NAMES_FILE).write_text("\n".join(n.capitalize() + "  " for n in pets) + "\n\n")
    for name, data in TABLE_UPLOADS.items():   # the app keeps a table by its content key
        (folder / name).write_bytes(data)
        user_data.put(data)


def uploaded_task(config, folder, file_name):
    """The task the app builds from the same upload (Lessons → Train; a table's config
    names the upload itself)."""
    if file_name in TABLE_UPLOADS:
        return None
    raw = (folder / file_name).read_bytes()
    if file_name.endswith(".csv"):
        return text.build_task(read_news_csv(raw), config, source=file_name)
    return names_data.build_task(names_data.parse_names(raw), config, source=file_name)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """{case: (script text, what the script recorded)}, every script run once."""
    folder = tmp_path_factory.mktemp("exported")
    write_uploads(folder)
    paths, texts = {}, {}
    for i, (case, config) in enumerate(CASES.items()):
        source = source_for(config, UPLOADS.get(case))
        texts[case] = build_script(config, source)
        sub = folder / f"case{i}"
        sub.mkdir()
        path = sub / script_name(config)
        path.write_text(texts[case])
        paths[case] = path
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # Each script reads an upload from next to itself: the runner runs from `folder`.
    for case, name in UPLOADS.items():
        paths[case].parent.joinpath(name).write_bytes((folder / name).read_bytes())
    done = subprocess.run([sys.executable, "-c", RUNNER, *[str(p.relative_to(folder))
                                                           for p in paths.values()]],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = torch.load(folder / "results.pt", weights_only=False)
    return {case: (texts[case], results[str(paths[case].relative_to(folder))])
            for case in CASES}, folder


def app_run(config, task=None):
    """The app's Trainer on ``config``: initial parameters, 50 losses, validation losses
    at the start and after 50 steps, and the weights after 50 steps."""
    torch.manual_seed(config.seed)   # the script's seeding of dropout masks (see above)
    trainer = Trainer(config, task=task)
    initial = [p.detach().clone() for p in trainer.params]
    val_start = trainer.evaluate("val").loss
    losses = [trainer.step().loss for _ in range(STEPS)]
    return initial, losses, val_start, trainer.evaluate("val").loss, trainer.weights()


def close(a: float, b: float) -> bool:
    return abs(a - b) <= RTOL * abs(a)


@pytest.mark.parametrize("case", list(CASES))
def test_script_reproduces_the_apps_first_50_steps(exported, case):
    runs, folder = exported
    script, got = runs[case]
    assert "error" not in got, got.get("error")
    config = CASES[case]
    task = uploaded_task(config, folder, UPLOADS[case]) if case in UPLOADS else None
    initial, losses, val_start, val_50, weights = app_run(config, task)

    assert [p.shape for p in got["initial"]] == [p.shape for p in initial]
    for ours, app in zip(got["initial"], initial):
        assert torch.allclose(ours, app, rtol=RTOL, atol=0), "initial weights differ"
    trained = [row["loss"] for row in got["history"] if "loss" in row]
    assert len(trained) == STEPS
    bad = [(i + 1, a, b) for i, (a, b) in enumerate(zip(losses, trained)) if not close(a, b)]
    assert not bad, f"(step, app loss, script loss) that differ: {bad[:5]}"
    evals = {row["step"]: row["val_loss"] for row in got["history"] if "val_loss" in row}
    assert close(val_start, evals[0]) and close(val_50, evals[STEPS])
    assert list(got["weights"]) == list(weights), "state_dict keys differ from the app's"
    for key, app in weights.items():
        assert torch.allclose(got["weights"][key], app, rtol=1e-4, atol=1e-6), key


@pytest.mark.parametrize("case", list(CASES))
def test_script_is_self_contained(exported, case):
    script, _ = exported[0][case]
    assert "import playground" not in script and "from playground" not in script
    nodes = [n for n in ast.walk(ast.parse(script)) if isinstance(n, (ast.Import, ast.ImportFrom))]
    imported = {(n.module if isinstance(n, ast.ImportFrom) else alias.name).split(".")[0]
                for n in nodes for alias in n.names}
    allowed = {"argparse", "base64", "collections", "csv", "math", "pathlib", "random", "re",
               "torch", "numpy", "sklearn", "names", "pandas", "pyarrow"}
    assert imported <= allowed, imported - allowed
    assert "fused=True" in script or "foreach=True" in script   # says which implementation


def test_upload_scripts_read_the_users_file_by_name(exported):
    news, _ = exported[0]["your news CSV, SGD"]
    names, _ = exported[0]["your names file, RMSprop"]
    assert f'DATA_FILE = Path("{NEWS_FILE}")' in news and "rows = read_news_csv(DATA_FILE)" in news
    assert f'DATA_FILE = Path("{NAMES_FILE}")' in names and "names_package" not in names
    assert f"your file {NAMES_FILE}, next to this script" in names
    table, _ = exported[0]["your table CSV, text feature, missing rows dropped"]
    assert f"DATA_FILE = Path('{TABLE_FILE}')" in table and "sep=';'" in table
    parquet, _ = exported[0]["your Parquet table, chosen features"]
    assert f"DATA_FILE = Path('{PARQUET_FILE}')" in parquet and "pq.read_table" in parquet
