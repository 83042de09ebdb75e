"""The Compare page's live panel: controls, overlaid curves and the summary of a group.

Everything here runs inside one ``st.fragment`` that polls the members' snapshots
every 0.5 s while any member is active and stops polling when all have ended.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from playground import compare_summary
from playground.compare import Group
from playground.figures import compare as figs
from playground.figures.theme import colors_for
from playground.ui import live, nav, runtime
from playground.worker import Status

PACES = {"Slow": 20.0, "Watch": 100.0, "Full speed": None}
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"scale": 2}}
YES = ":green[:material/check_circle:]"
NO = ":gray[:material/remove_circle:]"


def panel(group: Group) -> None:
    was_active = group.active

    @st.fragment(run_every=live.POLL_S if was_active else None)
    def _live() -> None:
        snaps = group.snapshots(with_weights=False)
        colors = colors_for([s.config.optimizer for s in snaps])
        _group_controls(group, snaps)
        _member_rows(group, snaps, colors)
        x, log_y, smoothing, show_val = _view_options()
        members = [figs.Member(m.label, s.config.optimizer, s.history, s.status.value,
                               s.diverged_at) for m, s in zip(group.members, snaps)]
        left, right = st.columns(2)
        left.plotly_chart(figs.loss_figure(members, x=x, log_y=log_y, smoothing=smoothing,
                                           show_val=show_val),
                          theme="streamlit", key="cmp_loss_chart", config=CHART_CONFIG)
        right.plotly_chart(figs.accuracy_figure(members, x=x), theme="streamlit",
                           key="cmp_acc_chart", config=CHART_CONFIG)
        _fairness(group)
        _summary(group, snaps)
        _surface_button(group, snaps)
        if was_active and not any(s.active for s in snaps):
            st.rerun()        # everything ended: redraw the page once and stop polling

    _live()


# ------------------------------------------------------------------ controls
def _group_controls(group: Group, snaps) -> None:
    running = [s for s in snaps if s.status == Status.RUNNING]
    steps = [s.step for s in running]
    spread = (max(steps) - min(steps)) if len(steps) > 1 else 0
    clock = "steps" if group.clock == "steps" else "examples seen"
    ended = sum(s.status not in (Status.QUEUED, Status.RUNNING, Status.PAUSED) for s in snaps)
    cores = group.lanes_in_use
    if running:
        how = " in batched passes" if group.mode[1] else ""
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
        group.pause_all()
    if cols[1].button("Resume all", key="cmp_resume_all", icon=":material/play_arrow:",
                      disabled=not any(s.status == Status.PAUSED for s in snaps),
                      help="Resume every paused member; laggards catch up first."):
        group.resume_all()
    if cols[2].button("Stop all", key="cmp_stop_all", icon=":material/stop:",
                      disabled=not active, help="End every member; their curves stay."):
        group.stop_all()
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
        group.set_pace(PACES[pace])


def _member_rows(group: Group, snaps, colors) -> None:
    for m, s, color in zip(group.members, snaps, colors):
        cols = st.columns([3, 4, 1, 1], vertical_alignment="center")
        cols[0].markdown(f"<span style='color:{color};font-size:1.6em'>●</span> "
                         f"**{_escape(m.label)}**", unsafe_allow_html=True,
                         help=s.config.short_label())
        status = s.status.value
        detail = s.message if s.status in (Status.DIVERGED, Status.FAILED) else ""
        cols[1].progress(s.progress, text=f"{status} · step {s.step:,} of "
                         f"{s.total_steps or s.config.length:,} · {s.examples:,} examples"
                         + (f" — {detail}" if detail else ""))
        if s.status == Status.PAUSED:
            if cols[2].button("Resume", key=f"cmp_resume_{m.run_id}", icon=":material/play_arrow:",
                              help=f"Resume {m.label}; it catches up with the others first."):
                m.resume()
        elif cols[2].button("Pause", key=f"cmp_pause_{m.run_id}", icon=":material/pause:",
                            disabled=not s.active, help=f"Pause {m.label}; the others go on."):
            m.pause()
        if cols[3].button("Stop", key=f"cmp_stop_{m.run_id}", icon=":material/stop:",
                          disabled=not s.active, help=f"End {m.label}; the others go on."):
            m.stop()
        if s.status == Status.DIVERGED and s.hint:
            st.caption(f"{m.label}: {s.hint}")


def _escape(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _view_options():
    cols = st.columns([2, 1, 1, 2], vertical_alignment="bottom")
    x = cols[0].radio("x axis", list(figs.X_CHOICES), horizontal=True, key="cmp_x",
                      format_func=figs.X_CHOICES.get,
                      help="Steps: one optimizer update each. Examples seen: fair when batch "
                      "sizes differ. Wall time: what each run cost on this server.")
    log_y = cols[1].toggle("Log loss axis", key="cmp_log", value=False,
                           help="A log scale separates curves that are all near zero and "
                           "keeps an exploding run on the chart.")
    show_val = cols[2].toggle("Validation loss", key="cmp_val", value=True,
                              help="Draw the validation loss (dotted) next to training loss.")
    smoothing = cols[3].slider("Smoothing", 0.0, 0.99, 0.6, 0.01, key="cmp_smooth",
                               help="Exponential moving average of the training loss "
                               "(0 = raw minibatch losses). The band shows the raw range.")
    return x, log_y, smoothing, show_val


# ------------------------------------------------------------------ results
def _fairness(group: Group) -> None:
    f = group.fairness
    if f is None:
        return
    n = len(group.members)
    names = [m.label for m in group.members]

    def say(classes, what: str) -> str:
        if len(classes) == 1:
            return f"{YES} {what}: all {n} runs (checked tensor by tensor)."
        shared = [c for c in classes if len(c) > 1]
        if not shared:
            return f"{NO} {what}: no two runs (they differ by design)."
        return f"{YES} {what} within: " + "; ".join(" = ".join(names[i] for i in c)
                                                    for c in shared) + "."
    lines = [f"{YES} Same data split: verified." if f.same_split else
             ":red[:material/cancel:] The runs' data splits differ.",
             say(f.weight_groups, "Identical initial weights"),
             say(f.batch_groups, "Identical batch order")]
    st.markdown("**Fairness, verified on the runs' tensors**\n\n" + "  \n".join(lines))


def _summary(group: Group, snaps) -> None:
    st.subheader("Summary")
    chance = max(math.log(2), max((_chance(s) for s in snaps), default=math.log(2)))
    cols = st.columns([1, 3], vertical_alignment="bottom")
    target = cols[0].number_input(
        "Target validation loss", min_value=0.0, value=round(0.3 * chance, 2), step=0.05,
        format="%.3f", key="cmp_target",
        help="The table reports the first evaluated step whose validation loss was at or "
        "below this value: how fast each run got good enough.")
    rows = compare_summary.summary_rows(snaps, [m.label for m in group.members], target)
    cols[1].caption(f"Chance level is about {chance:.2f} (ln of the number of classes). "
                    "Updated live; steps/s is measured over the run's busy time.")
    st.dataframe(pd.DataFrame(rows, columns=list(compare_summary.SUMMARY_COLUMNS)),
                 hide_index=True, width="stretch", column_config=_summary_format())
    labels = [m.label for m in group.members]

    def csv() -> str:   # built when clicked, from the runs' latest state
        snaps_now = group.snapshots(poll=False, with_weights=False)
        return compare_summary.to_csv(compare_summary.summary_rows(snaps_now, labels, target))

    st.download_button("Download summary (CSV)", csv, on_click="ignore",
                       file_name=f"comparison-{group.group_id}.csv", mime="text/csv",
                       key="cmp_csv", icon=":material/download:",
                       help="The table above as a CSV file, one row per run, as of the "
                       "moment you click.")


def _chance(snap) -> float:
    try:
        from playground.data import load
        return math.log(max(2, load(snap.config).n_classes))
    except Exception:   # the table still shows without a chance level
        return math.log(2)


def _summary_format() -> dict:
    cc = st.column_config
    pct = dict(format="percent")
    return {
        "final val loss": cc.NumberColumn(format="%.4f"),
        "best val loss": cc.NumberColumn(format="%.4f"),
        "final val accuracy": cc.NumberColumn(**pct),
        "best val accuracy": cc.NumberColumn(**pct),
        "examples seen": cc.NumberColumn(format="localized"),
        "steps": cc.NumberColumn(format="localized"),
    }


def _surface_button(group: Group, snaps) -> None:
    ids = [m.run_id for m, s in zip(group.members, snaps) if s.step > 0]
    if st.button("Show these runs on the loss surface", key="cmp_to_surface",
                 icon=":material/landscape:", disabled=len(ids) < 1,
                 help="Open the Loss surface page with every run's path drawn on one plane."):
        runtime.hand_off("surface", run_ids=ids)
        nav.switch_to("surface")
