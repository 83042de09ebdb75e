"""The Runs page, headless (AppTest): the table, the diff above the overlay, one run's
page and its actions, privacy, hostile text, and the warning when history is not saved."""
from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from playground.config import RunConfig
from playground.store import NewRun, RunFilter
from playground.ui import runtime, state
from playground.ui.pages.runs.table import table_key
from tests.pages.charts import charts

SID = "tester-session"          # a new one for every test (the history file is shared)
BASE = RunConfig(dataset="spiral", n_samples=300, length=60, eval_every=20)


@pytest.fixture(autouse=True)
def own_session():
    global SID
    SID = "tester-" + uuid.uuid4().hex[:8]


def _page():
    from playground.ui import shell
    shell.main(default="runs")


def _page_of(key):
    from playground.ui import shell
    shell.main(default=key)


def fresh(**session) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    at.session_state[state.SESSION_ID] = SID
    for k, v in session.items():
        at.session_state[k] = v
    return at


def stored(*configs, owner=None, labels=None) -> list[str]:
    """Train real runs through the app's own registry (so the store records them)."""
    owner = owner or SID
    reg = runtime.registry()
    ids = [reg.start(c, owner=owner, label=(labels or [""] * len(configs))[i])
           for i, c in enumerate(configs)]
    for run_id in ids:
        reg.join(run_id, 60)
    assert runtime.store().flush()
    return ids


def select(at: AppTest, rows: list[int]) -> AppTest:
    runs = runtime.store().list_runs(RunFilter(owner=SID))
    at.session_state[table_key(runs)] = {"selection": {"rows": rows, "columns": [],
                                                       "cells": []}}
    return at.run()


def text_of(at) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(
        str(getattr(e, "value", "")) for e in [*at.info, *at.warning, *at.caption,
                                               *at.subheader, *at.success, *at.error])


def test_an_empty_store_says_how_runs_get_here(clean_streamlit):
    at = fresh().run()
    assert not at.exception and at.title[0].value == "Runs"
    assert "No runs yet" in text_of(at)


def test_two_selected_runs_show_what_differs_above_their_curves(clean_streamlit):
    stored(BASE, BASE.replace(optimizer="sgd", lr=0.1))
    at = select(fresh().run(), [0, 1])
    assert not at.exception
    assert "Only `lr` and `optimizer` differ." in text_of(at)
    drawn = charts(at)
    assert set(drawn) == {"runs_loss_chart", "runs_acc_chart"}
    names = {t.get("name") for t in drawn["runs_loss_chart"]["data"]}
    assert any(n and "Adam" in n for n in names) and any(n and "SGD" in n for n in names)


def test_one_selected_run_opens_with_curves_settings_events_and_actions(clean_streamlit):
    (run_id,) = stored(BASE)
    at = select(fresh().run(), [0])
    assert not at.exception
    assert any(run_id in c.value for c in at.caption)
    labels = {b.label for b in at.button}
    assert {"Run again", "Continue training"} <= labels
    assert {"runs_one_loss", "runs_one_acc"} <= set(charts(at))
    assert any(d.label == "Weights (safetensors)" for d in at.get("download_button"))


def test_run_again_hands_the_exact_config_to_train(clean_streamlit):
    stored(BASE.replace(lr=0.0314))
    at = select(fresh().run(), [0])
    at.button(key="runs_again").click().run()
    assert not at.exception
    assert at.session_state[state.CONFIG].lr == 0.0314
    assert at.title[0].value == "Train"


def test_continue_training_starts_a_run_from_the_saved_weights(clean_streamlit):
    (run_id,) = stored(BASE)
    at = select(fresh().run(), [0])
    at.button(key="runs_continue").click().run()
    assert not at.exception
    new_id = at.session_state[state.TRAIN_RUN]
    assert new_id and new_id != run_id and at.title[0].value == "Train"
    runtime.registry().join(new_id, 60)
    assert runtime.store().flush()
    assert runtime.store().get_run(new_id).parent_id == run_id


def test_rename_tag_and_note_are_saved_and_hostile_text_is_shown_escaped(clean_streamlit):
    (run_id,) = stored(BASE)
    at = select(fresh().run(), [0])
    evil = "**bold** [click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    form_inputs = [t for t in at.text_input if t.label in ("Name", "Tags")]
    form_inputs[0].set_value(evil)
    form_inputs[1].set_value("homework, <b>best</b>")
    next(t for t in at.text_area if t.label == "Notes").set_value("$x$ :red[loud]")
    next(b for b in at.button if b.label == "Save").click()
    at.run()
    run = runtime.store().get_run(run_id)
    assert run.label == evil and run.tags == ("homework", "<b>best</b>")
    at = select(fresh().run(), [0])
    heading = at.subheader[0].value
    assert "\\*\\*bold\\*\\*" in heading and "\\[click\\]" in heading and "\\<img" in heading
    notes = next(m.value for m in at.markdown if m.value.startswith("**Notes:**"))
    assert "\\$x\\$" in notes and "\\:red\\[loud\\]" in notes


def test_delete_asks_first_then_removes_the_run_and_its_points(clean_streamlit):
    (run_id,) = stored(BASE)
    at = select(fresh().run(), [0])
    at.button(key="runs_delete").click().run()
    assert runtime.store().get_run(run_id) is not None           # asked, nothing deleted
    assert any("cannot be undone" in w.value for w in at.warning)
    at.button(key="runs_delete_yes").click().run()
    assert not at.exception
    assert runtime.store().get_run(run_id) is None
    assert runtime.store().points([run_id]) == {run_id: {}}


def test_a_session_sees_only_its_own_runs_unless_a_teacher(clean_streamlit, monkeypatch):
    stored(BASE, owner="someone-else-" + SID)
    stored(BASE.replace(lr=0.02))
    at = fresh().run()
    assert len(at.dataframe[0].value) == 1
    monkeypatch.setenv("PLAYGROUND_TEACHER_KEY", "s3cret")
    at = fresh()
    at.query_params["teacher"] = "wrong"
    at.run()
    assert len(at.dataframe[0].value) == 1
    at = fresh()
    at.query_params["teacher"] = "s3cret"
    at.run()
    everyone = at.dataframe[0].value
    assert len(everyone) >= 2 and at.session_state[state.RUNS_TEACHER]


def test_lesson_evidence_is_listed_only_when_asked(clean_streamlit):
    store = runtime.store()
    store.add_runs([NewRun("lesson1", SID, "lesson", "Lesson · demo", {}, hidden=True,
                           tags=("lesson",))])
    stored(BASE)
    at = fresh().run()
    assert len(at.dataframe[0].value) == 1
    at.toggle(key="runs_hidden").set_value(True).run()
    assert len(at.dataframe[0].value) == 2


@pytest.mark.parametrize("page", ["train", "runs", "server"])
def test_every_page_warns_when_history_is_not_being_saved(clean_streamlit, tmp_path, page):
    import streamlit as st

    from playground.store import RunStore

    bad = tmp_path / "runs.db"
    bad.write_bytes(b"garbage" * 1000)
    st.cache_resource.clear()
    broken = RunStore(f"sqlite:///{bad}", flush_s=0.1)
    original = runtime.store
    runtime.store = lambda: broken                     # what the cached resource returns
    try:
        at = AppTest.from_function(_page_of, args=(page,), default_timeout=60).run()
        assert not at.exception
        assert any("Run history is not being saved" in w.value and "damaged" in w.value
                   for w in at.warning)
    finally:
        runtime.store = original
        broken.close()
