"""Setting up a comparison: presets, the run table (blank cells inherit the sidebar), the
run length and speed, what fairness will hold, and hand-offs from other pages."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.compare import setup as cmp_setup
from playground.compare.group import MAX_RUNS, MIN_RUNS
from playground.compare.setup import Plan
from playground.config import INITS, LENGTH_UNITS, OPTIMIZERS, SCHEDULERS, RunConfig
from playground.ui import state
from playground.ui.state import ToCompare
from playground.ui.widgets.boxes import INT_FORMAT, whole
from playground.ui.widgets.setup_help import label

DEFAULT_PRESET = "SGD 0.1 vs Adam 1e-3"
PACES = {"Slow (20 steps/s)": 20.0, "Watch (100 steps/s)": 100.0, "Full speed": None}
LENGTH_KEY, UNIT_KEY, PACE_KEY = "cmp_length", "cmp_unit", "cmp_pace"


def chosen_pace() -> float | None:
    return PACES.get(st.session_state.get(PACE_KEY, "Full speed"))


def accept_handoff(handoff: ToCompare) -> dict | None:
    """A comparison handed over by another page: its rows into the table, or why not."""
    configs = list(handoff.configs)
    labels = list(handoff.labels)
    bad = [c for c in configs if not isinstance(c, RunConfig)]
    if bad or not MIN_RUNS <= len(configs) <= MAX_RUNS:
        st.error(f"The comparison handed to this page was not usable: it needs "
                 f"{MIN_RUNS}–{MAX_RUNS} run configs, got {len(configs)}"
                 + (f" ({len(bad)} not configs)" if bad else "") + ".")
        return None
    errors = [f"{labels[i] if i < len(labels) else f'Run {i + 1}'} · {e}"
              for i, c in enumerate(configs) for e in c.validate()]
    if errors:
        st.error("The comparison handed to this page has invalid settings:\n\n- "
                 + "\n- ".join(errors))
        return None
    if len(labels) != len(configs):
        labels = cmp_setup.labels_for(configs, configs[0])
    # The shell made configs[0] the shared setup, so blank cells and the sidebar
    # already agree with these runs.
    set_rows([cmp_setup.row_of(c) for c in configs])
    shown = {cmp_setup.cell_field(f, c.optimizer) for f in cmp_setup.FIELDS for c in configs}
    outside = [label(f) for f in RunConfig.field_names() if f not in shown
               and f not in ("length", "eval_every")
               and len({getattr(c, f) for c in configs}) > 1]
    if outside:
        st.session_state[state.COMPARE_NOTE] = ("These runs also differ in " + ", ".join(outside) +
                                      ", which the table cannot show; restarting from the "
                                      "table uses the sidebar's value for them.")
    return {"configs": configs, "labels": labels}


def set_rows(rows: list[dict]) -> None:
    st.session_state[state.COMPARE_ROWS] = rows
    st.session_state[state.COMPARE_TABLE_VERSION] = (
        st.session_state.get(state.COMPARE_TABLE_VERSION, 0) + 1)


def setup_table(base: RunConfig) -> Plan | None:
    if state.COMPARE_ROWS not in st.session_state:
        set_rows(cmp_setup.preset_rows(DEFAULT_PRESET))
    cols = st.columns([3, 1, 3], vertical_alignment="bottom")
    name = cols[0].selectbox("Preset", list(cmp_setup.PRESETS), key="cmp_preset",
                             persist_state="session",
                             help="Classic comparisons. Loading one replaces the table; "
                             "cells it leaves blank inherit the sidebar's config.")
    if cols[1].button("Load preset", key="cmp_load", icon=":material/playlist_add:",
                      help="Replace the table below with this preset's runs."):
        set_rows(cmp_setup.preset_rows(name))
    cols[2].caption(cmp_setup.PRESETS[name][0])
    if st.session_state.get(state.COMPARE_NOTE):
        st.info(st.session_state[state.COMPARE_NOTE], icon=":material/info:")

    edited = st.data_editor(
        pd.DataFrame(st.session_state[state.COMPARE_ROWS], columns=list(cmp_setup.FIELDS)),
        key=f"cmp_table_{st.session_state[state.COMPARE_TABLE_VERSION]}", num_rows="dynamic",
        hide_index=True, column_config=column_config(), placeholder="inherit",
        width="stretch")
    rows = edited.astype(object).where(pd.notna(edited), None).to_dict("records")
    st.caption(f"One row per run ({MIN_RUNS}–{MAX_RUNS}). Blank cells (“inherit”) take the "
               f"sidebar's value: **{base.short_label()}** on **{base.dataset}**.")

    cols = st.columns([1, 1, 2], vertical_alignment="bottom")
    st.session_state.setdefault(LENGTH_KEY, float(base.length) if isinstance(base.length, int)
                                else 3000.0)
    st.session_state.setdefault(UNIT_KEY, base.length_unit if base.length_unit in LENGTH_UNITS
                                else "steps")
    length = whole(cols[0].number_input(
        "Train each run for", step=100.0, format=INT_FORMAT, key=LENGTH_KEY,
        persist_state="session", help="Length of every run, in the unit on the right."))
    unit = cols[1].selectbox("Unit", LENGTH_UNITS, key=UNIT_KEY, persist_state="session",
                             help="Steps: the same number of updates for "
                             "every run. Epochs: the same number of passes over the data "
                             "(the fair budget when batch sizes differ).")
    cols[2].select_slider("Speed", list(PACES), value="Full speed", key=PACE_KEY,
                          persist_state="session",
                          help="Slow the group down so a class can watch the curves grow; "
                          "the results do not depend on it.")
    plan = cmp_setup.plan(rows, base, length=length, length_unit=unit)
    base_errors = base.validate()
    for e in base_errors:
        st.error(f"Sidebar · {e.field}: {e.reason}. Blank cells inherit it, so fix it first.")
    for msg in plan.errors:
        st.error(msg, icon=":material/error:")
    for msg in plan.notes:
        st.info(msg, icon=":material/info:")
    fairness_plan(plan)
    if st.button("Start comparison", key="cmp_start", type="primary",
                 icon=":material/play_arrow:", disabled=not plan.ok or bool(base_errors),
                 help="Build every run from the same seed and train them in lockstep. "
                 "A comparison already running in this tab is stopped first."):
        return plan
    return None


def fairness_plan(plan: Plan) -> None:
    if not plan.configs:
        return
    lines = [(":green[:material/check_circle:]" if ok else ":gray[:material/remove_circle:]")
             + " " + text for ok, text in cmp_setup.fairness_plan(list(plan.configs))]
    clock = ("by **steps** (equal batch sizes)" if plan.clock == "steps" else
             "by **examples seen** (batch sizes differ)")
    lines.append(f":blue[:material/timer:] Runs advance in lockstep {clock}.")
    st.markdown("**Fairness for these runs**\n\n" + "  \n".join(lines),
                help="Initial weights depend only on seed, architecture and init scheme; "
                "batch order only on seed, batch size and data. The group checks both "
                "again on the real tensors once the runs are built.")


def column_config() -> dict:
    cc = st.column_config
    help_ = RunConfig.help
    return {
        "optimizer": cc.SelectboxColumn(cmp_setup.TITLES["optimizer"], options=list(OPTIMIZERS),
                                        format_func=lambda k: OPTIMIZERS.get(k, k),
                                        help=help_("optimizer")),
        "lr": cc.NumberColumn(cmp_setup.TITLES["lr"], min_value=0.0, format="%g",
                              help=help_("lr")),
        "momentum": cc.NumberColumn(cmp_setup.TITLES["momentum"], min_value=0.0, max_value=0.9999,
                                    format="%g", help=help_("momentum") +
                                    " SGD + momentum and Nesterov (default 0.9); RMSprop's "
                                    "own momentum (default 0). Blank: the sidebar's value."),
        "beta1": cc.NumberColumn(cmp_setup.TITLES["beta1"], min_value=0.0, max_value=0.9999,
                                 format="%g", help=help_("beta1") + " (Adam, AdamW)"),
        "beta2": cc.NumberColumn(cmp_setup.TITLES["beta2"], min_value=0.0, max_value=0.99999,
                                 format="%g", help=help_("beta2") + " (Adam, AdamW)"),
        "batch_size": cc.NumberColumn(cmp_setup.TITLES["batch_size"], min_value=0, step=1,
                                      format="%d", help=help_("batch_size")),
        "dropout": cc.NumberColumn(cmp_setup.TITLES["dropout"], min_value=0.0, max_value=0.95,
                                   format="%g", help=help_("dropout")),
        "init": cc.SelectboxColumn(cmp_setup.TITLES["init"], options=list(INITS),
                                   format_func=lambda k: INITS.get(k, k), help=help_("init")),
        "init_std": cc.NumberColumn(cmp_setup.TITLES["init_std"], min_value=0.0, format="%g",
                                    help=help_("init_std")),
        "scheduler": cc.SelectboxColumn(cmp_setup.TITLES["scheduler"], options=list(SCHEDULERS),
                                        format_func=lambda k: SCHEDULERS.get(k, k),
                                        help=help_("scheduler")),
        "weight_decay": cc.NumberColumn(cmp_setup.TITLES["weight_decay"], min_value=0.0,
                                        format="%g", help=help_("weight_decay") + " For AdamW "
                                        "this is its decoupled decay (default 0.01). Blank: "
                                        "the sidebar's value."),
    }
