"""The Train page, headless (AppTest): controls, runs, live updates, bad input."""
import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.charts import charts
from playground.config import INITS, RunConfig
from playground.ui import state
from playground.ui import runtime
from tests.pages.sidebar import open_section

APP = "../../app.py"


def fresh(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def current_config(at) -> RunConfig:
    return at.session_state[state.CONFIG]


def test_page_renders_with_a_preview_and_no_exception(clean_streamlit):
    at = fresh()
    assert not at.exception
    assert at.title[0].value == "Train"
    assert [b.label for b in at.button][:6] == ["Start", "Pause", "Step", "Epoch", "Stop", "Reset"]
    assert list(charts(at)) == ["chart_preview"]          # the dataset preview
    assert any("Ready to train" in s.value for s in at.subheader)


def test_controls_change_the_config_and_the_url(clean_streamlit):
    at = fresh()
    at.selectbox(key="cfg_optimizer").set_value("momentum").run()
    at.number_input(key="cfg_lr").set_value(0.05).run()
    at.selectbox(key="cfg_dataset").set_value("moons").run()
    cfg = current_config(at)
    assert (cfg.optimizer, cfg.lr, cfg.dataset) == ("momentum", 0.05, "moons")
    assert at.query_params["optimizer"] == "momentum" and at.query_params["lr"] == "0.05"
    # momentum's own setting appears; Adam's betas do not
    keys = {n.key for n in at.number_input}
    assert "cfg_momentum" in keys and "cfg_beta1" not in keys


def test_start_creates_a_run_whose_steps_grow(clean_streamlit):
    at = fresh()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    assert run_id and runtime.registry().snapshot(run_id) is not None
    steps = []
    for _ in range(3):
        time.sleep(0.8)
        at.run()
        steps.append(int(metric(at, "Step").replace(",", "")))
    assert steps[0] < steps[1] < steps[2], steps
    assert set(charts(at)) == {"chart_loss", "chart_model", "chart_acc", "chart_lr"}
    assert at.query_params["run"] == run_id


def test_invalid_input_shows_messages_and_disables_start(clean_streamlit):
    at = fresh()
    at.number_input(key="cfg_lr").set_value(-1.0).run()
    at.number_input(key="cfg_dropout").set_value(1.5).run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]   # shown Markdown-escaped
    assert any("must be in (0, 10000]" in e for e in errors)
    assert any("must be in [0, 1)" in e for e in errors)
    assert at.button(key="btn_start").disabled


def test_batch_bigger_than_training_set_is_explained(clean_streamlit):
    at = open_section(fresh(), "Training")
    at.number_input(key="cfg_batch_size").set_value(5000).run()
    assert any("training set has only 420" in e.value.replace("\\", "") for e in at.error)


def test_a_link_sets_up_the_page_and_bad_values_are_named(clean_streamlit):
    at = fresh({"dataset": "xor", "optimizer": "sgd", "lr": "0.3", "width": "lots"})
    cfg = current_config(at)
    assert (cfg.dataset, cfg.optimizer, cfg.lr) == ("xor", "sgd", 0.3)
    assert any("Units per hidden layer" in w.value and "ignored" in w.value for w in at.warning)
    assert not at.exception


def test_reload_reattaches_to_the_running_run(clean_streamlit):
    at = fresh()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    again = fresh({"run": run_id, "dataset": "spiral"})   # a new session with the same link
    assert again.session_state[state.TRAIN_RUN] == run_id
    assert len(charts(again)) == 4


