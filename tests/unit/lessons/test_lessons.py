"""Lessons: every evidence function really measures, and its figures are well formed."""
from __future__ import annotations

import json
import math

import plotly.graph_objects as go
import pytest

from playground.config import RunConfig
from playground.figures.lessons import FIGURES, lesson_figures, topic_probabilities_figure
from playground.runs.jobs import Cancelled, Progress
from playground.lessons import BY_KEY, LESSONS, fundamentals, names, news
from playground.lessons.base import first_below
from tests.unit.lessons.lesson_evidence import measured

PAGES = {"train", "sweep", "compare"}


@pytest.fixture(scope="module")
def evidence():
    """Each lesson's evidence, computed once per session (a few seconds each)."""
    return measured


def test_every_lesson_is_complete():
    assert len(LESSONS) == 8 and len(BY_KEY) == 8
    assert set(BY_KEY) == set(FIGURES)
    for lesson in LESSONS:
        assert lesson.claim.count(".") >= 2, lesson.key        # two or three sentences
        assert lesson.presets
        for preset in lesson.presets:
            assert preset.page in PAGES
            configs = ([preset.payload["config"]] if "config" in preset.payload
                       else preset.payload["configs"])
            for cfg in configs:
                assert isinstance(cfg, RunConfig) and cfg.validate() == [], (lesson.key, cfg)
            if preset.page == "compare":
                assert len(preset.payload["labels"]) == len(configs)


def test_presets_follow_the_course_recipes():
    p = news.PRESET
    assert (p.optimizer, p.lr, p.scheduler, p.step_size, p.gamma, p.clip) == \
        ("sgd", 5.0, "step", 1, 0.1, 0.1)
    assert names.SWEEP_PRESET.batch_size == 32 and names.SWEEP_PRESET.embed_dim == 2
    d = BY_KEY["dropout_xavier"].presets[0].payload["config"]
    assert (d.activation, d.width, d.dropout, d.init, d.optimizer, d.lr) == \
        ("relu", 200, 0.5, "xavier_uniform", "adam", 1e-3)
    budget = {c.batch_size: c.batch_size * c.length
              for c in BY_KEY["batch_budget"].presets[0].payload["configs"]}
    assert set(budget) == {8, 256} and len(set(budget.values())) == 1   # same examples


@pytest.mark.parametrize("key", [lesson.key for lesson in LESSONS])
def test_evidence_is_measured_and_drawn(evidence, key):
    ev, progress = evidence(key)
    assert isinstance(ev.observed, bool) and len(ev.verdict) > 40
    assert ("Observed" in ev.verdict or "observed" in ev.verdict)
    assert ev.numbers and all(isinstance(v, (int, float)) for v in ev.numbers.values())
    json.dumps(ev.to_json(), allow_nan=False)                  # valid JSON to download
    assert progress > 0.9                                      # it reported progress
    figs = lesson_figures(key, ev.series)
    assert figs and all(isinstance(f, go.Figure) for f in figs)
    for fig in figs:
        assert fig.layout.title.text
        assert fig.data and all(len(t.x if t.x is not None else t.z) for t in fig.data)
        layout = fig.layout.to_plotly_json()
        axes = {k: v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))}
        # Labelled axes: every y axis, and at least one x axis (subplots share theirs).
        assert all(v.get("title", {}).get("text") for k, v in axes.items()
                   if k.startswith("yaxis")), key
        assert any(v.get("title", {}).get("text") for k, v in axes.items()
                   if k.startswith("xaxis")), key


def test_the_claims_hold_on_the_shipped_seed(evidence):
    """The presets are chosen so each claim shows up; if a change breaks one, we want to know."""
    for key in BY_KEY:
        ev, _ = evidence(key)
        assert ev.observed, (key, ev.verdict)


def test_measured_numbers_back_the_verdicts(evidence):
    ev, _ = evidence("news")
    assert 0.6 < ev.numbers["test_accuracy"] < 1.0          # high, not perfect
    assert ev.numbers["slow_lr_test_accuracy"] < ev.numbers["test_accuracy"]
    m = ev.series["confusion"]["matrix"]
    assert sum(map(sum, m)) == 600 and sum(m[i][i] for i in range(4)) / 600 == \
        pytest.approx(ev.numbers["test_accuracy"], abs=1e-6)

    ev, _ = evidence("sgd_vs_adam")
    a, s = ev.numbers["adam_steps_to_target"], ev.numbers["sgd_steps_to_target"]
    assert f"{int(a):,} steps" in ev.verdict
    assert math.isnan(s) or f"{int(s):,} steps" in ev.verdict
    assert first_below(ev.series["adam"]["step"], ev.series["adam"]["train_loss"], 0.5) == a

    ev, _ = evidence("names")
    assert ev.numbers["val_loss_after_decay"] < ev.numbers["val_loss_before_decay"] < 3.0
    assert len(ev.series["embedding"]["x"]) == 27
    assert all(s.isalpha() and s.islower() for s in ev.series["samples"]["name"])

    ev, _ = evidence("dropout_xavier")
    assert ev.numbers["val_loss_eval_mode"] < ev.numbers["val_loss_dropout_on"]
    assert ev.numbers["initial_loss_normal"] > 10 * ev.numbers["initial_loss_xavier"]

    ev, _ = evidence("batch_budget")
    assert ev.numbers["val_loss_batch_8"] < ev.numbers["val_loss_batch_256"]


def test_evidence_can_be_cancelled():
    progress = Progress()
    progress.cancel_requested.set()
    with pytest.raises(Cancelled):
        fundamentals.lr_range(progress)


def test_news_evidence_uses_uploaded_rows():
    from tests.unit.data.test_text import GOOD
    from playground.data.news_csv import read_news_csv

    rows = read_news_csv(GOOD.encode() * 4)
    ev = news.evidence(None, (rows, "mine.csv"))
    assert "mine.csv" in ev.verdict
    assert ev.numbers["vocabulary"] < 40          # the tiny upload's vocabulary, not the corpus


def test_names_evidence_uses_uploaded_names(monkeypatch):
    # The wiring is what is tested here, so a shortened schedule will do.
    monkeypatch.setattr(names, "SWEEP_STEPS", 100)
    monkeypatch.setattr(names, "FAST_STEPS", 100)
    monkeypatch.setattr(names, "SLOW_STEPS", 50)
    uploaded = [a + b + c for a in "bdklmnrst" for b in "aeiou" for c in ("na", "ra", "la")]
    ev = names.evidence(None, (uploaded, "mine.txt"))
    assert ev.artifacts["known"] == set(uploaded)
    assert len(ev.series["sweep"]["loss"]) == 100
    assert ev.series["training"]["step"][-1] == 150


def test_topic_probability_figure():
    fig = topic_probabilities_figure([0.1, 0.2, 0.3, 0.4], ["W", "S", "B", "T"])
    assert list(fig.data[0].y) == ["W", "S", "B", "T"]
    assert list(fig.data[0].x) == pytest.approx([10, 20, 30, 40])
