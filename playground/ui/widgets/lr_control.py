"""The learning rate's two widgets: a log-scale slider and an exact box, one number.

Kept apart from the rest of the sidebar because they are the one pair of widgets that
follow each other, and that needs care (below).
"""
from __future__ import annotations

import math

import streamlit as st

from playground.config import RunConfig

PREFIX = "cfg_"
# Round numbers a teacher would say out loud, six per decade, 1e-5 … 10.
LR_GRID = [round(m * 10.0 ** e, 12) for e in range(-5, 1) for m in (1, 1.5, 2, 3, 5, 7)] + [10.0]


def key(name: str) -> str:
    """The session key of a setup widget (``cfg_<field>``)."""
    return PREFIX + name


def _nearest_grid(lr: float) -> float:
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        return LR_GRID[0]
    return min(LR_GRID, key=lambda v: abs(math.log10(v) - math.log10(lr)))


# ------------------------------------------------------------ the learning rate
# Two widgets show one number: a log-scale slider and an exact box. The number lives in
# LR_VALUE (a plain key, the only one the config is read from); each widget only
# *reports* the user's moves, and follows the other by being drawn anew under a fresh
# key with the new value, never by a write to its key.
#
# Why: Streamlit counts a value written to a widget's key as that widget's previous
# value (SessionState._compact_state copies it into _old_state) even when the browser
# never received it, because the run that would have drawn it was interrupted by the
# next click. The next message then carries the browser's old value, _widget_changed
# sees old != new and runs on_change with that stale value: the slider's callback
# overwrote a typed 10 with 0.01 and Start trained with 0.01 (and, during a live run,
# the fragment reruns then flipped the two widgets every 0.5 s). A widget whose key is
# never written can only report what the user did; a late report from a widget drawn
# under an older key is ignored (its callback checks the key it was drawn under).
LR_VALUE = key("lr_value")
_BOX_GEN, _SLIDER_GEN = key("lr_box_gen"), key("lr_slider_gen")


def lr_box_key() -> str:
    """The key of the exact learning-rate box as drawn now: ``cfg_lr`` until the slider
    is first moved, and again after a change from elsewhere."""
    gen = st.session_state.get(_BOX_GEN, 0)
    return key("lr") if gen == 0 else f"lr_box_{gen}"


def _slider_key() -> str:
    return f"lr_slider_{st.session_state.get(_SLIDER_GEN, 0)}"


def _lr_from_slider(drawn_as: str) -> None:
    if drawn_as != _slider_key():
        return                                   # a slider drawn before: not the user's
    st.session_state[LR_VALUE] = st.session_state[drawn_as]
    st.session_state[_BOX_GEN] = st.session_state.get(_BOX_GEN, 0) + 1


def _lr_from_box(drawn_as: str) -> None:
    if drawn_as != lr_box_key():
        return
    st.session_state[LR_VALUE] = st.session_state[drawn_as]
    st.session_state[_SLIDER_GEN] = st.session_state.get(_SLIDER_GEN, 0) + 1


def set_lr_from_elsewhere(lr) -> None:
    """"Use this LR", a preset, a pasted link: the box keeps its usual key ``cfg_lr``
    (as every other field, it is written before it is drawn) and the slider follows."""
    st.session_state[LR_VALUE] = lr
    st.session_state[_BOX_GEN] = 0
    st.session_state[key("lr")] = lr
    st.session_state[_SLIDER_GEN] = st.session_state.get(_SLIDER_GEN, 0) + 1


def lr_widgets(locked: bool) -> None:
    """Draw the slider and the box (inside the Optimizer section)."""
    lr = st.session_state.get(LR_VALUE)
    # A fresh key is a new CSS class: the containers keep the classes stable
    # (st-key-cfg_lr_slider, st-key-cfg_lr) for styling and browser tests.
    slider = _slider_key()
    st.container(key=key("lr_slider")).select_slider(
        "Learning rate (log scale)", LR_GRID, value=_nearest_grid(lr), key=slider,
        format_func=lambda v: f"{v:g}", on_change=_lr_from_slider, args=(slider,),
        disabled=locked, help=RunConfig.help("lr"))
    box = lr_box_key()
    (st.container(key=key("lr")) if box != key("lr") else st).number_input(
        "Learning rate (exact)", key=box, format="%g", step=None,
        **({} if box in st.session_state else {"value": lr}),
        on_change=_lr_from_box, args=(box,), disabled=locked,
        help="Type any value; the slider above snaps to the nearest mark.")
