"""Where a comparison stands: fairness as verified, the summary table, and the hand-off
of its runs to the Loss surface page."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from playground.ui.widgets.tables import table
from playground.compare import summary as compare_summary
from playground.runs.snapshot import GroupSnapshot
from playground.ui import nav, runtime

YES = ":green[:material/check_circle:]"
NO = ":gray[:material/remove_circle:]"


def fairness(group: GroupSnapshot) -> None:
    f = group.fairness
    if f is None:
        return
    n = len(group.members)
    names = list(group.labels)

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


def summary(reg, group: GroupSnapshot) -> None:
    snaps = group.members
    st.subheader("Summary")
    regression = bool(snaps) and snaps[0].is_regression
    chance = (1.0 if regression else
              max(math.log(2), max((_chance(s) for s in snaps), default=math.log(2))))
    cols = st.columns([1, 3], vertical_alignment="bottom")
    target = cols[0].number_input(
        "Target validation loss", min_value=0.0, value=round(0.3 * chance, 2), step=0.05,
        format="%.3f", key="cmp_target",
        help="The table reports the first evaluated step whose validation loss was at or "
        "below this value: how fast each run got good enough.")
    rows = compare_summary.summary_rows(snaps, list(group.labels), target)
    columns = compare_summary.columns_for(snaps)
    cols[1].caption((f"Predicting the mean scores a loss of about 1 (the targets are "
                     f"standardised); RMSE is in units of {snaps[0].target}. " if regression
                     else f"Chance level is about {chance:.2f} (ln of the number of "
                     "classes). ") + "Updated live; steps/s is measured over the run's busy "
                    "time.")
    table(pd.DataFrame(rows, columns=list(columns)), formats=SUMMARY_FORMATS)
    labels = list(group.labels)

    def csv() -> str:   # built when clicked, from the runs' latest state
        now = reg.group(group.group_id, poll=False, with_weights=False)
        snaps_now = now.members if now is not None else snaps
        return compare_summary.to_csv(compare_summary.summary_rows(snaps_now, labels, target),
                                      columns)

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


SUMMARY_FORMATS = {
    "final val loss": "{:.4f}", "best val loss": "{:.4f}",
    "final val accuracy": "{:.1%}", "best val accuracy": "{:.1%}",
    "final val RMSE": "{:.4g}", "best val RMSE": "{:.4g}", "final val R²": "{:.3f}",
    "best val R²": "{:.3f}",
    "wall time (s)": "{:,.1f}", "steps/s": "{:,.0f}",
}


def surface_button(group: GroupSnapshot) -> None:
    ids = [s.run_id for s in group.members if s.step > 0]
    if st.button("Show these runs on the loss surface", key="cmp_to_surface",
                 icon=":material/landscape:", disabled=len(ids) < 1,
                 help="Open the Loss surface page with every run's path drawn on one plane."):
        runtime.hand_off("surface", run_ids=ids)
        nav.switch_to("surface")
