"""Lessons page in AppTest: cards, evidence jobs, extras, cancel/failure, and Open."""
from __future__ import annotations

import dataclasses
import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.charts import charts
from playground.runs.jobs import Progress
from playground.ui import state
from playground.lessons import BY_KEY, LESSONS
from playground.ui.pages.lessons.evidence import finding_markdown
from playground.ui.widgets.safe import md_escape
from tests.unit.lessons.lesson_evidence import measured


def _page():
    from playground.ui import shell

    shell.main(default="lessons")


def _app() -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _wait_jobs(timeout: float = 60.0) -> None:
    from playground.ui import runtime

    reg = runtime.registry()
    deadline = time.monotonic() + timeout
    for job in reg.jobs():
        while reg.job_snapshot(job.job_id).active:
            assert time.monotonic() < deadline, "evidence job did not finish"
            time.sleep(0.05)


def _use_measured(monkeypatch, key: str) -> None:
    """Swap a lesson's evidence for the session's cached measurement (already tested
    in test_lessons.py), so rendering every lesson here costs no extra training."""
    ev, _ = measured(key)

    def cached(progress=None, source=None):
        (progress or Progress()).update(1.0, "done")
        return ev

    _replace_evidence(monkeypatch, key, cached)


def _replace_evidence(monkeypatch, key: str, fn) -> None:
    from playground.ui.pages.lessons import page

    patched = [dataclasses.replace(lesson, evidence=fn) if lesson.key == key else lesson
               for lesson in LESSONS]
    monkeypatch.setattr(page, "LESSONS", patched)


def _show_evidence(at: AppTest, key: str) -> AppTest:
    at.button(key=f"evidence_{key}").click().run()
    _wait_jobs()
    at.run()
    assert not at.exception, at.exception
    return at


def test_every_lesson_has_a_card_with_claim_and_buttons(clean_streamlit):
    at = _app()
    assert at.title[0].value == "Lessons"
    assert [h.value for h in at.subheader] == [lesson.title for lesson in LESSONS]
    text = " ".join(m.value for m in at.markdown)
    for lesson in LESSONS:
        assert lesson.claim in text
        # The source, what it reports, its setup and every deviation are on the card.
        assert f"**Source:** {lesson.source.name}. **It reports:** {lesson.source.reports}" in text
        assert lesson.source.setup in text
        assert all(f"**{d.title}.** {d.why}" in text for d in lesson.deviations)
        assert at.button(key=f"evidence_{lesson.key}").help
        for i, _ in enumerate(lesson.presets):
            assert at.button(key=f"open_{lesson.key}_{i}").help
    assert len(charts(at)) == 0          # nothing computed until asked


@pytest.mark.parametrize("key", [lesson.key for lesson in LESSONS])
def test_each_lesson_renders_its_evidence(clean_streamlit, monkeypatch, key):
    _use_measured(monkeypatch, key)
    ev, _ = measured(key)
    at = _show_evidence(_app(), key)
    alerts = [e.value for e in [*at.success, *at.warning]]
    # One alert per finding, in order: the source's setup first, then each deviation
    # with the reason the app deviates.
    lesson = BY_KEY[key]
    assert alerts == [finding_markdown(lesson, f) for f in ev.findings]
    for d in lesson.deviations:
        assert any(md_escape(d.title) in a and "Why the app deviates" in a for a in alerts)
    from playground.figures.lessons import lesson_figures

    n_figs = len(lesson_figures(key, ev.series)) + (1 if key == "news" else 0)
    drawn = list(charts(at).values())
    assert len(drawn) == n_figs
    titles = [spec["layout"].get("title", {}).get("text") for spec in drawn]
    assert all(titles[:n_figs - (1 if key == "news" else 0)])
    download = at.get("download_button")
    assert len(download) == 1


def test_news_headline_box_shows_topic_probabilities(clean_streamlit, monkeypatch):
    _use_measured(monkeypatch, "news")
    at = _show_evidence(_app(), "news")
    at.text_input(key="news_headline").input("Yankees beat Red Sox in the playoffs").run()
    spec = charts(at)["news_probs"]
    bars = spec["data"][0]
    assert bars["y"] == ["World", "Sports", "Business", "Sci/Tech"]
    values = bars["x"] if isinstance(bars["x"], list) else None
    if values is not None:
        assert max(range(4), key=values.__getitem__) == 1          # Sports
    assert any("words are in the vocabulary" in c.value for c in at.caption)
    at.text_input(key="news_headline").input("qwxz blorp").run()
    assert any("vocabulary" in w.value for w in at.warning)


def test_names_sampling_follows_temperature_and_reseeds(clean_streamlit, monkeypatch):
    _use_measured(monkeypatch, "names")
    at = _show_evidence(_app(), "names")

    def samples():
        line = next(m.value for m in at.markdown if m.value.startswith("Sampled names:"))
        return line.removeprefix("Sampled names: ").replace("*", "").split(", ")

    first = samples()
    assert len(first) == 20 and all(n.isalpha() and n.islower() for n in first)
    at.slider(key="names_temperature").set_value(2.5).run()
    hot = samples()
    assert hot != first
    at.button(key="names_resample").click().run()
    assert samples() != hot
    at.slider(key="names_count").set_value(5).run()
    assert len(samples()) == 5


def test_cancel_stops_a_running_evidence_job(clean_streamlit, monkeypatch):
    def slow(progress=None, source=None):
        for i in range(600):
            progress.update(i / 600, "working")
            time.sleep(0.05)

    _replace_evidence(monkeypatch, LESSONS[0].key, slow)
    at = _app()
    at.button(key=f"evidence_{LESSONS[0].key}").click().run()
    assert at.get("progress")
    at.button(key=f"cancel_{LESSONS[0].key}").click().run()
    _wait_jobs(10)
    at.run()
    assert any("Cancelled" in i.value for i in at.info)


def test_a_failing_evidence_is_reported(clean_streamlit, monkeypatch):
    def broken(progress=None, source=None):
        raise RuntimeError("out of coffee")

    _replace_evidence(monkeypatch, LESSONS[0].key, broken)
    at = _show_evidence(_app(), LESSONS[0].key)
    assert any("out of coffee" in e.value for e in at.error)


def test_open_hands_the_preset_to_the_train_page(clean_streamlit):
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    at.button(key="open_news_0").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Train"
    assert at.session_state[state.CONFIG] == BY_KEY["news"].presets[0].payload["config"]
    assert state.handoff_key("train") not in at.session_state           # taken exactly once
