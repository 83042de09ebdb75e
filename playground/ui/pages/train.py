"""Train page: set up a network in the sidebar, press Start, watch it learn."""
from __future__ import annotations

import time

import streamlit as st

from playground import data as datasets
from playground import explain
from playground.config import InvalidConfig, RunConfig
from playground.figures.boundary import (boundary_figure, confusion_figure,
                                         digits_preview_figure)
from playground.figures.curves import X_AXES, accuracy_figure, ema, loss_figure, lr_figure
from playground.predict import confusion_matrix, grid_probabilities, plane_bounds, replica
from playground.registry import RunLimitError
from playground.ui import controls, live, run_extras, runtime, shell, state
from playground.worker import Snapshot, Status

RUN_KEY = state.TRAIN_RUN
HANDED_TASK = "train_handed_task"
APPLIED_LR = state.TRAIN_APPLIED_LR
BOUNDARY_CACHE = "train_boundary"
BOUNDARY_EVERY_S = 1.0
PACES = shell.TRAIN_PACES
PACE_LABELS = {"slow": "Slow", "watch": "Watch", "max": "Full speed"}
PACE_KEY = state.TRAIN_PACE
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"scale": 2}}


def render() -> None:
    reg = runtime.registry()
    sid = runtime.session_id()
    reg.touch(sid)
    handoff = runtime.take_handoff("train")
    if handoff and "config" in handoff:
        # An uploaded dataset cannot live in the URL: keep it for runs of this config.
        st.session_state[HANDED_TASK] = ((datasets.cache_key(handoff["config"]),
                                          handoff["task"]) if handoff.get("task") else None)

    hidden, locked = controls.classroom()
    config = runtime.get_config()       # as the sidebar (drawn by the shell) left it
    errors = config.validate()
    run_id = _attached_run(reg)
    if handoff and handoff.get("start") and not errors:
        run_id = _start(reg, sid, config)

    st.title("Train")
    st.caption("Pick a dataset, a model and an optimizer in the sidebar, press **Start**, "
               "and watch the loss fall. Try a learning rate of 10 to see divergence.")
    snap = reg.snapshot(run_id) if run_id else None
    if snap is not None:
        _apply_live_changes(reg, snap, config)
    _run_buttons(reg, sid, config, errors, snap)
    if snap is None:
        _preview(config, errors)
    else:
        _live_panel(snap)
    run_extras.maths(config)
    if snap is not None:
        run_extras.downloads(reg, run_id)
    if not locked:
        run_extras.share(config)


# ------------------------------------------------------------------ run state
def _attached_run(reg) -> str | None:
    """The run this tab shows (after a reload, the shell re-attached the link's run)."""
    run_id = st.session_state.get(RUN_KEY)
    if run_id and reg.snapshot(run_id, poll=False, max_points=2) is None:
        run_id = None                  # cleared from the server meanwhile
    st.session_state[RUN_KEY] = run_id
    return run_id


def _start(reg, sid: str, config: RunConfig, paused: bool = False) -> str | None:
    old = st.session_state.get(RUN_KEY)
    if old:
        reg.command(old, "stop")
    handed = st.session_state.get(HANDED_TASK)
    task = handed[1] if handed and handed[0] == datasets.cache_key(config) else None
    try:
        run_id = reg.start(config, owner=sid, start_paused=paused, task=task,
                           pace=PACES[_chosen_pace()])
    except (InvalidConfig, RunLimitError) as exc:
        st.error(str(exc))
        return old
    st.session_state[RUN_KEY] = run_id
    st.session_state[APPLIED_LR] = config.lr
    st.session_state.pop(BOUNDARY_CACHE, None)
    return run_id


