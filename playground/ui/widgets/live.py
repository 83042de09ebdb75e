"""Live pieces shared by pages: run status, metrics row, progress, curve figures.

These are called from inside ``st.fragment(run_every=...)`` functions; they only read
immutable snapshots, never a live trainer.
"""
from __future__ import annotations

import hashlib
import math

import streamlit as st

from playground.figures.curves import Curve
from playground.figures.theme import optimizer_color
from playground.runs.snapshot import Snapshot
from playground.runs.status import Status

POLL_S = 0.5


def poll_intervals(snap: Snapshot | None, sessions: int, spread: float = 0.0
                   ) -> tuple[float | None, float | None]:
    """(status, charts) refresh periods in seconds, or None for "do not poll".

    Only a running run's charts change, so only they are redrawn; a queued or paused
    run needs just its status line. With a class on one server every redraw competes
    for the same cores, so periods grow with the number of sessions watching a live
    run: 0.5 s for a few, 1 s from 5, 2 s from 11, 3 s from 16 (a waiting run's status:
    every 3 s, 5 s for a class, 7.5 s for a large one). ``spread`` (0–1, fixed per session) stretches a period by up to
    a quarter: a class that pressed Start together would otherwise poll in lockstep,
    and 20 redraws arriving at once held every click behind them (measured: clicks
    stalled 0.5–1 s every 2 s; rerun p95 0.8–1.0 s).
    """
    if snap is None or not snap.active:
        return None, None
    scale = (1.0 if sessions <= 4 else 2.0 if sessions <= 10 else 4.0 if sessions <= 15
             else 6.0) * (1 + spread / 4)
    if snap.status == Status.RUNNING:
        return POLL_S * scale, POLL_S * scale
    return max(3.0, 2.5 * POLL_S * scale), None


def session_spread(session_id: str) -> float:
    """A number in [0, 1) fixed for a session (its id hashed): where its polls fall."""
    return int(hashlib.sha1(session_id.encode()).hexdigest()[:8], 16) / 2 ** 32


def fmt_duration(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "–"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def fmt_num(value: float | None) -> str:
    """Short enough for a metric tile at projector size: 0.1234, 12.3, 8.7e-4."""
    if value is None:
        return "–"
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 0.001 or abs(value) >= 1e5):
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.4g}"


def status_message(snap: Snapshot) -> None:
    """One clear sentence about where the run is, colored by severity. A running run
    gets a one-line badge (it is on screen all the time, above the charts); the states
    a person has to read and act on get a full alert."""
    s = snap.status
    if s == Status.RUNNING and snap.slowed:
        # Every paced run on a busy server is slowed alike; say so and by how much.
        st.badge(f"Training · {snap.config.optimizer_label}, learning rate {snap.lr:g} · "
                 f"slowed: the server is busy ({snap.steps_per_sec:,.0f} of "
                 f"{snap.pace:,.0f} steps/s)", icon=":material/speed:", color="orange")
    elif s == Status.RUNNING:
        st.badge(f"Training · {snap.config.optimizer_label}, learning rate {snap.lr:g}",
                 icon=":material/play_circle:", color="green")
    elif s == Status.QUEUED and "saturated" in snap.message:
        # On lanes a run waits only when the server is really full: say why, how long.
        st.info(snap.message[0].upper() + snap.message[1:] + ".",
                icon=":material/hourglass_top:")
    elif s == Status.QUEUED:
        pos = f" (position {snap.queue_position} in the queue)" if snap.queue_position else ""
        st.info(f"Queued{pos}: every compute slot is busy; it starts as soon as one frees up.",
                icon=":material/hourglass_top:")
    elif s == Status.PAUSED:
        st.badge(snap.message.capitalize(), icon=":material/pause_circle:", color="blue")
    elif s == Status.FINISHED:
        test = (f" · test accuracy {snap.test_acc:.1%} (loss {snap.test_loss:.3f})"
                if snap.test_acc is not None else "")
        if snap.test_rmse is not None:
            test = f" · test RMSE {snap.test_rmse:.3g} {snap.target}, R² {snap.test_r2:.3f}"
        st.badge(snap.message.capitalize() + test, icon=":material/check_circle:",
                 color="green")
    elif s == Status.STOPPED:
        st.badge(snap.message.capitalize() + " · its history is kept below",
                 icon=":material/stop_circle:", color="orange")
    elif s == Status.DIVERGED:
        st.error(f"**{snap.message.capitalize()}.** {snap.hint}", icon=":material/warning:")
    elif s == Status.FAILED:
        st.error(f"**The run failed.** {snap.message}", icon=":material/error:")


def progress(snap: Snapshot) -> None:
    total = snap.total_steps or 1
    eta = (f" · about {fmt_duration(snap.eta_s)} to go"
           if snap.status == Status.RUNNING and snap.eta_s else "")
    st.progress(snap.progress, text=f"step {snap.step:,} of {total:,} · epoch "
                f"{snap.epoch:.2f} · {snap.progress:.0%}{eta}")


def metrics_row(snap: Snapshot, smoothed_loss: float | None = None) -> None:
    cols = st.columns(7 if snap.is_regression else 6)
    loss = loss_name(snap)
    cols[0].metric("Step", f"{snap.step:,}")
    cols[1].metric("Epoch", f"{snap.epoch:.2f}")
    cols[2].metric("Train loss", fmt_num(smoothed_loss if smoothed_loss is not None
                                         else snap.last_loss),
                   help=f"Smoothed minibatch {loss} (the slider sets the smoothing).")
    cols[3].metric("Val loss", fmt_num(snap.val_loss),
                   help=f"{loss.capitalize()} on the validation split, model in eval() mode.")
    if snap.is_regression:
        regression_metrics(snap, cols[4], cols[5])
    else:
        cols[4].metric("Val accuracy", "–" if snap.val_acc is None else f"{snap.val_acc:.1%}",
                       help="Share of validation examples classified correctly "
                       "(1 − error rate).")
    cols[-1].metric("Steps/s", f"{snap.steps_per_sec:,.0f}" if snap.steps_per_sec else "–",
                   help="Optimizer steps per second over the last second of training.")


def loss_name(snap: Snapshot) -> str:
    """What the loss is, in words: cross-entropy, or a regression run's MSE / Huber."""
    if not snap.is_regression:
        return "cross-entropy"
    c = snap.config
    return (f"Huber loss (δ = {c.huber_delta:g})" if c.regression_loss == "huber"
            else "mean squared error") + " of the standardised target"


def regression_metrics(snap: Snapshot, rmse_col, r2_col) -> None:
    rmse_col.metric("Val RMSE", "–" if snap.val_rmse is None else f"{snap.val_rmse:.3g}",
                    help=f"Root mean squared error on the validation split, in units of "
                    f"{snap.target} (the target's own units, not standardised).")
    r2_col.metric("Val R²", "–" if snap.val_r2 is None else f"{snap.val_r2:.3f}",
                  help="Share of the validation targets' variance the model explains: 1 is "
                  "perfect, 0 is no better than predicting their mean.")


def curve_of(snap: Snapshot, label: str | None = None, color: str | None = None) -> Curve:
    return Curve(label=label or snap.config.optimizer_label,
                 color=color or optimizer_color(snap.config.optimizer),
                 train=snap.history["train"], evals=snap.history["eval"],
                 marker_step=snap.diverged_at)
