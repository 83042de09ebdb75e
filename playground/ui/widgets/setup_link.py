"""The setup in the address bar: read once from a link, written back after every run.

A link carries the setup (``?dataset=…&lr=…``), the classroom settings (``hide=…``,
``lock=1``: TF Playground's "hide" idea) and the run and comparison the session shows
(``run=…``, ``group=…``), so a pasted link reproduces a setup and a reload re-attaches.
"""
from __future__ import annotations

import streamlit as st

from playground.config import ConfigError, RunConfig
from playground.ui import runtime, state

RUN_PARAM, GROUP_PARAM = "run", "group"
HIDE_PARAM, LOCK_PARAM = "hide", "lock"
CHOICE_FIELDS = ("dataset", "activation", "init", "optimizer", "scheduler", "length_unit")
# Fields drawn as sliders: a slider cannot display a value outside its range.
SLIDER_RANGES = {"noise": (0.0, 1.0), "classes": (2, 5), "label_noise": (0.0, 0.5)}


def load_from_url() -> None:
    """Once per browser session: take the setup from the link, note what was wrong."""
    if st.session_state.get(state.URL_LOADED):
        return
    st.session_state[state.URL_LOADED] = True
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    st.session_state[state.LINK_IDS] = {k: (params.get(k) or [""])[-1][:40]
                                        for k in (RUN_PARAM, GROUP_PARAM) if params.get(k)}
    errors = _load_classroom(params)
    if any(k in RunConfig.field_names() for k in params):
        config, parse_errors = RunConfig.from_query(params)
        errors += parse_errors
        # A select box cannot show an unknown option: name it and use the default.
        # (Bad numbers stay, and are explained next to their box.)
        default = RunConfig()
        for err in config.validate():
            if err.field in CHOICE_FIELDS:
                errors.append(err)
                config = config.replace(**{err.field: getattr(default, err.field)})
        for name, (lo, hi) in SLIDER_RANGES.items():
            value = getattr(config, name)
            if not lo <= value <= hi:          # also catches NaN
                errors.append(ConfigError(name, f"must be between {lo} and {hi}, got {value}"))
                config = config.replace(**{name: getattr(default, name)})
        runtime.set_config(config)
    st.session_state[state.URL_ERRORS] = errors


def _load_classroom(params: dict) -> list[ConfigError]:
    hide_raw = ",".join(params.get(HIDE_PARAM, []))
    names = [n.strip() for n in hide_raw.split(",") if n.strip()]
    known = set(RunConfig.field_names()) | {"sidebar"}
    unknown = [n for n in names if n not in known]
    lock = (params.get(LOCK_PARAM) or ["0"])[-1].strip().lower() in ("1", "true", "yes")
    st.session_state[state.CLASSROOM] = {"hide": frozenset(n for n in names if n in known),
                                         "lock": lock}
    if unknown:
        return [ConfigError(HIDE_PARAM, "no such control: " + ", ".join(n[:30] for n in unknown))]
    return []


def classroom() -> tuple[frozenset[str], bool]:
    """(hidden field names, locked) from the link this session was opened with."""
    c = st.session_state.get(state.CLASSROOM) or {}
    return c.get("hide", frozenset()), c.get("lock", False)


def classroom_query(hidden: frozenset[str] | set[str], locked: bool) -> dict[str, str]:
    q = {}
    if hidden:
        q[HIDE_PARAM] = ",".join(sorted(hidden))
    if locked:
        q[LOCK_PARAM] = "1"
    return q


def sync_url(config: RunConfig, ids: dict[str, str] | None = None) -> None:
    """Mirror the setup, the classroom settings and the attached ``run``/``group`` into
    the address bar, if anything changed."""
    wanted = config.to_query()
    wanted.update(classroom_query(*classroom()))
    wanted.update({k: v for k, v in (ids or {}).items() if v})
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


def take_link_ids() -> dict[str, str]:
    """The run and group ids the session's link named, handed out once."""
    return st.session_state.pop(state.LINK_IDS, None) or {}
