"""Other pages use the store: Train's ghost curve, Compare's past-run reference, and
the Server page's store size and writer lag (AppTest)."""
from __future__ import annotations

import time
import uuid

from streamlit.testing.v1 import AppTest

from playground.config import RunConfig
from playground.ui import runtime, state
from tests.pages.charts import charts

BASE = RunConfig(dataset="spiral", n_samples=300, length=80, eval_every=20)


def _page(key):
    from playground.ui import shell
    shell.main(default=key)


def app(key: str, sid: str) -> AppTest:
    at = AppTest.from_function(_page, args=(key,), default_timeout=60)
    at.session_state[state.SESSION_ID] = sid
    return at


def past_run(sid: str, config: RunConfig = BASE) -> str:
    reg = runtime.registry()
    run_id = reg.start(config, owner=sid, label="yesterday's run")
    reg.join(run_id, 60)
    assert runtime.store().flush()
    return run_id


def trace_names(at, key: str) -> list[str]:
    return [t.get("name") or "" for t in charts(at)[key]["data"]]


def test_train_draws_a_chosen_past_run_behind_the_live_loss(clean_streamlit):
    sid = "ghost-" + uuid.uuid4().hex[:6]
    old = past_run(sid)
    at = app("train", sid)
    at.session_state[state.CONFIG] = BASE.replace(length=100_000)
    at.run()
    at.selectbox(key=state.TRAIN_GHOST).set_value(old).run()
    at.button(key="btn_start").click().run()
    time.sleep(1.0)
    at.run()
    assert not at.exception
    names = trace_names(at, "chart_loss")
    assert names[0] == "past · yesterday's run"            # underneath the live traces
    assert any(n.endswith("· train") for n in names[1:])
    runtime.registry().stop(at.session_state[state.TRAIN_RUN])


def test_train_offers_no_ghost_from_another_dataset(clean_streamlit):
    sid = "ghost-" + uuid.uuid4().hex[:6]
    past_run(sid, BASE.replace(dataset="moons"))
    at = app("train", sid)
    at.session_state[state.CONFIG] = BASE
    at.run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == state.TRAIN_GHOST]


def test_compare_draws_a_past_run_as_reference(clean_streamlit):
    sid = "ref-" + uuid.uuid4().hex[:6]
    old = past_run(sid)
    reg = runtime.registry()
    group_id = reg.start_group([BASE, BASE.replace(optimizer="sgd", lr=0.1)], ["A", "B"],
                               owner=sid)
    for run_id in reg.group(group_id).run_ids:
        reg.join(run_id, 60)
    at = app("compare", sid)
    at.session_state[state.COMPARE_GROUP] = group_id
    at.run()
    at.selectbox(key=state.COMPARE_REFERENCE).set_value(old).run()
    assert not at.exception
    assert trace_names(at, "cmp_loss_chart")[0] == "past · yesterday's run"


def test_server_page_shows_the_store_size_and_writer_lag(clean_streamlit):
    sid = "srv-" + uuid.uuid4().hex[:6]
    past_run(sid)
    at = app("server", sid).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Store size"].endswith("MB") and metrics["Writer lag"].endswith(" s")
    assert int(metrics["Stored runs"].replace(",", "")) >= 1


def _wait_stored(sid: str, hidden: bool = False, timeout: float = 30.0):
    from playground.store import RunFilter

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runtime.store().flush()
        found = runtime.store().list_runs(RunFilter(owner=sid, include_hidden=hidden))
        if found:
            return found
        time.sleep(0.2)
    return []


def test_a_finished_sweep_is_stored_as_grouped_trials(clean_streamlit):
    sid = "sweep-" + uuid.uuid4().hex[:6]
    at = app("sweep", sid)
    at.session_state[state.CONFIG] = RunConfig(dataset="spiral", n_samples=300)
    at.run()
    at.multiselect(key="sw_opts").set_value(["sgd", "adam"])
    at.number_input(key="sw_steps").set_value(40)
    at.button(key="sw_run").click().run()
    found = _wait_stored(sid)
    assert sorted(r.label for r in found) == ["Range test · Adam", "Range test · SGD"]
    assert len({r.group_id for r in found}) == 1 and {r.kind for r in found} == {"sweep"}


def test_lesson_evidence_is_stored_hidden(clean_streamlit, monkeypatch):
    import dataclasses

    from playground.lessons import LESSONS
    from playground.lessons.base import SOURCE, Evidence, Finding
    from playground.ui.pages.lessons import page

    sid = "lesson-" + uuid.uuid4().hex[:6]
    first = LESSONS[0]

    def quick(progress=None, source=None):
        return Evidence([Finding(SOURCE, first.source.name, True, "Observed quickly.")],
                        numbers={"x": 1.0},
                        series={"curves": {"step": [0, 1], "loss": [1.0, 0.5]}})

    monkeypatch.setattr(page, "LESSONS", [dataclasses.replace(first, evidence=quick)])
    at = app("lessons", sid).run()
    at.button(key=f"evidence_{first.key}").click().run()
    found = _wait_stored(sid, hidden=True)
    assert [r.kind for r in found] == ["lesson"] and found[0].hidden
    assert found[0].tags == ("lesson", first.key)
