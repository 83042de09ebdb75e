"""The LR sweep's own settings: the range test's ramp and the short runs' grid.

Every setting persists for the session: Streamlit would otherwise drop the other mode's
settings (not drawn) and all of them on a page switch.
"""
from __future__ import annotations

import streamlit as st

from playground.config import RunConfig
from playground.sweep.settings import (MAX_SWEEP_STEPS, MIN_SWEEP_STEPS, PRESETS, RAMPS,
                                       SweepSettings, auto_beta)
from playground.sweep.short_runs import MAX_POINTS, MAX_SEEDS, ShortRunSettings
from playground.ui.widgets.boxes import INT_FORMAT, whole

MODES = {"range": "Range test", "short": "Short runs"}
LR_FORMAT = "%g"
PERSIST = "session"
FIELD_LABELS = {"start_lr": "Start LR", "end_lr": "End LR", "steps": "Steps",
                "ramp": "Ramp", "beta": "Smoothing β", "stop_factor": "Stop factor",
                "batch_size": "Batch size", "points": "Learning rates (K)", "seeds": "Seeds"}
SHORT_DEFAULTS = {"sr_start": 1e-4, "sr_end": 1.0, "sr_points": 9.0, "sr_steps": 200.0,
                  "sr_seeds": 1.0}


def init_widgets(config: RunConfig) -> None:
    if "sw_start" not in st.session_state:
        apply_preset("default")
    st.session_state.setdefault("sw_batch", float(config.batch_size)
                                if isinstance(config.batch_size, int) else 32.0)
    st.session_state.setdefault("sw_opts", [config.optimizer])
    for k, v in SHORT_DEFAULTS.items():
        st.session_state.setdefault(k, v)


def apply_preset(name: str) -> None:
    s = PRESETS[name][1]
    st.session_state.update({"sw_preset": name, "sw_start": s.start_lr, "sw_end": s.end_lr,
                             "sw_steps": float(s.steps), "sw_ramp": s.ramp, "sw_beta_auto": True,
                             "sw_stop": s.stop_factor})
    if s.batch_size is not None:
        st.session_state["sw_batch"] = float(s.batch_size)


def _on_preset() -> None:
    apply_preset(st.session_state["sw_preset"])


def _lr_box(col, label: str, key: str, help: str) -> float:
    return col.number_input(label, key=key, persist_state=PERSIST, format=LR_FORMAT,
                            step=None, help=help)


def _whole_box(col, label: str, key: str, step: float, help: str):
    """A whole-number box that reports 2.5 or 1e12 instead of truncating it."""
    return whole(col.number_input(label, key=key, persist_state=PERSIST, step=step,
                                  format=INT_FORMAT, help=help))


def range_settings(config: RunConfig) -> SweepSettings:
    c = st.columns([2.2, 1.3, 1.2, 1.2, 1, 1])
    c[0].selectbox("Preset", list(PRESETS), key="sw_preset", on_change=_on_preset,
                   persist_state=PERSIST, format_func=lambda k: PRESETS[k][0],
                   help="Default: a wide 100-step look. makemore: the lecture's "
                        "10**linspace(-3, 0, 1000) at batch 32. fastai: lr_find's range.")
    ramp = c[1].radio("Ramp", list(RAMPS), key="sw_ramp", format_func=RAMPS.get,
                      persist_state=PERSIST, horizontal=True,
                      help="Exponential: the same number of steps per decade of η (the "
                           "usual choice). Linear: equal steps in η.")
    start = _lr_box(c[2], "Start LR", "sw_start", "Smallest η, used for the first step.")
    end = _lr_box(c[3], "End LR", "sw_end", "Largest η, reached at the last step if the "
                  "loss has not blown up before.")
    steps = _whole_box(c[4], "Steps", "sw_steps", 100.0, f"One optimizer step (one "
                       f"minibatch) per η; {MIN_SWEEP_STEPS}–{MAX_SWEEP_STEPS:,}.")
    batch = _whole_box(c[5], "Batch size", "sw_batch", 1.0, "Examples per step for the sweep "
                       f"(0 = full batch). The sidebar's setup uses {config.batch_size}.")
    c = st.columns([1.2, 2, 1.2, 3])
    auto = c[0].toggle("Auto β", key="sw_beta_auto", persist_state=PERSIST,
                       help="Pick the smoothing from the number of steps: an average "
                            "over about 5% of the ramp.")
    beta_auto = auto_beta(steps) if isinstance(steps, int) and steps > 0 else 0.9
    if auto or "sw_beta" not in st.session_state:
        st.session_state["sw_beta"] = round(beta_auto, 3)
    beta = c[1].slider("Smoothing β", 0.0, 0.995, key="sw_beta", persist_state=PERSIST,
                       step=0.005, disabled=auto,
                       help="Bias-corrected exponential moving average of the loss: "
                            "smoothed = β·previous + (1−β)·loss. Higher = smoother but "
                            "later. Also adjustable after the sweep.")
    stop = c[2].number_input("Stop factor", key="sw_stop", persist_state=PERSIST, step=0.5,
                             format="%g", help="Stop once the smoothed loss exceeds this "
                             "many times its best value (or the loss is not finite).")
    return SweepSettings(start_lr=float(start), end_lr=float(end), steps=steps, ramp=ramp,
                         beta=None if auto else float(beta), stop_factor=float(stop),
                         batch_size=batch)


def short_settings(config: RunConfig, n_opts: int) -> ShortRunSettings:
    c = st.columns(6)
    start = _lr_box(c[0], "Smallest LR", "sr_start", "First point of the log grid.")
    end = _lr_box(c[1], "Largest LR", "sr_end", "Last point of the log grid.")
    points = _whole_box(c[2], "Learning rates (K)", "sr_points", 1.0,
                        f"How many η on the log grid (2–{MAX_POINTS}).")
    steps = _whole_box(c[3], "Steps each (T)", "sr_steps", 50.0, "Optimizer steps at each "
                       "fixed η; every η starts from the same weights with the same batches.")
    seeds = _whole_box(c[4], "Seeds", "sr_seeds", 1.0, f"1–{MAX_SEEDS}: repeat with other "
                       "initial weights and batch orders (same data) and show the spread as "
                       "a band.")
    batch = _whole_box(c[5], "Batch size", "sw_batch", 1.0, "Examples per step (0 = full "
                       f"batch). The sidebar's setup uses {config.batch_size}.")
    s = ShortRunSettings(start_lr=float(start), end_lr=float(end), points=points,
                         steps=steps, seeds=seeds, batch_size=batch)
    if not s.validate(n_opts):
        total = s.points * s.steps * s.seeds * max(1, n_opts)
        st.caption(f"{total:,} optimizer steps in all ({s.points} η × {s.steps} steps × "
                   f"{s.seeds} seed{'s' * (s.seeds > 1)} × {max(1, n_opts)} optimizer"
                   f"{'s' * (n_opts > 1)}).")
    return s
