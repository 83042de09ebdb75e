"""What can be done with a stored run: run it again, continue it, rename, tag, note,
delete (after a confirmation)."""
from __future__ import annotations

import streamlit as st

from playground.config import InvalidConfig, RunConfig
from playground.runs.registry import RunLimitError
from playground.store import StoredRun, StoreError
from playground.ui import nav, runtime, state
from playground.ui.widgets.safe import md_escape


def config_of(run: StoredRun) -> tuple[RunConfig | None, str]:
    """The run's settings as a RunConfig, or None and why not."""
    if not run.config:
        return None, "this run has no stored settings"
    config, errors = RunConfig.from_dict(run.config)
    errors += config.validate()
    if errors:
        return None, "its settings are not valid here: " + "; ".join(str(e) for e in errors[:3])
    return config, ""


def notice(level: str, text: str) -> None:
    st.session_state[state.RUNS_NOTICE] = (level, text)


def run_again(run: StoredRun, config: RunConfig | None, why: str) -> None:
    if st.button("Run again", key="runs_again", icon=":material/replay:", disabled=config is None,
                 help="Open the Train page with exactly these settings (press Start there)."
                 if config else f"Not possible: {why}."):
        runtime.hand_off("train", config=config, start=False)
        nav.switch_to("train")


def continue_training(store, run: StoredRun, config: RunConfig | None, has_weights: bool,
                      sid: str) -> None:
    unit = f"{config.length:,} {config.length_unit}" if config else ""
    why = ("no final weights were stored for this run" if not has_weights
           else "" if config else "its settings cannot be used")
    if not st.button("Continue training", key="runs_continue", icon=":material/fast_forward:",
                     disabled=bool(why), help=(f"A new run that starts from this run's final "
                     f"weights and trains {unit} more with the same settings (the "
                     "optimizer's moments start afresh)." if not why else f"Not possible: "
                     f"{why}.")):
        return
    saved = store.weights(run.id)
    if saved is None:
        notice("error", "The weights could not be read from the store.")
        st.rerun()
    reg = runtime.registry()
    old = st.session_state.get(state.TRAIN_RUN)
    if old:
        reg.stop(old)
    pace = state.TRAIN_PACES[st.session_state.get(state.TRAIN_PACE) or "watch"]
    try:
        run_id = reg.start(config, owner=sid, pace=pace, init_state=saved[0],
                           label=f"{run.label} (continued)"[:200], parent_id=run.id)
    except (InvalidConfig, RunLimitError) as exc:
        notice("error", f"Could not continue: {exc}")
        st.rerun()
    st.session_state[state.TRAIN_RUN] = run_id
    st.session_state[state.TRAIN_APPLIED_LR] = config.lr
    st.session_state.pop(state.TRAIN_BOUNDARY, None)
    runtime.set_config(config)
    nav.switch_to("train")


def edit_box(store, run: StoredRun, owner: str | None, sid: str) -> None:
    mine = owner is None or run.owner == sid
    with st.form(f"runs_edit_{run.id}", border=True):
        st.markdown("**Name, tags and notes**")
        label = st.text_input("Name", value=run.label, max_chars=200, disabled=not mine,
                              help="What the tables and legends call this run.")
        tags = st.text_input("Tags", value=", ".join(run.tags), disabled=not mine,
                             help="Comma-separated words to filter by, e.g. 'homework 2, "
                                  "best'.")
        notes = st.text_area("Notes", value=run.notes, max_chars=5000, disabled=not mine,
                             help="Anything worth remembering about this run.")
        saved = st.form_submit_button("Save", icon=":material/save:", disabled=not mine,
                                      help="Keep these changes." if mine else
                                      "Only the session that made a run can change it.")
    if saved:
        try:
            store.rename(run.id, label, owner)
            store.set_tags(run.id, [t for t in tags.split(",")], owner)
            store.set_notes(run.id, notes, owner)
        except (ValueError, StoreError) as exc:
            st.error(str(exc))
            return
        notice("success", "Saved.")
        st.rerun()


def delete_box(store, runs: list[StoredRun], owner: str | None, sid: str) -> None:
    """Delete the selected runs, after saying exactly what will go."""
    mine = [r for r in runs if owner is None or r.owner == sid]
    live = [r for r in mine if r.live]
    pending = st.session_state.get(state.RUNS_CONFIRM_DELETE)
    ids = tuple(r.id for r in mine if not r.live)
    if pending != ids or not ids:
        what = f"{len(ids)} run{'s' if len(ids) != 1 else ''}"
        if st.button(f"Delete {what}…", key="runs_delete", icon=":material/delete:",
                     disabled=not ids, help="Remove them and every point they stored (asks "
                     "first)." if ids else "Nothing here you may delete (only your own ended "
                     "runs)."):
            st.session_state[state.RUNS_CONFIRM_DELETE] = ids
            st.rerun()
        if live:
            st.caption("Runs still training are kept; stop them first.")
        return
    points = sum(r.n_points for r in mine if r.id in ids)
    names = ", ".join(md_escape(r.label, limit=60) for r in mine if r.id in ids)
    st.warning(f"Delete {names} and their {points:,} stored points? This cannot be undone.",
               icon=":material/warning:")
    cols = st.columns([1, 1, 4])
    if cols[0].button("Delete", key="runs_delete_yes", type="primary", icon=":material/delete:",
                      help="Yes, delete them."):
        try:
            n = store.delete(list(ids), owner)
        except (ValueError, StoreError) as exc:
            notice("error", str(exc))
        else:
            notice("success", f"Deleted {n} run{'s' if n != 1 else ''}.")
        st.session_state.pop(state.RUNS_CONFIRM_DELETE, None)
        st.rerun()
    if cols[1].button("Cancel", key="runs_delete_no", help="Keep them."):
        st.session_state.pop(state.RUNS_CONFIRM_DELETE, None)
        st.rerun()