def test_lr_change_during_a_run_applies_live(clean_streamlit):
    at = fresh()
    at.selectbox(key="cfg_optimizer").set_value("sgd").run()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    at.number_input(key="cfg_lr").set_value(0.2).run()
    reg = runtime.registry()
    deadline = time.monotonic() + 10
    # The run may still be building its trainer (the first one in a process imports
    # torch's optimizer machinery): the change must reach it whenever it starts.
    while time.monotonic() < deadline and reg.snapshot(run_id).lr != 0.2:
        time.sleep(0.05)
    assert reg.snapshot(run_id).lr == 0.2
    assert not any("restart" in w.value for w in at.warning)
    at.number_input(key="cfg_width").set_value(32).run()
    assert any("restart" in w.value and "width" in w.value for w in at.warning)


def test_pause_and_step(clean_streamlit):
    at = fresh()
    at.button(key="btn_step").click().run()        # Step before Start: one step, paused
    run_id = at.session_state[state.TRAIN_RUN]
    snap = runtime.registry().snapshot(run_id)
    assert snap.step == 1 and snap.status.value == "paused"
    at.button(key="btn_epoch").click().run()
    snap = runtime.registry().snapshot(run_id)
    assert snap.step == 1 + snap.steps_per_epoch
    at.button(key="btn_pause").click().run()        # the same button now resumes
    time.sleep(0.5)
    assert runtime.registry().snapshot(run_id).step > 1 + snap.steps_per_epoch


@pytest.mark.parametrize("dataset", ["digits", "gauss", "news", "names"])
def test_other_datasets_render_their_model_view(clean_streamlit, dataset):
    at = fresh({"dataset": dataset})
    preview = " ".join(m.value for m in at.markdown)
    assert ("EmbeddingBag" in preview) == (dataset == "news")
    at.button(key="btn_start").click().run()
    time.sleep(0.5)
    at.run()
    assert not at.exception
    titles = " ".join(json.dumps(spec) for spec in charts(at).values())
    assert ("Decision boundary" in titles) if dataset == "gauss" else ("confusion" in titles)


def test_classroom_link_hides_and_locks_controls(clean_streamlit):
    at = open_section(fresh({"dataset": "xor", "optimizer": "sgd", "lr": "0.5",
                             "hide": "lr,seed", "lock": "1"}), "Training")
    keys = {w.key for w in at.number_input} | {w.key for w in at.selectbox}
    assert "cfg_lr" not in keys and "cfg_seed" not in keys and "cfg_clip" in keys
    assert at.selectbox(key="cfg_optimizer").disabled
    assert any("fixed by the link" in i.value for i in at.info)
    assert at.query_params["hide"] == "lr,seed" and at.query_params["lock"] == "1"
    assert current_config(at).lr == 0.5
    at.button(key="btn_start").click().run()          # the exercise still runs
    assert at.session_state[state.TRAIN_RUN]


def test_classroom_link_can_hide_the_whole_sidebar_and_names_bad_entries(clean_streamlit):
    at = fresh({"optimizer": "adam", "hide": "sidebar,bogus"})
    assert not [w for w in at.selectbox if w.key and w.key.startswith("cfg_")]
    assert any("Exercise" in m.value for m in at.sidebar.markdown)
    assert any("bogus" in w.value for w in at.warning)


def test_link_text_is_shown_escaped(clean_streamlit):
    at = fresh({"optimizer": "[click](http://evil.example)"})
    shown = " ".join([e.value for e in at.error] + [w.value for w in at.warning])
    assert "[click](http" not in shown and "click" in shown


def test_an_uploaded_task_handed_over_is_what_the_run_trains_on(clean_streamlit):
    from playground.data import names as names_data

    cfg = RunConfig(dataset="names", optimizer="sgd", lr=0.1, length=50, batch_size=32)
    task = names_data.build_task(["anna", "bob", "carla", "dave", "eve", "fred"] * 20, cfg,
                                 source="my-names.txt")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.handoff_key("train")] = {"config": cfg, "task": task, "start": True}
    at.run()
    run_id = at.session_state[state.TRAIN_RUN]
    reg = runtime.registry()
    deadline = time.monotonic() + 10
    while reg.task(run_id) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reg.task(run_id) is task
    at.button(key="btn_start").click().run()          # a restart keeps the user's data
    again = at.session_state[state.TRAIN_RUN]
    while reg.task(again) is None and time.monotonic() < deadline + 10:
        time.sleep(0.05)
    assert again != run_id and reg.task(again) is task


