"""Lessons: every lesson names its source, its evidence really measures (source first, then
each deviation), and its figures are well formed."""
from __future__ import annotations

import json
import math
import statistics

import plotly.graph_objects as go
import pytest

from playground.config import RunConfig
from playground.figures.lessons import FIGURES, lesson_figures, topic_probabilities_figure
from playground.lessons import BY_KEY, LESSONS, lr_range, names, names_sweep, news
from playground.lessons.base import DEVIATION, EXTRA, SOURCE, first_below
from playground.runs.jobs import Cancelled, Progress
from tests.unit.lessons.lesson_evidence import measured

PAGES = {"train", "sweep", "compare"}


@pytest.fixture(scope="module")
def evidence():
    """Each lesson's evidence, computed once per session (a few seconds each)."""
    return measured


def test_every_lesson_is_complete():
    assert len(LESSONS) == 10 and len(BY_KEY) == 10
    assert set(BY_KEY) == set(FIGURES)
    for lesson in LESSONS:
        assert lesson.claim.count(".") >= 2, lesson.key        # two or three sentences
        src = lesson.source
        assert src.name and len(src.setup) > 40 and len(src.reports) > 20, lesson.key
        assert len({d.title for d in lesson.deviations}) == len(lesson.deviations)
        assert all(len(d.why) > 40 for d in lesson.deviations), lesson.key
        assert lesson.presets
        for preset in lesson.presets:
            assert preset.page in PAGES
            configs = ([preset.payload["config"]] if "config" in preset.payload
                       else preset.payload["configs"])
            for cfg in configs:
                assert isinstance(cfg, RunConfig) and cfg.validate() == [], (lesson.key, cfg)
            if preset.page == "compare":
                assert len(preset.payload["labels"]) == len(configs)


@pytest.mark.parametrize("key", [lesson.key for lesson in LESSONS])
def test_findings_come_source_first_then_one_per_deviation(evidence, key):
    ev, _ = evidence(key)
    roles = [f.role for f in ev.findings]
    n_source = roles.count(SOURCE)
    assert n_source >= 1 and roles[:n_source] == [SOURCE] * n_source, roles
    deviations = ev.findings[n_source:n_source + len(BY_KEY[key].deviations)]
    assert [f.title for f in deviations] == [d.title for d in BY_KEY[key].deviations]
    assert all(f.role == DEVIATION for f in deviations)
    assert all(f.role == EXTRA for f in ev.findings[n_source + len(deviations):])


@pytest.mark.parametrize("key", [lesson.key for lesson in LESSONS])
def test_evidence_is_measured_and_drawn(evidence, key):
    ev, progress = evidence(key)
    assert isinstance(ev.observed, bool) and len(ev.verdict) > 40
    for f in ev.findings:
        closing = ("Reproduced." if f.observed else "Not reproduced this time.") \
            if f.role == SOURCE else ("Observed." if f.observed else "Not observed this time.")
        assert f.text.endswith(closing), (key, f.text)
    assert ev.observed == all(f.observed for f in ev.findings)
    assert ev.numbers and all(isinstance(v, (int, float)) for v in ev.numbers.values())
    dumped = json.loads(json.dumps(ev.to_json(), allow_nan=False))   # valid JSON to download
    assert [f["text"] for f in dumped["findings"]] == [f.text for f in ev.findings]
    assert progress > 0.9                                            # it reported progress
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
        assert ev.observed, (key, [f.text for f in ev.findings if not f.observed])


def test_makemore_chart_shows_both_sweeps_and_marks_both_minima(evidence):
    ev, _ = evidence("names")
    sweep_fig, minima_fig = lesson_figures("names", ev.series)[:2]
    lines = [t for t in sweep_fig.data if t.mode == "lines"]
    assert len(lines) == 2 and lines[0].name != lines[1].name        # both inits, one chart
    marks = [t for t in sweep_fig.data if t.mode == "markers+text"]
    minima = ev.series["sweep_minima"]
    assert [m.text[0] for m in marks] == [f"min {minima['lecture'][0]:.2g}",
                                          f"min {minima['xavier'][0]:.2g}"]    # seed 0's
    assert [len(t.x) for t in minima_fig.data] == [5, 5]


def test_news_confusion_matrix_counts_the_test_set(evidence):
    ev, _ = evidence("news")
    m = ev.series["confusion"]["matrix"]
    assert sum(map(sum, m)) == 600 and sum(m[i][i] for i in range(4)) / 600 == \
        pytest.approx(ev.numbers["lr5_test_accuracy"], abs=1e-6)


def test_sgd_vs_adam_text_matches_its_curves(evidence):
    ev, _ = evidence("sgd_vs_adam")
    a, s = ev.numbers["adam_steps_to_target"], ev.numbers["sgd_steps_to_target"]
    assert f"{int(a):,} steps" in ev.verdict
    assert math.isnan(s) or f"{int(s):,} steps" in ev.verdict
    assert first_below(ev.series["adam"]["step"], ev.series["adam"]["train_loss"], 0.5) == a


def test_evidence_can_be_cancelled():
    progress = Progress()
    progress.cancel_requested.set()
    with pytest.raises(Cancelled):
        lr_range.evidence(progress)


def test_news_evidence_uses_uploaded_rows():
    from tests.unit.data.test_text import GOOD
    from playground.data.news_csv import read_news_csv

    rows = read_news_csv(GOOD.encode() * 4)
    ev = news.evidence(None, (rows, "mine.csv"))
    assert "mine.csv" in ev.findings[0].text
    assert ev.numbers["vocabulary"] < 40          # the tiny upload's vocabulary, not the corpus


def test_names_evidence_uses_uploaded_names_and_states_its_own_minima(monkeypatch):
    # The wiring is what is tested here, so a shortened schedule will do; the numbers in
    # the text must be this run's (other names, shorter sweeps), not the shipped run's.
    monkeypatch.setattr(names_sweep, "SWEEP_STEPS", 200)
    monkeypatch.setattr(names, "SWEEP_SEEDS", range(2))
    monkeypatch.setattr(names, "FAST_STEPS", 100)
    monkeypatch.setattr(names, "SLOW_STEPS", 50)
    uploaded = [a + b + c for a in "bdklmnrst" for b in "aeiou" for c in ("na", "ra", "la")]
    ev = names.evidence(None, (uploaded, "mine.txt"))
    assert ev.artifacts["known"] == set(uploaded)
    assert len(ev.series["sweep"]["lecture_loss"]) == 200
    assert ev.series["training"]["step"][-1] == 150
    minima = ev.series["sweep_minima"]
    lecture, xavier = (statistics.median(minima[k]) for k in ("lecture", "xavier"))
    assert f"lowest at lr {lecture:.2g} " in ev.findings[0].text
    assert f"bottomed at lr {xavier:.2g} " in ev.findings[2].text


def test_topic_probability_figure():
    fig = topic_probabilities_figure([0.1, 0.2, 0.3, 0.4], ["W", "S", "B", "T"])
    assert list(fig.data[0].y) == ["W", "S", "B", "T"]
    assert list(fig.data[0].x) == pytest.approx([10, 20, 30, 40])
