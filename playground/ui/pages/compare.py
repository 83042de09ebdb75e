"""Compare page: 2–6 runs side by side, from the same start, on the same batches.

The table defines the runs (blank cells inherit the sidebar's config); presets fill it
with the classic comparisons. Start builds a :class:`playground.compare.Group`: its
members are registered runs stepped in lockstep on both cores. The live panel
(:mod:`playground.ui.compare_live`) polls their snapshots.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from playground import compare_setup as setup
from playground.compare import MAX_RUNS, MIN_RUNS, Group, MemberRun
from playground.config import INITS, OPTIMIZERS, SCHEDULERS, LENGTH_UNITS, RunConfig
from playground.registry import RunLimitError
from playground.ui import compare_live, runtime, state
from playground.ui.controls import INT_FORMAT, whole

GROUP_KEY = state.COMPARE_GROUP
ROWS_KEY = "cmp_rows"            # the table's source rows
VERSION_KEY = "cmp_table_version"  # bumped to reset the editor after a preset/hand-off
NOTE_KEY = "cmp_note"
DEFAULT_PRESET = "SGD 0.1 vs Adam 1e-3"
PACES = {"Slow (20 steps/s)": 20.0, "Watch (100 steps/s)": 100.0, "Full speed": None}
LENGTH_KEY, UNIT_KEY, PACE_KEY = "cmp_length", "cmp_unit", "cmp_pace"


def render() -> None:
    reg = runtime.registry()
    sid = runtime.session_id()
    reg.touch(sid)
    handoff = runtime.take_handoff("compare")
    exact = _accept_handoff(handoff) if handoff else None

    base = runtime.get_config()       # as the sidebar (drawn by the shell) left it
    st.title("Compare")
    st.caption("Train 2–6 runs side by side: same data, same starting weights, same batches, "
               "advancing in lockstep. Change one thing per run and watch what it does.")
    group = _attached_group(reg)
    if exact is not None and handoff.get("start"):
        group = _start(reg, sid, exact["configs"], exact["labels"], _pace()) or group
    # A new key per group: the setup folds away while a group trains, opens after.
    with st.expander("Set up the runs", expanded=group is None or not group.active,
                     icon=":material/tune:",
                     key=f"cmp_setup_{group.group_id if group else 'new'}"):
        if _setup(reg, sid, base) is not None:
            st.rerun()
    if group is None:
        st.info("Pick a preset or fill the table, then press **Start comparison**.",
                icon=":material/info:")
    else:
        compare_live.panel(group)


# ------------------------------------------------------------------ group state
def _attached_group(reg) -> Group | None:
    """The group this tab shows (after a reload, the shell re-attached the link's)."""
    group = reg.group(st.session_state.get(GROUP_KEY))
    st.session_state[GROUP_KEY] = group.group_id if group is not None else None
    return group


def _start(reg, sid: str, configs: list, labels: list[str], pace) -> Group | None:
    old = _attached_group(reg)
    if old is not None and old.active:
        old.stop_all()            # one comparison per tab: the new one replaces it
    group = Group(list(configs), list(labels), reg.slots, owner=sid, pace=pace,
                  run_ids=[reg.new_run_id() for _ in configs])
    try:
        reg.adopt(group.members, owner=sid)
    except (RunLimitError, RuntimeError) as exc:
        st.error(f"Could not start the comparison: {exc}", icon=":material/block:")
        return None
    group.start()
    st.session_state[GROUP_KEY] = group.group_id
    return group


def _pace():
    return PACES.get(st.session_state.get(PACE_KEY, "Full speed"))


# ------------------------------------------------------------------ hand-off
def _accept_handoff(handoff: dict) -> dict | None:
    """{"configs": [RunConfig...], "labels": [...], "start": bool} from another page."""
    configs = list(handoff.get("configs") or [])
    labels = list(handoff.get("labels") or [])
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
        labels = setup.labels_for(configs, configs[0])
    # The sender made configs[0] the shared setup (runtime.hand_off), so blank cells
    # and the sidebar already agree with these runs.
    _set_rows([{f: getattr(c, f) for f in setup.FIELDS} for c in configs])
    outside = [f for f in RunConfig.field_names() if f not in setup.FIELDS
               and f not in ("length", "eval_every")
               and len({getattr(c, f) for c in configs}) > 1]
    if outside:
        st.session_state[NOTE_KEY] = ("These runs also differ in " + ", ".join(outside) +
                                      ", which the table cannot show; restarting from the "
                                      "table uses the sidebar's value for them.")
    return {"configs": configs, "labels": labels}


def _set_rows(rows: list[dict]) -> None:
    st.session_state[ROWS_KEY] = rows
    st.session_state[VERSION_KEY] = st.session_state.get(VERSION_KEY, 0) + 1


# ------------------------------------------------------------------ setup
def _setup(reg, sid: str, base: RunConfig) -> Group | None:
    if ROWS_KEY not in st.session_state:
        _set_rows(setup.preset_rows(DEFAULT_PRESET))
    cols = st.columns([3, 1, 3], vertical_alignment="bottom")
    name = cols[0].selectbox("Preset", list(setup.PRESETS), key="cmp_preset",
                             help="Classic comparisons. Loading one replaces the table; "
                             "cells it leaves blank inherit the sidebar's config.")
    if cols[1].button("Load preset", key="cmp_load", icon=":material/playlist_add:",
                      help="Replace the table below with this preset's runs."):
        _set_rows(setup.preset_rows(name))
    cols[2].caption(setup.PRESETS[name][0])
    if st.session_state.get(NOTE_KEY):
        st.info(st.session_state[NOTE_KEY], icon=":material/info:")

    edited = st.data_editor(
        pd.DataFrame(st.session_state[ROWS_KEY], columns=list(setup.FIELDS)),
        key=f"cmp_table_{st.session_state[VERSION_KEY]}", num_rows="dynamic",
        hide_index=True, column_config=_column_config(), placeholder="inherit",
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
    plan = setup.plan(rows, base, length=length, length_unit=unit)
    base_errors = base.validate()
    for e in base_errors:
        st.error(f"Sidebar · {e.field}: {e.reason}. Blank cells inherit it, so fix it first.")
    for msg in plan.errors:
        st.error(msg, icon=":material/error:")
    for msg in plan.notes:
        st.info(msg, icon=":material/info:")
    _fairness_plan(plan)
    if st.button("Start comparison", key="cmp_start", type="primary",
                 icon=":material/play_arrow:", disabled=not plan.ok or bool(base_errors),
                 help="Build every run from the same seed and train them in lockstep. "
                 "A comparison already running in this tab is stopped first."):
        return _start(reg, sid, list(plan.configs), list(plan.labels), _pace())
    return None


def _fairness_plan(plan: setup.Plan) -> None:
    if not plan.configs:
        return
    lines = [(":green[:material/check_circle:]" if ok else ":gray[:material/remove_circle:]")
             + " " + text for ok, text in setup.fairness_plan(list(plan.configs))]
    clock = ("by **steps** (equal batch sizes)" if plan.clock == "steps" else
             "by **examples seen** (batch sizes differ)")
    lines.append(f":blue[:material/timer:] Runs advance in lockstep {clock}.")
    st.markdown("**Fairness for these runs**\n\n" + "  \n".join(lines),
                help="Initial weights depend only on seed, architecture and init scheme; "
                "batch order only on seed, batch size and data. The group checks both "
                "again on the real tensors once the runs are built.")


def _column_config() -> dict:
    cc = st.column_config
    help_ = RunConfig.help
    return {
        "optimizer": cc.SelectboxColumn(setup.TITLES["optimizer"], options=list(OPTIMIZERS),
                                        format_func=lambda k: OPTIMIZERS.get(k, k),
                                        help=help_("optimizer")),
        "lr": cc.NumberColumn(setup.TITLES["lr"], min_value=0.0, format="%g",
                              help=help_("lr")),
        "momentum": cc.NumberColumn(setup.TITLES["momentum"], min_value=0.0, max_value=0.9999,
                                    format="%g", help=help_("momentum") +
                                    " (SGD + momentum, Nesterov, RMSprop)"),
        "beta1": cc.NumberColumn(setup.TITLES["beta1"], min_value=0.0, max_value=0.9999,
                                 format="%g", help=help_("beta1") + " (Adam, AdamW)"),
        "beta2": cc.NumberColumn(setup.TITLES["beta2"], min_value=0.0, max_value=0.99999,
                                 format="%g", help=help_("beta2") + " (Adam, AdamW)"),
        "batch_size": cc.NumberColumn(setup.TITLES["batch_size"], min_value=0, step=1,
                                      format="%d", help=help_("batch_size")),
        "dropout": cc.NumberColumn(setup.TITLES["dropout"], min_value=0.0, max_value=0.95,
                                   format="%g", help=help_("dropout")),
        "init": cc.SelectboxColumn(setup.TITLES["init"], options=list(INITS),
                                   format_func=lambda k: INITS.get(k, k), help=help_("init")),
        "init_std": cc.NumberColumn(setup.TITLES["init_std"], min_value=0.0, format="%g",
                                    help=help_("init_std")),
        "scheduler": cc.SelectboxColumn(setup.TITLES["scheduler"], options=list(SCHEDULERS),
                                        format_func=lambda k: SCHEDULERS.get(k, k),
                                        help=help_("scheduler")),
        "weight_decay": cc.NumberColumn(setup.TITLES["weight_decay"], min_value=0.0,
                                        format="%g", help=help_("weight_decay")),
    }
