"""The Compare page in AppTest: setup table, presets, start, live panel, hand-offs."""
from __future__ import annotations

import json
import time

from streamlit.testing.v1 import AppTest

from tests.pages.charts import charts
from playground.config import RunConfig
from playground.ui import runtime
from playground.ui import state


def _page():
    from playground.ui import shell

    shell.main(default="compare")


def _app(config: RunConfig | None = None, handoff: dict | None = None) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    if config is not None:
        at.session_state[state.CONFIG] = config
    if handoff is not None:
        at.session_state[state.handoff_key("compare")] = handoff
    return at


SMALL = RunConfig(dataset="gauss", n_samples=300, hidden_layers=1, width=8, length=150,
                  eval_every=10)


def _group(at):
    """The group the page shows, as a fresh snapshot."""
    return runtime.registry().group(at.session_state[state.COMPARE_GROUP], poll=False)


def _wait_done(at, timeout=30.0):
    runtime.registry().join(_group(at).run_ids[0], timeout)
    group = _group(at)
    assert not group.active, "the group did not finish in time"
    return group


def test_page_renders_default_preset_and_fairness(clean_streamlit):
    at = _app(SMALL).run()
    assert not at.exception
    assert at.title[0].value == "Compare"
    table = at.dataframe[0].value
    assert list(table["optimizer"]) == ["sgd", "adam"] and list(table["lr"]) == [0.1, 0.001]
    text = " ".join(m.value for m in at.markdown)
    assert "Same data split for every run" in text
    assert "Identical initial weights for all 2 runs" in text
    start = at.button(key="cmp_start")
    assert not start.disabled
    assert at.selectbox(key="cmp_preset").value == "SGD 0.1 vs Adam 1e-3"
    for sb in at.selectbox:
        assert sb.help, f"selectbox {sb.label!r} has no tooltip"


def test_loading_a_preset_replaces_the_rows(clean_streamlit):
    at = _app(SMALL).run()
    at.selectbox(key="cmp_preset").set_value("LR too small / right / too large").run()
    at.button(key="cmp_load").click().run()
    assert not at.exception
    rows = at.session_state[state.COMPARE_ROWS]
    assert [r["lr"] for r in rows] == [0.001, 0.3, 20.0]
    text = " ".join(m.value for m in at.markdown)
    assert "Identical initial weights for all 3 runs" in text


def test_invalid_sidebar_config_disables_start_and_says_why(clean_streamlit):
    at = _app(SMALL.replace(width=0)).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "width" in errors
    assert at.button(key="cmp_start").disabled


def test_start_runs_the_group_and_shows_curves_summary_and_csv(clean_streamlit):
    at = _app(SMALL).run()
    at.button(key="cmp_start").click().run()
    assert not at.exception
    group = _wait_done(at)
    at.run()
    assert not at.exception
    drawn = charts(at)
    assert len(drawn) >= 2
    loss = drawn["cmp_loss_chart"]
    names = [t.get("name", "") for t in loss["data"]]
    assert "SGD lr=0.1" in names and "Adam lr=0.001" in names
    train = [t for t in loss["data"] if t.get("name") in ("SGD lr=0.1", "Adam lr=0.001")]
    assert all(len(t["x"]["bdata"] if isinstance(t["x"], dict) else t["x"]) > 0 for t in train)
    summary = at.dataframe[-1].value
    assert list(summary["run"]) == ["SGD lr=0.1", "Adam lr=0.001"]
    assert list(summary["steps"]) == [SMALL.length] * 2
    assert summary["final val accuracy"].between(0, 1).all()
    assert (summary["best val loss"] <= summary["final val loss"] + 1e-12).all()
    text = " ".join(m.value for m in at.markdown)
    assert "verified on the runs' tensors" in text
    assert "Identical initial weights: all 2 runs" in text
    assert all(s.step == SMALL.length for s in group.members)
    assert at.get("download_button"), "no CSV download"


def test_per_run_pause_and_stop_buttons(clean_streamlit):
    at = _app(SMALL.replace(length=100_000)).run()
    at.button(key="cmp_start").click().run()
    a, b = _group(at).run_ids
    now = lambda run: runtime.registry().snapshot(run, poll=False)  # noqa: E731
    deadline = time.monotonic() + 10
    while now(a).step < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    at.run()
    at.button(key=f"cmp_stop_{b}").click().run()
    time.sleep(0.3)
    assert now(b).status.value == "stopped"
    assert now(a).status.value == "running"
    at.button(key="cmp_stop_all").click().run()
    _wait_done(at, 5)
    assert now(a).status.value == "stopped"


def test_handoff_from_lessons_starts_exact_configs(clean_streamlit):
    configs = [SMALL.replace(batch_size=8, length=40), SMALL.replace(batch_size=64, length=5)]
    at = _app(SMALL, {"configs": configs, "labels": ["batch 8", "batch 64"], "start": True})
    at.run()
    assert not at.exception
    group = _wait_done(at)
    assert [m.label for m in group.members] == ["batch 8", "batch 64"]
    assert [m.config for m in group.members] == configs     # exactly what was sent
    assert group.clock == "examples"
    assert [r["batch_size"] for r in at.session_state[state.COMPARE_ROWS]] == [8, 64]


def test_bad_handoff_is_explained(clean_streamlit):
    at = _app(SMALL, {"configs": [SMALL], "labels": ["one"], "start": True}).run()
    assert not at.exception
    assert "needs 2–6 run configs, got 1" in " ".join(e.value for e in at.error)
    assert at.session_state[state.COMPARE_GROUP] is None          # no group was started