def _apply_live_changes(reg, snap: Snapshot, config: RunConfig) -> None:
    """A new LR goes straight to the running run; other edits need a restart."""
    if not snap.active:
        return
    applied = st.session_state.get(APPLIED_LR, snap.config.lr)
    if not config.validate() and config.lr != applied:
        reg.command(snap.run_id, "set_lr", config.lr)
        st.session_state[APPLIED_LR] = config.lr
        st.toast(f"Learning rate → {config.lr:g} from the next step")
    if config.replace(lr=snap.config.lr) != snap.config:
        changed = [k for k, v in config.to_dict().items()
                   if k != "lr" and v != getattr(snap.config, k)]
        st.warning(f"Config changed ({', '.join(changed)}) — press **Start** to restart with "
                   "it. The learning rate applies live; everything else needs a restart.",
                   icon=":material/sync_problem:")


def _run_buttons(reg, sid: str, config: RunConfig, errors: list, snap: Snapshot | None) -> None:
    active = snap is not None and snap.active
    paused = snap is not None and snap.status == Status.PAUSED
    cols = st.columns([1.2, 1.2, 1, 1.1, 1, 1, 3])
    start = cols[0].button("Restart" if active else "Start", type="primary", key="btn_start",
                           disabled=bool(errors), icon=":material/play_arrow:",
                           help="Start a new run with the sidebar's settings "
                                "(stops the current one).")
    if snap is not None and snap.status == Status.PAUSED:
        toggle = cols[1].button("Resume", key="btn_pause", icon=":material/resume:",
                                help="Continue training.")
    else:
        toggle = cols[1].button("Pause", key="btn_pause", disabled=not active,
                                icon=":material/pause:", help="Pause to inspect; Step "
                                "then advances one step at a time.")
    can_step = snap is None or paused
    one = cols[2].button("Step", key="btn_step", disabled=bool(errors) or not can_step,
                         help="One optimizer step (pauses a new run before its first step).")
    epoch = cols[3].button("Epoch", key="btn_epoch", disabled=bool(errors) or not can_step,
                           help="One pass over the training set, then pause.")
    stop = cols[4].button("Stop", key="btn_stop", disabled=not active,
                          icon=":material/stop:", help="End the run; its history is kept.")
    reset = cols[5].button("Reset", key="btn_reset", disabled=snap is None,
                           icon=":material/restart_alt:",
                           help="Stop and clear the charts to start afresh.")
    if errors:
        st.error("Fix the settings marked in the sidebar to start.", icon=":material/error:")
    with cols[6]:
        pace_key = st.segmented_control(
            "Speed", list(PACES), default="watch", key=PACE_KEY, persist_state="session",
            format_func=PACE_LABELS.get, help="Slow and Watch cap the steps per second so you "
            "can follow the curves; Full speed trains as fast as the server allows. "
            "Results are identical at every speed.") or "watch"
    run_id = snap.run_id if snap else None
    if active and snap.pace != PACES[pace_key]:
        reg.command(run_id, "set_pace", PACES[pace_key])
    if start:
        _start(reg, sid, config)
        st.rerun()
    if toggle and snap is not None:
        reg.command(run_id, "resume" if paused else "pause")
        _wait_for(reg, run_id, lambda s: s.status != snap.status or not s.active)
        st.rerun()
    if one or epoch:
        if snap is None or not snap.active:
            run_id = _start(reg, sid, config, paused=True)
            _wait_for(reg, run_id, lambda s: s.total_steps > 0)   # its trainer is built
            snap = reg.snapshot(run_id)
        n = 1 if one else snap.steps_per_epoch
        reg.command(run_id, "step", n)
        _wait_for(reg, run_id, lambda s: s.step >= snap.step + n or not s.active)
        st.rerun()
    if stop:
        reg.command(run_id, "stop")
        _wait_for(reg, run_id, lambda s: not s.active)
        st.rerun()
    if reset:
        reg.command(run_id, "stop")
        st.session_state[RUN_KEY] = None
        st.session_state.pop(BOUNDARY_CACHE, None)
        st.rerun()


def _chosen_pace() -> str:
    return st.session_state.get(PACE_KEY) or "watch"


