"""The exported files as files: they compile, pass `ruff check` (its defaults) with no
warning, the notebook executes top to bottom and draws its curves, and the script runs
as a plain `python train_....py` whose weights load into the app's model."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
import torch
from nbclient import NotebookClient

from playground import data as datasets
from playground.codegen import (build_notebook, build_script, notebook_name, script_name,
                                source_for)
from playground.config import RunConfig
from playground.models import build_model

SETUPS = [
    RunConfig(),
    RunConfig(dataset="moons", optimizer="momentum", scheduler="step", dropout=0.2, clip=1.0),
    RunConfig(dataset="xor", optimizer="nesterov", scheduler="exponential", batch_size=0),
    RunConfig(dataset="gauss", optimizer="rmsprop", scheduler="onecycle", init="normal"),
    RunConfig(dataset="circle", optimizer="adagrad", scheduler="cosine", hidden_layers=0),
    RunConfig(dataset="digits", optimizer="adamw", init="kaiming_normal", activation="relu",
              length_unit="epochs", length=3),
    RunConfig(dataset="news", optimizer="sgd", lr=5.0, clip=0.1, scheduler="step"),
    RunConfig(dataset="names", optimizer="sgd", width=100, hidden_layers=1, dropout=0.1),
    RunConfig(dataset="surnames", optimizer="adam", init="orthogonal", activation="gelu"),
]
UPLOADED = [(RunConfig(dataset="news"), "my news.csv"), (RunConfig(dataset="names"), "x.txt")]


def clean_env() -> dict:
    """No PYTHONPATH: the generated code must not reach the app's package."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lint")
    paths = []
    for i, (config, upload) in enumerate([(c, None) for c in SETUPS] + UPLOADED):
        source = source_for(config, upload)
        sub = folder / f"setup{i}"
        sub.mkdir()
        for name, text in ((script_name(config), build_script(config, source)),
                           (notebook_name(config), build_notebook(config, source))):
            (sub / name).write_text(text)
            paths.append(sub / name)
    return folder, paths


def test_generated_code_passes_ruff_with_no_warning(written):
    folder, paths = written
    # --isolated: ruff's own defaults, whatever configuration lies around the files.
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache",
                           *map(str, paths)], capture_output=True, text=True, cwd=folder)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert sum(p.suffix == ".ipynb" for p in paths) == len(paths) // 2   # notebooks too


def test_generated_scripts_compile(written):
    _, paths = written
    scripts = [str(p) for p in paths if p.suffix == ".py"]
    done = subprocess.run([sys.executable, "-m", "py_compile", *scripts],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_notebook_has_a_markdown_cell_before_every_code_cell(written):
    _, paths = written
    for path in (p for p in paths if p.suffix == ".ipynb"):
        notebook = nbformat.read(path, as_version=4)
        kinds = [c.cell_type for c in notebook.cells]
        assert kinds[0] == "markdown" and "Open this setup in Training Playground" in (
            notebook.cells[0].source)
        sections = kinds[2:]       # after the introduction and the imports
        assert sections == ["markdown", "code"] * (len(sections) // 2)
        assert "plt.show()" in notebook.cells[-1].source
        assert "# The setup, as the app's RunConfig:" in notebook.cells[3].source


def executed(config: RunConfig, folder):
    notebook = nbformat.reads(build_notebook(config), as_version=4)
    # iopub_timeout: on a busy 2-core machine the figure's PNG can arrive seconds after
    # the cell's reply; nbclient's default (4 s) silently drops it.
    NotebookClient(notebook, timeout=300, iopub_timeout=120, raise_on_iopub_timeout=True,
                   kernel_name="python3", resources={"metadata": {"path": str(folder)}}
                   ).execute()
    return notebook


@pytest.mark.parametrize("config", [
    RunConfig(dataset="moons", optimizer="momentum", scheduler="cosine", length=120,
              dropout=0.2, clip=1.0),
    RunConfig(dataset="names", optimizer="adam", lr=0.003, length=60, eval_every=20),
], ids=["moons", "names"])
def test_notebook_executes_top_to_bottom_and_plots(config, tmp_path, monkeypatch):
    # Importing streamlit (any earlier test) sets MPLBACKEND=Agg for the whole process;
    # a kernel started with it would draw nothing. Jupyter starts kernels without it.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    notebook = executed(config, tmp_path)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert "image/png" in notebook.cells[-1].outputs[-1].get("data", {})   # the curves
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert f"step {config.length:>7,}" in printed and "test accuracy" in printed
    assert (tmp_path / f"train_{config.dataset}_{config.optimizer}_history.csv").exists()


def test_script_runs_as_a_command_and_its_weights_load_into_the_app(tmp_path):
    config = RunConfig(dataset="digits", optimizer="adam", lr=0.003, eval_every=10)
    path = tmp_path / script_name(config)
    path.write_text(build_script(config))
    done = subprocess.run([sys.executable, path.name, "--steps", "20"], cwd=tmp_path,
                          env=clean_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert [line.split("|")[0].split() for line in lines if line.startswith("step ")] == [
        ["step", "0"], ["step", "10"], ["step", "20"]]
    with open(tmp_path / "train_digits_adam_history.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["step"] for r in rows] == [str(i) for i in range(21)]
    assert rows[0]["loss"] == "" and rows[0]["val_loss"] and rows[20]["val_acc"]
    model = build_model(config, datasets.load(config))
    model.load_state_dict(torch.load(tmp_path / "train_digits_adam.pt", weights_only=True))


def test_the_script_says_where_it_came_from_and_what_it_promises():
    config = RunConfig(dataset="gauss", optimizer="rmsprop", lr=0.003, seed=4, dropout=0.1)
    script = build_script(config, app_url="https://class.example.org/train?run=abc")
    link = next(line for line in script.splitlines() if line.startswith("# Open this setup"))
    url = urlparse(link.split(": ", 1)[1])
    assert url.netloc == "class.example.org" and url.path == "/train"
    # The setup, not the run (a run lives on one server): the app reads it back exactly.
    assert RunConfig.from_query(parse_qs(url.query)) == (config, [])
    assert "within 1e-5 relative" in script and "torch.manual_seed(SEED)" in script
    values = config.to_dict()
    width = max(map(len, values))   # the names are aligned on the longest one
    for name, value in values.items():
        assert f"#   {name:<{width}} = {value!r}" in script
    notebook = json.loads(build_notebook(config))
    assert "".join(notebook["cells"][0]["source"]).startswith("# Gaussian blobs with RMSprop")
