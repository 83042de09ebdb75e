"""The Train page's live panel: chart options, status, metrics and the four charts."""
from __future__ import annotations

import streamlit as st

from playground.figures.curves import X_AXES, ema, loss_figure, lr_figure, score_figure
from playground.runs.snapshot import Snapshot
from playground.training.losses import loss_words
from playground.ui import runtime
from playground.ui.pages.train.ghost import ghost_id, with_ghost
from playground.ui.pages.train.model_view import model_view
from playground.ui.widgets import live
from playground.ui.widgets.chart_memo import memo_chart

X_LABELS = {"step": "steps", "epoch": "epochs", "examples": "examples", "time": "time"}


def view_options() -> dict:
    with st.popover("Chart options", icon=":material/tune:",
                    help="Smoothing, the x axis, a log loss axis, validation points on the "
                         "boundary, and freezing the view to zoom."):
        smoothing = st.slider("Smoothing", 0.0, 0.99, 0.8, 0.01, key="view_smoothing",
                              persist_state="session",
                              help="Exponential moving average of the minibatch loss (0 = "
                              "raw). The shaded band shows the raw minibatch range.")
        x = st.segmented_control("x axis", list(X_AXES), default="step", key="view_x",
                                 persist_state="session", format_func=X_LABELS.get,
                                 help="Measure progress in optimizer steps, passes over the "
                                 "data, examples seen, or training seconds.")
        log_y = st.toggle("Log loss axis", key="view_logy", persist_state="session",
                          help="A log scale shows late, small improvements.")
        show_val = st.toggle("Validation points", key="view_valpts", persist_state="session",
                             help="Also draw validation points (hollow) on the boundary.")
        frozen = st.toggle("Freeze view", key="view_frozen", persist_state="session",
                           help="Stop redrawing the charts so you can zoom and hover; "
                                "training continues and the numbers keep updating.")
    return {"smoothing": smoothing, "x": x or "step", "log_y": log_y, "show_val": show_val,
            "frozen": frozen}


def live_panel(snap: Snapshot) -> None:
    """View options, status and charts of the attached run, in one fragment.

    The chart options live inside the polling fragment, so changing one reruns only the
    fragment, not the whole page (sidebar and all): on a classroom server that is most
    of what students click. Each refresh takes one snapshot and hands it to both the
    status and the charts (a snapshot copies the history under the run's lock).
    """
    reg = runtime.registry()
    run_id = snap.run_id
    spread = live.session_spread(runtime.session_id())
    status_every, charts_every = live.poll_intervals(snap, reg.watched_sessions(), spread)
    shown_status = snap.status
    frozen = bool(st.session_state.get("view_frozen", False))
    # Live: the fragment redraws the charts. Queued, paused, ended or frozen: it polls
    # only the status and the charts are drawn once, below it, by the full run.
    charts_inside = bool(charts_every) and not frozen
    # Only charts actually drawn below the fragment need a full rerun to follow an option
    # (a queued run has none yet: the page reruns anyway when it starts).
    charts_below = not charts_inside and snap.step > 0
    drawn = {"full_run": True, "view": None, "last": None}

    def status_part(s: Snapshot | None, view: dict, where) -> None:
        if s is None:
            st.warning("This run no longer exists (the server restarted or it was cleared).")
            return
        with where:
            live.status_message(s)
            live.progress(s)
        smooth = ema(s.history["train"]["loss"], view["smoothing"])
        live.metrics_row(s, float(smooth[-1]) if len(smooth) else None)
        if status_every and s.status != shown_status:
            # Started, paused or ended: redraw the buttons and choose what to poll.
            st.rerun(scope="app")

    @st.fragment(run_every=charts_every if charts_inside else status_every)
    def live_area() -> None:
        # Status and progress beside the chart options: the charts start high enough
        # to be on the first screen of a 1440×1000 projector.
        status_col, options_col = st.columns([5, 1.3], vertical_alignment="center")
        with options_col:
            view = view_options()
        # The fragment's own timer reruns it with the options unchanged: only then do
        # the charts take new points (see widgets/chart_memo.py). A full run or a chart
        # option redraws the others from their last drawing, at most one poll old.
        polled = not drawn["full_run"] and view == drawn["last"]
        drawn["last"] = view
        if drawn["full_run"]:
            drawn["view"] = view
        elif view["frozen"] != frozen or (charts_below and view != drawn["view"]):
            # The charts below this fragment were drawn with the old options.
            st.rerun(scope="app")
        s = reg.snapshot(run_id, with_weights=charts_inside)
        if (not drawn["full_run"] and charts_inside and s is not None
                and (live.poll_intervals(s, reg.watched_sessions(), spread)[1] or 0)
                > charts_every):
            # More students are watching than when this poll was set up: poll at the
            # class's slower rate (a fragment's period changes only with a full run).
            st.rerun(scope="app")
        status_part(s, view, status_col)
        if charts_inside:
            charts(s, view, new_points=polled)

    live_area()
    drawn["full_run"] = False
    if not charts_inside:
        charts(reg.snapshot(run_id), drawn["view"], new_points=True)


def charts(s: Snapshot | None, view: dict, new_points: bool = True) -> None:
    """The four charts of ``s``; each is rebuilt only when what it shows changed (or,
    with ``new_points``, when the run has new points: see widgets/chart_memo.py)."""
    if s is None:
        return
    if s.step == 0:
        # Nothing to draw yet (a queued run): skip four empty figures, which on a
        # busy classroom server would cost every other session time.
        st.caption("The charts appear with the first training step.")
        return
    version = (s.step, s.status, s.diverged_at, len(s.history["eval"]["step"]))
    x = view["x"]

    def draw(key: str, build, *options) -> None:
        memo_chart(key, build, (s.run_id, x, *options), version, new_points)

    left, right = st.columns([1.25, 1])
    with left:
        draw("chart_loss", lambda: with_ghost(loss_figure(
            [live.curve_of(s)], x, view["smoothing"], view["log_y"],
            words=loss_words(s.config, s.target)), view),
            view["smoothing"], view["log_y"], ghost_id())
    with right:
        model_view(s, view, new_points)
    left, right = st.columns([1.25, 1])
    with left:
        draw("chart_acc", lambda: score_figure([live.curve_of(s)], s.target, x))
    with right:
        draw("chart_lr", lambda: lr_figure([live.curve_of(s)], x))
