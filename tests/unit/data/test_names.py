"""Names (makemore): census data, windows, WindowMLP, sampling, uploads, dropout modes."""
from __future__ import annotations

import re

import pytest
import torch

from playground import data
from playground.config import RunConfig
from playground.data import names as names_data
from playground.data.names import NamesFileError, parse_names
from playground.training.trainer import Trainer
from playground.lessons import dropout as dropout_lesson
from playground.lessons.names import SWEEP_PRESET
from playground.models import build_model
from playground.data.alphabet import ITOS, N_SYMBOLS
from playground.models.window import WindowMLP, sample_names

VALID = re.compile(r"^[a-z]+$")


def test_census_names_are_plain_lowercase():
    first, last = names_data.census_names("first"), names_data.census_names("last")
    assert len(first) > 5000 and len(last) > 80000
    assert all(VALID.match(n) for n in first[:2000]) and len(set(first)) == len(first)
    assert first[0] == "mary" and last[0] == "smith"
    with pytest.raises(ValueError):
        names_data.census_names("middle")


def test_windows_pad_with_dots_and_end_with_a_dot():
    x, y = names_data.windows(["emma"], context=3)
    decoded = ["".join(ITOS[i] for i in row) + "→" + ITOS[t] for row, t in zip(x.tolist(),
                                                                           y.tolist())]
    assert decoded == ["...→e", "..e→m", ".em→m", "emm→a", "mma→."]
    assert names_data.window_count(["emma", "bo"]) == 5 + 3
    x, y = names_data.windows(["bo", "emma"], context=2)    # no window crosses names
    pairs = ["".join(ITOS[i] for i in row) + ITOS[t] for row, t in zip(x.tolist(), y.tolist())]
    assert pairs == ["..b", ".bo", "bo.", "..e", ".em", "emm", "mma", "ma."]
    x, y = names_data.windows([], context=3)
    assert x.shape == (0, 3) and y.shape == (0,)


def test_names_task_has_27_symbols_and_splits_by_name():
    task = data.load(SWEEP_PRESET)
    assert task.n_classes == N_SYMBOLS == 27 and task.class_names == list(ITOS)
    assert task.kind == "chars" and task.model_kind == "window"
    (x,), y = task.train.all()
    assert x.shape[1] == SWEEP_PRESET.context and x.dtype == torch.long
    assert int(x.max()) < 27 and int(y.max()) < 27 and int(y.min()) >= 0
    # Every name ends with '.', so the number of end targets counts the names per split.
    n_names = sum(int((getattr(task, s).y == 0).sum()) for s in ("train", "val", "test"))
    assert n_names == len(names_data.census_names("first"))
    assert "surnames" in data.DATASETS


def test_context_changes_the_window_width():
    cfg = SWEEP_PRESET.replace(context=5, embed_dim=4)
    task = data.load(cfg)
    model = build_model(cfg, task)
    assert isinstance(model, WindowMLP)
    assert model.embedding.weight.shape == (27, 4)
    (x,), _ = task.train.take(torch.arange(7))
    assert x.shape == (7, 5) and model(x).shape == (7, 27)


def test_sampling_is_pure_valid_and_temperature_checked():
    torch.manual_seed(0)
    model = WindowMLP(3, 2, [16])
    model.train()
    a = sample_names(model, 30, 3, temperature=1.0, seed=5)
    assert a == sample_names(model, 30, 3, temperature=1.0, seed=5)
    assert model.training                                   # mode restored
    assert all(VALID.match(n) and len(n) <= 30 for n in a)  # never empty, only a–z
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ValueError):
            sample_names(model, 3, 3, temperature=bad)