def _wait_for(reg, run_id: str, done, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snap = reg.snapshot(run_id)
        if snap is None or done(snap):
            return
        time.sleep(0.03)


# --------------------------------------------------------------- view options
def _view_options() -> dict:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        smoothing = st.slider("Smoothing", 0.0, 0.99, 0.8, 0.01, key="view_smoothing",
                              width=220, help="Exponential moving average of the minibatch "
                              "loss (0 = raw). The shaded band shows the raw minibatch range.")
        x = st.segmented_control("x axis", list(X_AXES), default="step", key="view_x",
                                 format_func=lambda k: {"step": "steps", "epoch": "epochs",
                                                        "examples": "examples",
                                                        "time": "time"}[k],
                                 help="Measure progress in optimizer steps, passes over the "
                                 "data, examples seen, or training seconds.")
        log_y = st.toggle("Log loss axis", key="view_logy",
                          help="A log scale shows late, small improvements.")
        show_val = st.toggle("Validation points", key="view_valpts",
                             help="Also draw validation points (hollow) on the boundary.")
        frozen = st.toggle("Freeze view", key="view_frozen",
                           help="Stop redrawing the charts so you can zoom and hover; "
                                "training continues and the numbers keep updating.")
    return {"smoothing": smoothing, "x": x or "step", "log_y": log_y, "show_val": show_val,
            "frozen": frozen}


# ----------------------------------------------------------------- live panel
def _live_panel(snap: Snapshot) -> None:
    """View options, status and charts of the attached run, in one fragment.

    The chart options live inside the polling fragment, so changing one reruns only the
    fragment, not the whole page (sidebar and all): on a classroom server that is most
    of what students click. Each refresh takes one snapshot and hands it to both the
    status and the charts (a snapshot copies the history under the run's lock).
    """
    reg = runtime.registry()
    run_id = snap.run_id
    status_every, charts_every = live.poll_intervals(snap, reg.watched_sessions())
    shown_status = snap.status
    frozen = bool(st.session_state.get("view_frozen", False))
    # Live: the fragment redraws the charts. Queued, paused, ended or frozen: it polls
    # only the status and the charts are drawn once, below it, by the full run.
    charts_inside = bool(charts_every) and not frozen
    # Only charts actually drawn below the fragment need a full rerun to follow an option
    # (a queued run has none yet: the page reruns anyway when it starts).
    charts_below = not charts_inside and snap.step > 0
    drawn = {"full_run": True, "view": None}

    def status_part(s: Snapshot | None, view: dict) -> None:
        if s is None:
            st.warning("This run no longer exists (the server restarted or it was cleared).")
            return
        live.status_message(s)
        live.progress(s)
        smooth = ema(s.history["train"]["loss"], view["smoothing"])
        live.metrics_row(s, float(smooth[-1]) if len(smooth) else None)
        if status_every and s.status != shown_status:
            # Started, paused or ended: redraw the buttons and choose what to poll.
            st.rerun(scope="app")

    @st.fragment(run_every=charts_every if charts_inside else status_every)
    def live_area() -> None:
        view = _view_options()
        if drawn["full_run"]:
            drawn["view"] = view
        elif view["frozen"] != frozen or (charts_below and view != drawn["view"]):
            # The charts below this fragment were drawn with the old options.
            st.rerun(scope="app")
        s = reg.snapshot(run_id, with_weights=charts_inside)
        status_part(s, view)
        if charts_inside:
            _charts(s, view)

    live_area()
    drawn["full_run"] = False
    if not charts_inside:
        _charts(reg.snapshot(run_id), drawn["view"])


def _charts(s: Snapshot | None, view: dict) -> None:
    if s is None:
        return
    if s.step == 0:
        # Nothing to draw yet (a queued run): skip four empty figures, which on a
        # busy classroom server would cost every other session time.
        st.caption("The charts appear with the first training step.")
        return
    curve = live.curve_of(s)
    left, right = st.columns([1.25, 1])
    with left:
        st.plotly_chart(loss_figure([curve], view["x"], view["smoothing"], view["log_y"]),
                        key="chart_loss", config=CHART_CONFIG)
    with right:
        _model_view(s, view)
    left, right = st.columns([1.25, 1])
    with left:
        st.plotly_chart(accuracy_figure([curve], view["x"]), key="chart_acc",
                        config=CHART_CONFIG)
    with right:
        st.plotly_chart(lr_figure([curve], view["x"]), key="chart_lr", config=CHART_CONFIG)


def _model_view(snap: Snapshot, view: dict) -> None:
    """Decision boundary for 2D tasks, confusion matrix otherwise (from copied weights)."""
    worker = runtime.registry().get(snap.run_id)
    if snap.weights is None or worker is None or worker.trainer is None:
        return
    task = worker.trainer.task     # the run's own data (it may be an uploaded file)
    cache = st.session_state.get(BOUNDARY_CACHE)
    key = (snap.run_id, snap.weights_step, view["show_val"])
    fresh = cache is None or cache["run"] != snap.run_id
    due = fresh or (cache["key"] != key and
                    (time.monotonic() - cache["time"] >= BOUNDARY_EVERY_S or not snap.active))
    if due:
        model = replica(snap.config, task, snap.weights)
        if task.kind == "points2d":
            fig = _boundary(model, task, snap, view["show_val"])
        else:
            counts = confusion_matrix(model, task.val, task.n_classes)
            fig = confusion_figure(counts, task.class_names,
                                   title=f"Validation confusion · step {snap.weights_step:,}")
        cache = {"run": snap.run_id, "key": key, "time": time.monotonic(), "fig": fig}
        st.session_state[BOUNDARY_CACHE] = cache
    st.plotly_chart(cache["fig"], key="chart_model", config=CHART_CONFIG)


def _boundary(model, task, snap: Snapshot, show_val: bool):
    train_x, train_y = task.train.x.numpy(), task.train.y.numpy()
    bounds = plane_bounds(train_x)
    _, _, probs = grid_probabilities(model, bounds, resolution=90)
    val = (task.val.x.numpy(), task.val.y.numpy()) if show_val else (None, None)
    return boundary_figure(bounds, probs, train_x, train_y, task.class_names, *val,
                           title=f"Decision boundary · step {snap.weights_step:,}")


# -------------------------------------------------------------------- preview
def _preview(config: RunConfig, errors: list) -> None:
    if any(e.field in ("dataset", "n_samples", "noise", "classes", "val_fraction",
                       "test_fraction", "seed") for e in errors):
        st.info("Fix the data settings in the sidebar to see a preview.")
        return
    task = datasets.load(config)
    n_tr, n_va, n_te = len(task.train), len(task.val), len(task.test)
    model_ok = not any(e.field in ("hidden_layers", "width", "embed_dim", "context")
                       for e in errors)
    model_text = (explain.architecture(config, task.n_features, task.n_classes,
                                       task.model_kind)
                  if model_ok else "fix the model settings marked in the sidebar")
    left, right = st.columns([1.25, 1])
    with right:
        if task.kind == "points2d":
            x, y = task.train.x.numpy(), task.train.y.numpy()
            fig = boundary_figure(plane_bounds(x), None, x, y, task.class_names,
                                  title="The data (training split)")
            st.plotly_chart(fig, key="chart_preview", config=CHART_CONFIG)
        elif task.kind == "image" and task.image_shape:
            st.plotly_chart(digits_preview_figure(task.train.x.numpy(), task.train.y.numpy()),
                            key="chart_preview", config=CHART_CONFIG)
    with left:
        st.subheader("Ready to train")
        spec = datasets.DATASETS[config.dataset]
        st.markdown(
            f"**{spec.label}** — {spec.description}\n\n"
            f"- {n_tr:,} training / {n_va:,} validation / {n_te:,} test examples, "
            f"{task.n_classes} classes\n"
            f"- model: {model_text}"
            f" ({config.activation}{f', dropout {config.dropout:g}' if config.dropout else ''})\n"
            f"- {config.short_label()}, {config.length:,} {config.length_unit}\n\n"
            "Press **Start** to train, or **Step** to take a single step.")