def test_optimizer_settings_keep_their_values_when_they_reappear(clean_streamlit):
    at = fresh()
    for name in ("sgd", "momentum", "adam"):      # the betas are not drawn for SGD
        at.selectbox(key="cfg_optimizer").set_value(name).run()
    assert (at.number_input(key="cfg_beta1").value, at.number_input(key="cfg_beta2").value,
            at.number_input(key="cfg_eps").value) == (0.9, 0.999, 1e-8)
    at.number_input(key="cfg_lr").set_value(0.02).run()      # the next edit
    cfg = current_config(at)
    assert (cfg.beta1, cfg.beta2, cfg.eps, cfg.lr) == (0.9, 0.999, 1e-8, 0.02)
    assert not at.button(key="btn_start").disabled


def test_data_settings_come_back_after_another_dataset(clean_streamlit):
    at = fresh()
    at.number_input(key="cfg_n_samples").set_value(800.0).run()
    at.selectbox(key="cfg_dataset").set_value("digits").run()   # Points and Noise hidden
    at.selectbox(key="cfg_dataset").set_value("spiral").run()
    assert at.number_input(key="cfg_n_samples").value == 800
    assert at.slider(key="cfg_noise").value == 0.15
    assert (current_config(at).n_samples, current_config(at).noise) == (800, 0.15)


def test_reset_clears_the_run_its_charts_and_its_link(clean_streamlit):
    at = fresh()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    assert at.query_params["run"] in (run_id, [run_id])
    at.button(key="btn_reset").click().run()
    assert not at.exception
    assert at.session_state[state.TRAIN_RUN] is None
    assert "run" not in at.query_params
    shown = " ".join(m.value for m in [*at.warning, *at.success, *at.info])
    assert "Stopped at step" not in shown and "Its history is kept" not in shown
    assert any("Ready to train" in s.value for s in at.subheader)   # the preview is back
    assert at.button(key="btn_reset").disabled
    time.sleep(0.3)
    at.run()                                        # and it stays detached
    assert at.session_state[state.TRAIN_RUN] is None
    assert runtime.registry().snapshot(run_id).status.value == "stopped"


def test_whole_number_boxes_report_what_was_typed(clean_streamlit):
    at = fresh()
    at.number_input(key="cfg_hidden_layers").set_value(1e12).run()
    at.number_input(key="cfg_width").set_value(2.5).run()
    errors = " ".join(e.value.replace("\\", "") for e in at.error)
    assert "must be between 0 and 8, got 1,000,000,000,000" in errors
    assert "expected a whole number, got 2.5" in errors
    assert at.button(key="btn_start").disabled


def test_speed_survives_and_follows_a_reattached_run(clean_streamlit):
    at = fresh()
    at.segmented_control(key="train_pace").set_value("max").run()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    assert runtime.registry().snapshot(run_id).pace is None          # full speed
    reload = fresh({"run": run_id, "dataset": "spiral"})             # a reload
    assert reload.session_state[state.TRAIN_RUN] == run_id
    assert reload.session_state["train_pace"] == "max"
    time.sleep(0.2)
    reload.run()
    assert runtime.registry().snapshot(run_id).pace is None          # not slowed to Watch


def test_share_links_are_url_encoded():
    from urllib.parse import parse_qs, urlparse

    from playground.ui.pages.train.share import share_link

    link = share_link("http://host/", RunConfig(lr=0.05), {"lr", "optimizer"}, True)
    assert "hide=lr%2Coptimizer" in link and "lock=1" in link
    query = parse_qs(urlparse(link).query)
    assert query["hide"] == ["lr,optimizer"] and query["lr"] == ["0.05"]


