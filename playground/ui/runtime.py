"""Process-wide services and per-session state for the Streamlit pages.

The registry and the run store are shared by every session (``st.cache_resource``);
the store records every run the registry starts. Each browser session
gets a random id (no personal data) used as the owner of its runs. The current
RunConfig lives in ``st.session_state`` under one key, so every page edits and reads
the same object.
"""
from __future__ import annotations

import atexit
import gc
import uuid

import streamlit as st

from playground.config import RunConfig
from playground.runs.registry import Limits, RunRegistry
from playground.store import RunStore
from playground.ui import state



_live: list[RunRegistry] = []   # the registry in service, for release callbacks


@st.cache_resource(show_spinner=False)
def registry() -> RunRegistry:
    _freeze_startup_objects()
    # Limits can be tuned per deployment: PLAYGROUND_MAX_CONCURRENT=4, ...
    reg = RunRegistry(Limits.from_env())
    store().connect(reg)
    _live[:] = [reg]
    return reg


@st.cache_resource(show_spinner=False)
def store() -> RunStore:
    """The run history (PLAYGROUND_DB, default an SQLite file in the data folder). It
    never raises: a database it cannot use shows as a warning (``store().health()``).
    On a clean shutdown the last second of points is written too (``atexit``)."""
    opened = RunStore()
    atexit.register(opened.close)
    return opened


_frozen = False


FULL_COLLECTION_EVERY = 50   # generation-1 collections between two full ones (default 10)


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
        # What 20 live sessions leave long-lived still made each full collection take
        # 65–135 ms, every ~2 s (measured with gc.callbacks in bench/classroom_load.py):
        # one in five as many full collections (after 50 younger ones, not 10).
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


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
    if state.SESSION_ID not in st.session_state:
        st.session_state[state.SESSION_ID] = uuid.uuid4().hex[:12]
    sid = st.session_state[state.SESSION_ID]
    _session_owner(sid)
    return sid


def get_config() -> RunConfig:
    cfg = st.session_state.get(state.CONFIG)
    if not isinstance(cfg, RunConfig):
        cfg = RunConfig()
        st.session_state[state.CONFIG] = cfg
    return cfg


def set_config(config: RunConfig) -> None:
    """Replace the shared config; the sidebar widgets pick it up on their next render."""
    st.session_state[state.CONFIG] = config
    st.session_state[state.CONFIG_CHANGED] = True




# ---------------------------------------------------------------- page hand-offs
# The sender stores a typed hand-off (ui/state.py) under the receiving page's key and
# switches page; the receiver takes it exactly once. Its (first) config becomes the
# shared setup before the receiver's sidebar is drawn (the shell does it), so the
# sidebar shows it on arrival.
def hand_off(page: str, **payload) -> None:
    st.session_state[state.handoff_key(page)] = _typed(page, payload)


def _typed(page: str, payload):
    kind = state.HANDOFFS[page]
    if isinstance(payload, kind):
        return payload
    values = dict(payload)
    for name in ("configs", "labels", "run_ids"):
        if name in values:
            values[name] = tuple(values[name] or ())
    return kind(**values)


def _pending(page: str):
    payload = st.session_state.get(state.handoff_key(page))
    return _typed(page, payload) if isinstance(payload, dict) else payload


def handed_config(page: str) -> RunConfig | None:
    """The setup a pending hand-off to ``page`` carries (its first config), if any."""
    payload = _pending(page)
    configs = [getattr(payload, "config", None), *getattr(payload, "configs", ())]
    return next((c for c in configs if isinstance(c, RunConfig)), None)


def take_handoff(page: str):
    """The hand-off left for ``page`` (a ``state.To…`` object), taken once; or None."""
    payload = _pending(page)
    st.session_state.pop(state.handoff_key(page), None)
    return payload
