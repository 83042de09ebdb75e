"""The Compare page's live panel: group controls, member rows, overlaid curves.

Everything here runs inside one ``st.fragment`` that takes one snapshot of the group
per refresh (every 0.5 s while any member is active) and stops polling when all ended.
"""
from __future__ import annotations

import streamlit as st

from playground.figures import compare as figs
from playground.figures.theme import colors_for
from playground.runs.snapshot import GroupSnapshot
from playground.runs.status import Status
from playground.training.losses import loss_words
from playground.ui import runtime
from playground.ui.pages.compare.networks import networks
from playground.ui.pages.compare.reference import reference_id, with_reference
from playground.ui.pages.compare.results import fairness, summary, surface_button
from playground.ui.pages.compare.update_sizes import update_sizes
from playground.ui.widgets import live
from playground.ui.widgets.chart_memo import memo_chart
from playground.ui.widgets.safe import html_escape

PACES = {"Slow": 20.0, "Watch": 100.0, "Full speed": None}


def panel(group_id: str) -> None:
    reg = runtime.registry()
    first = reg.group(group_id, poll=False, max_points=2, with_weights=False)
    was_active = first is not None and first.active
    drawn = {"full_run": True, "view": None}

    @st.fragment(run_every=live.POLL_S if was_active else None)
    def _live() -> None:
        group = reg.group(group_id, with_weights=False)
        if group is None:
            st.warning("This comparison no longer exists (the server restarted or it was "
                       "cleared).")
            return
        colors = colors_for([s.config.optimizer for s in group.members])
        _group_controls(reg, group)
        _member_rows(reg, group, colors)
        x, log_y, smoothing, show_val = view = _view_options()
        # As on Train (widgets/chart_memo.py): new points come with the fragment's own
        # poll, or on every rerun once the group has ended; a whole-page rerun or a chart
        # option sends the other chart as last drawn.
        new_points = (not drawn["full_run"] and view == drawn["view"]) or not group.active
        drawn["view"] = view
        members = [figs.Member(label, s.config.optimizer, s.history, s.status,
                               s.diverged_at) for label, s in zip(group.labels, group.members)]
        target = group.members[0].target if group.members else None   # regression runs
        version = tuple((s.step, s.status, s.diverged_at, len(s.history["eval"]["step"]))
                        for s in group.members)
        left, right = st.columns(2)
        with left:
            memo_chart("cmp_loss_chart", lambda: with_reference(figs.loss_figure(
                members, x=x, log_y=log_y, smoothing=smoothing, show_val=show_val,
                words=loss_words(group.members[0].config, target)), x, smoothing, show_val),
                (group_id, *view, reference_id()), version, new_points)
        with right:
            memo_chart("cmp_acc_chart", lambda: figs.score_figure(members, target, x=x),
                       (group_id, x), version, new_points)
        update_sizes(group, colors)
        fairness(group)
        summary(reg, group)
        surface_button(group)
        if was_active and not group.active:
            st.rerun()        # everything ended: redraw the page once and stop polling

    _live()
    drawn["full_run"] = False
    networks(group_id)


