"""Process-wide services and per-session state for the Streamlit pages.

The registry is shared by every session (``st.cache_resource``); each browser session
gets a random id (no personal data) used as the owner of its runs. The current
RunConfig lives in ``st.session_state`` under one key, so every page edits and reads
the same object.
"""
from __future__ import annotations

import gc
import uuid

import streamlit as st

from playground.config import RunConfig
from playground.registry import Limits, RunRegistry
from playground.ui import state

CONFIG_KEY = state.CONFIG
SESSION_KEY = state.SESSION_ID


_live: list[RunRegistry] = []   # the registry in service, for release callbacks


@st.cache_resource(show_spinner=False)
def registry() -> RunRegistry:
    _freeze_startup_objects()
    # Limits can be tuned per deployment: PLAYGROUND_MAX_CONCURRENT=4, ...
    reg = RunRegistry(Limits.from_env())
    _live[:] = [reg]
    return reg


_frozen = False


def _freeze_startup_objects() -> None:
    """Exempt everything imported so far from Python's full garbage collections.

    Streamlit, torch and Plotly leave about a million long-lived objects behind; every
    full (generation-2) collection walked all of them, 0.1–0.3 s with the GIL held, and
    on a classroom server every session felt that pause as a slow click. They live as
    long as the process anyway; objects created later are collected as usual. Once per
    process (tests create many registries).
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


def _release(owner: str) -> None:
    # Never create a registry here: this also runs while caches are being cleared.
    for reg in _live:
        reg.release(owner)


@st.cache_resource(scope="session", on_release=_release, show_spinner=False)
def _session_owner(owner: str) -> str:
    """A per-session resource whose release (tab closed, or connection lost) tells the
    registry; its runs are then paused after a grace period and stopped after the TTL,
    never killed on the spot, because a network blip also releases it."""
    return owner


def session_id() -> str:
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = uuid.uuid4().hex[:12]
    sid = st.session_state[SESSION_KEY]
    _session_owner(sid)
    return sid


def get_config() -> RunConfig:
    cfg = st.session_state.get(CONFIG_KEY)
    if not isinstance(cfg, RunConfig):
        cfg = RunConfig()
        st.session_state[CONFIG_KEY] = cfg
    return cfg


def set_config(config: RunConfig) -> None:
    """Replace the shared config; the sidebar widgets pick it up on their next render."""
    st.session_state[CONFIG_KEY] = config
    st.session_state[SYNC_FLAG] = True


SYNC_FLAG = state.CONFIG_CHANGED


# ---------------------------------------------------------------- page hand-offs
# One page can hand work to another (Lessons → Train "load this preset and start";
# Compare → Loss surface "draw these runs"). The sender stores a payload under the
# receiving page's name and switches page; the receiver takes it exactly once.
#   "train":   {"config": RunConfig, "start": bool}
#   "sweep":   {"config": RunConfig, "preset": str | None, "start": bool}
#   "compare": {"configs": [RunConfig, ...], "labels": [str, ...], "start": bool}
#   "surface": {"run_ids": [str, ...]}


def hand_off(page: str, **payload) -> None:
    st.session_state[state.handoff_key(page)] = payload


def handed_config(page: str) -> RunConfig | None:
    """The setup a pending hand-off to ``page`` carries (its first config), if any: the
    shell makes it the shared setup before drawing the sidebar, so it shows on arrival."""
    payload = st.session_state.get(state.handoff_key(page)) or {}
    configs = [payload.get("config"), *(payload.get("configs") or [])]
    return next((c for c in configs if isinstance(c, RunConfig)), None)


def take_handoff(page: str) -> dict | None:
    return st.session_state.pop(state.handoff_key(page), None)