def test_surface_handoff_draws_the_groups_runs_under_their_own_names(clean_streamlit):
    at = _app(SMALL).run()
    at.selectbox(key="cmp_preset").set_value("xavier vs zeros vs large normal").run()
    at.button(key="cmp_load").click().run()
    at.button(key="cmp_start").click().run()
    group = _wait_done(at)
    at.run()
    labels = [m.label for m in group.members]
    assert len(set(labels)) == 3 and any("Zeros" in x for x in labels)
    at.button(key="cmp_to_surface").click().run()
    assert not at.exception
    assert at.title[0].value == "Loss surface"           # the page switched
    assert at.session_state["net_runs"] == list(group.run_ids)  # the group's runs chosen
    shown = at.multiselect(key="net_runs")
    for rid, label in zip(group.run_ids, labels):
        assert label in shown.format_func(rid)
    traces = [runtime.registry().capture(rid) for rid in group.run_ids]
    assert [t.label for t in traces] == labels             # the paths' legend names


def test_the_speed_chosen_in_the_setup_is_the_groups_speed(clean_streamlit):
    at = _app(SMALL.replace(length=100_000)).run()
    at.select_slider(key="cmp_pace").set_value("Slow (20 steps/s)").run()
    at.button(key="cmp_start").click().run()
    first = _group(at).group_id
    assert _group(at).pace == 20.0
    time.sleep(0.5)
    at.run()                                   # the live panel must not override it
    assert _group(at).pace == 20.0
    assert at.select_slider(key=f"cmp_live_pace_{first}").value == "Slow"
    time.sleep(1.0)
    assert max(s.step for s in _group(at).members) < 60   # ~20 steps/s, not 3,000
    # A new group starts at its own chosen speed, not the previous group's slider.
    at.select_slider(key="cmp_pace").set_value("Watch (100 steps/s)").run()
    at.button(key="cmp_start").click().run()
    second = _group(at)
    assert second.group_id != first and second.pace == 100.0
    at.run()
    assert _group(at).pace == 100.0
    runtime.registry().stop_group(first)
    runtime.registry().stop_group(second.group_id)


def test_the_compare_link_keeps_the_classroom_settings(clean_streamlit):
    at = AppTest.from_function(_page, default_timeout=60)
    at.query_params["hide"] = "lr,optimizer"
    at.query_params["lock"] = "1"
    at.run()
    assert not at.exception
    assert at.query_params["hide"] in ("lr,optimizer", ["lr,optimizer"])
    assert at.query_params["lock"] in ("1", ["1"])
    keys = {w.key for w in at.sidebar.number_input}
    assert "cfg_lr" not in keys and all(w.disabled for w in at.sidebar.number_input)
    assert not at.button(key="cmp_start").disabled


def test_a_run_length_of_zero_is_a_message_not_a_crash(clean_streamlit):
    at = _app(SMALL.replace(length=0)).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Train each run for" in errors
    assert at.button(key="cmp_start").disabled


def test_a_reload_reattaches_the_group_from_the_url(clean_streamlit):
    at = _app(SMALL).run()
    at.button(key="cmp_start").click().run()
    group = _wait_done(at)
    at.run()
    assert at.query_params["group"] in (group.group_id, [group.group_id])
    fresh = _app(SMALL)                      # a new session: no session state at all
    fresh.query_params["group"] = group.group_id
    fresh.run()
    assert not fresh.exception
    assert fresh.session_state[state.COMPARE_GROUP] == group.group_id
    assert all(m.owner == fresh.session_state[state.SESSION_ID] for m in _group(fresh).members)
    assert len(charts(fresh)) >= 2


def test_every_run_shows_its_update_sizes_side_by_side_in_its_colour(clean_streamlit):
    at = _app(SMALL.replace(length=300)).run()
    at.button(key="cmp_start").click().run()
    group = _wait_done(at)
    at.run()
    assert not at.exception
    drawn = charts(at)
    updates = [drawn[f"cmp_update_{rid}"] for rid in group.run_ids]
    assert [u["layout"]["title"]["text"] for u in updates] == list(group.labels)
    # one y scale for all, so the runs compare at a glance
    assert len({tuple(u["layout"]["yaxis"]["range"]) for u in updates}) == 1
    colours = [next(t["line"]["color"] for t in u["data"] if t["name"].startswith("W"))
               for u in updates]
    assert len(set(colours)) == len(colours)


def test_inside_each_network_draws_every_runs_diagram_from_its_own_weights(clean_streamlit):
    at = _app(SMALL.replace(length=60)).run()
    at.button(key="cmp_start").click().run()
    group = _wait_done(at)
    at.run()
    assert not [k for k in charts(at) if k.startswith("cmp_network_")]   # off by default
    at.toggle(key="cmp_inside").set_value(True).run()
    assert not at.exception
    drawn = charts(at)
    diagrams = [drawn[f"cmp_network_{rid}"] for rid in group.run_ids]
    titles = [d["layout"]["title"]["text"] for d in diagrams]
    assert titles == [f"{label} · step 60" for label in group.labels]

    def link_weights(fig):    # each link's hover carries its w: the run's own weights
        return [t["customdata"] for t in fig["data"]
                if str(t.get("name", "")).startswith("weights")]

    assert all(link_weights(d) for d in diagrams)
    assert len({json.dumps(link_weights(d)) for d in diagrams}) == len(diagrams)