def test_trained_model_samples_valid_name_like_strings():
    cfg = SWEEP_PRESET.replace(length=1500)
    tr = Trainer(cfg)
    start = tr.evaluate().loss
    for _ in range(1500):
        tr.step()
    assert tr.evaluate().loss < start - 0.6              # well below chance (3.30)
    cold = sample_names(tr.model, 40, 3, temperature=0.3, seed=1)
    assert all(VALID.match(n) for n in cold)
    known = set(names_data.census_names("first"))
    hot = sample_names(tr.model, 40, 3, temperature=2.5, seed=1)
    # Low temperature stays close to real names far more often than high temperature.
    assert sum(n in known for n in cold) > sum(n in known for n in hot)


# ------------------------------------------------------------------ uploads
def test_parse_uploaded_names():
    text = "Emma\n\n  olivia \nAVA\n" + "\n".join(["noah"] * 20)
    assert parse_names(text.encode())[:3] == ["emma", "olivia", "ava"]
    assert parse_names(b"\xef\xbb\xbf" + text.encode())[0] == "emma"


@pytest.mark.parametrize("payload, pattern", [
    (b"", "found 0 names"),
    (b"emma\nj0hn\nava\nmary-jo\n" + b"x\n" * 30, r"line 2: 'j0hn'; line 4: 'mary-jo'"),
    (b"emma\n" * 30 + "jos\xe9\n".encode("latin-1"), r"line 31: not UTF-8"),
    (b"a" * 40 + b"\n" + b"ab\n" * 30, "line 1: longer than 30"),
])
def test_bad_name_uploads_get_clear_errors(payload, pattern):
    with pytest.raises(NamesFileError, match=pattern):
        parse_names(payload)


def test_huge_names_upload_is_refused(monkeypatch):
    monkeypatch.setattr(names_data, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(NamesFileError, match="MB; the limit"):
        parse_names(b"emma\n" * 100)


def test_uploaded_names_build_a_task():
    names = [f"{a}{b}a" for a in "bcdfg" for b in "aeiou"]
    task = names_data.build_task(names, RunConfig(dataset="names"), source="mine.txt")
    assert task.extra["source"] == "mine.txt" and task.n_classes == 27
    assert len(task.train) + len(task.val) + len(task.test) == names_data.window_count(names)


# ------------------------------------------------------------------ dropout modes
def test_dropout_evaluation_differs_between_train_and_eval():
    cfg = dropout_lesson.PRESET
    task = data.load(cfg)
    model = build_model(cfg, task)
    (x,), _ = task.val.take(torch.arange(200))
    model.eval()
    torch.testing.assert_close(model(x), model(x))          # eval: deterministic
    model.train()
    assert not torch.allclose(model(x), model(x))           # train: random masks
    off, on = dropout_lesson.val_loss_modes(model, task.val)
    assert off != on and model.training


def test_xavier_keeps_activation_scale_and_normal_blows_it_up():
    cfg = dropout_lesson.PRESET
    task = data.load(cfg)
    (x,), _ = task.train.take(torch.arange(500))
    xavier = dropout_lesson.layer_stats(build_model(cfg, task), x)
    naive = dropout_lesson.layer_stats(build_model(dropout_lesson.NAIVE, task), x)
    assert [r["layer"] for r in xavier][0] == "embedding" and xavier[-1]["layer"] == "logits"
    assert dropout_lesson.scale_growth(naive) > 50 * dropout_lesson.scale_growth(xavier)
    relu = [r for r in xavier if "ReLU" in r["layer"]]
    assert len(relu) == 2 and all(0 <= r["dead"] < 0.5 for r in relu)


def test_a_net_that_starts_huge_is_not_called_diverged():
    """N(0, 1) weights start ~1,000 nats above chance: that is where the run starts, not
    a divergence; a later blow-up relative to that start still is one."""
    tr = Trainer(dropout_lesson.NAIVE.replace(length=20))
    losses = [tr.step().loss for _ in range(20)]
    assert losses[0] > 100 * tr.chance_loss
    assert all(tr.divergence(v) is None for v in losses)
    assert "starting level" in tr.divergence(1000 * losses[0])
    assert tr.divergence(float("nan"))