def _group_controls(reg, group: GroupSnapshot) -> None:
    snaps = group.members
    running = [s for s in snaps if s.status == Status.RUNNING]
    steps = [s.step for s in running]
    spread = (max(steps) - min(steps)) if len(steps) > 1 else 0
    clock = "steps" if group.clock == "steps" else "examples seen"
    ended = sum(s.status not in (Status.QUEUED, Status.RUNNING, Status.PAUSED) for s in snaps)
    cores = group.lanes_in_use
    if running:
        how = " in batched passes" if group.batched else ""
        st.success(f"Training {len(running)} of {len(snaps)} runs in lockstep by {clock} on "
                   f"{cores} core{'s' if cores != 1 else ''}{how}"
                   + (f" · step spread {spread}" if group.clock == "steps" else "")
                   + (f" · {ended} ended" if ended else ""), icon=":material/sync:")
    elif any(s.status == Status.QUEUED for s in snaps):
        msg = next(s.message for s in snaps if s.status == Status.QUEUED)
        st.info(f"Queued: {msg}. Every compute slot is busy; the group starts as soon as one "
                "frees up.", icon=":material/hourglass_top:")
    elif any(s.status == Status.PAUSED for s in snaps):
        st.info("Paused. Resume all runs, or single runs below.", icon=":material/pause_circle:")
    else:
        st.success(f"All {len(snaps)} runs have ended.", icon=":material/check_circle:")
    cols = st.columns([1, 1, 1, 2], vertical_alignment="bottom")
    active = group.active
    if cols[0].button("Pause all", key="cmp_pause_all", icon=":material/pause:",
                      disabled=not running, help="Pause every running member."):
        reg.pause_group(group.group_id)
    if cols[1].button("Resume all", key="cmp_resume_all", icon=":material/play_arrow:",
                      disabled=not any(s.status == Status.PAUSED for s in snaps),
                      help="Resume every paused member; laggards catch up first."):
        reg.resume_group(group.group_id)
    if cols[2].button("Stop all", key="cmp_stop_all", icon=":material/stop:",
                      disabled=not active, help="End every member; their curves stay."):
        reg.stop_group(group.group_id)
    # One slider per group, starting at the pace the group was started with: a new
    # group never inherits the previous group's slider.
    key = f"cmp_live_pace_{group.group_id}"
    if key not in st.session_state:
        st.session_state[key] = next((k for k, v in PACES.items() if v == group.pace),
                                     "Full speed")
    pace = cols[3].select_slider("Speed", list(PACES), key=key,
                                 help="Slow: 20 lockstep steps/s, Watch: 100, Full speed: "
                                 "as fast as the cores allow. Results do not depend on it.")
    if PACES[pace] != group.pace:
        reg.set_pace(group.run_ids[0], PACES[pace])


def _member_rows(reg, group: GroupSnapshot, colors) -> None:
    for label, s, color in zip(group.labels, group.members, colors):
        cols = st.columns([3, 4, 1, 1], vertical_alignment="center")
        cols[0].markdown(f"<span style='color:{color};font-size:1.6em'>●</span> "
                         f"**{html_escape(label)}**", unsafe_allow_html=True,
                         help=s.config.short_label())
        status = s.status.value
        detail = s.message if s.status in (Status.DIVERGED, Status.FAILED) else ""
        cols[1].progress(s.progress, text=f"{status} · step {s.step:,} of "
                         f"{s.total_steps or s.config.length:,} · {s.examples:,} examples"
                         + (f" — {detail}" if detail else ""))
        if s.status == Status.PAUSED:
            if cols[2].button("Resume", key=f"cmp_resume_{s.run_id}", icon=":material/play_arrow:",
                              help=f"Resume {label}; it catches up with the others first."):
                reg.resume(s.run_id)
        elif cols[2].button("Pause", key=f"cmp_pause_{s.run_id}", icon=":material/pause:",
                            disabled=not s.active, help=f"Pause {label}; the others go on."):
            reg.pause(s.run_id)
        if cols[3].button("Stop", key=f"cmp_stop_{s.run_id}", icon=":material/stop:",
                          disabled=not s.active, help=f"End {label}; the others go on."):
            reg.stop(s.run_id)
        if s.status == Status.DIVERGED and s.hint:
            st.caption(f"{label}: {s.hint}")


def _view_options():
    cols = st.columns([2, 1, 1, 2], vertical_alignment="bottom")
    x = cols[0].radio("x axis", list(figs.X_CHOICES), horizontal=True, key="cmp_x",
                      persist_state="session",
                      format_func=figs.X_CHOICES.get,
                      help="Steps: one optimizer update each. Examples seen: fair when batch "
                      "sizes differ. Wall time: what each run cost on this server.")
    log_y = cols[1].toggle("Log loss axis", key="cmp_log", value=False, persist_state="session",
                           help="A log scale separates curves that are all near zero and "
                           "keeps an exploding run on the chart.")
    show_val = cols[2].toggle("Validation loss", key="cmp_val", value=True,
                              persist_state="session",
                              help="Draw the validation loss (dotted) next to training loss.")
    smoothing = cols[3].slider("Smoothing", 0.0, 0.99, 0.6, 0.01, key="cmp_smooth",
                               persist_state="session",
                               help="Exponential moving average of the training loss "
                               "(0 = raw minibatch losses). The band shows the raw range.")
    return x, log_y, smoothing, show_val