def test_a_data_change_that_breaks_the_batch_size_names_it_and_opens_its_section(clean_streamlit):
    """Fewer points make the (collapsed) Training section's batch size too big: the
    message under Start names the setting and its section, and the section opens."""
    at = fresh()
    assert at.session_state["sec_training"] is False
    at.number_input(key="cfg_n_samples").set_value(50).run()
    at.number_input(key="cfg_val_fraction").set_value(0.5).run()
    assert not at.exception
    assert at.button(key="btn_start").disabled
    shown = [e.value.replace("\\", "") for e in at.error]
    assert any("Fix this setting to start" in e and "Batch size" in e
               and "sidebar › Training" in e and "training set has only" in e
               for e in shown), shown
    assert at.session_state["sec_training"] is True
    # closed again by the user, it stays closed while the problem is the same one
    at.session_state["sec_training"] = False
    at.run()
    assert at.session_state["sec_training"] is False
    # a closed section's controls are not drawn; its problem is still said, in words
    assert "cfg_batch_size" not in {n.key for n in at.number_input}
    assert any("Batch size" in e.value and "training set has only" in e.value.replace("\\", "")
               for e in at.sidebar.error)


def test_a_closed_section_keeps_its_values_without_drawing_its_controls(clean_streamlit):
    at = open_section(fresh(), "Training")
    at.number_input(key="cfg_batch_size").set_value(64).run()
    at.selectbox(key="cfg_scheduler").set_value("step").run()
    at.session_state["sec_training"] = False          # the user closes it again
    at.run()
    assert {"cfg_batch_size", "cfg_step_size"}.isdisjoint({n.key for n in at.number_input})
    assert (current_config(at).batch_size, current_config(at).scheduler) == (64, "step")
    assert at.query_params["batch_size"] == "64"
    at.number_input(key="cfg_lr").set_value(0.05).run()   # another section's change
    at = open_section(at, "Training")
    assert at.number_input(key="cfg_batch_size").value == 64
    assert at.selectbox(key="cfg_scheduler").value == "step"
    assert (current_config(at).batch_size, current_config(at).lr) == (64, 0.05)


def test_the_lectures_own_inits_are_in_the_init_select(clean_streamlit):
    at = fresh()
    select = at.selectbox(key="cfg_init")
    assert {INITS["randn"], INITS["uniform"]} <= set(select.options)   # shown by label
    assert "N(0, 1) everywhere, biases included" in select.help
    assert "U(−0.5, 0.5), biases 0" in select.help
    select.set_value("randn").run()
    assert current_config(at).init == "randn" and at.query_params["init"] == "randn"
    assert "cfg_init_std" not in {n.key for n in at.number_input}   # σ is fixed at 1
    assert any("makemore part 2" in c.value for c in at.caption)


def test_a_paced_run_the_server_cannot_keep_up_with_says_it_is_slowed(clean_streamlit,
                                                                       monkeypatch):
    """On a lane, a Watch run whose steps cost more than Watch pace allows (a wide net on
    the full digits set: tens of ms a step) is told so, with the pace it reaches."""
    from tests.waiting import wait_until

    monkeypatch.setenv("PLAYGROUND_LANES", "1")
    reg = runtime.registry()
    heavy = RunConfig(dataset="digits", width=512, hidden_layers=4, batch_size=0,
                      length=10_000_000)
    run = reg.start(heavy, owner="x", pace=150)
    assert wait_until(lambda: reg.snapshot(run).slowed, 60)
    at = fresh({"run": run, **heavy.to_query()})
    time.sleep(2.5)                   # the page kept the run's Watch pace: still behind
    at.run()
    badge = " ".join(m.value for m in at.markdown)
    assert "slowed: the server is busy" in badge and "of 150 steps/s" in badge
    reg.set_pace(run, None)           # full speed is never "slowed"
    assert not reg.snapshot(run).slowed
