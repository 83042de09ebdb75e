"""The LR sweep page's results: chart, stop notes, suggestions with "Use this LR", CSV.

Each mode keeps its last result in ``st.session_state[state.sweep_result(mode)]``:
{"id", "mode", "items", "settings", "config", "seconds"}, where items are SweepCurve or
ShortRunsResult objects; switching modes shows that mode's own last result.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.config import OPTIMIZERS, RunConfig
from playground.figures.sweep import X_AXES, range_test_figure, short_runs_figure
from playground.figures.theme import colors_for
from playground.training.losses import loss_axis
from playground.ui import runtime, state
from playground.ui.widgets.charts import chart

X_LABELS = {"lr": "η (log axis)", "exponent": "log₁₀ η"}


def _swatch(color: str, label: str) -> str:
    """A colored square before a label: ties a table row to its curve on the chart."""
    return f'<span style="color:{color}">■</span> **{label}**'


def show_result(result: dict, config: RunConfig) -> None:
    st.divider()
    used = st.session_state.pop(state.SWEEP_USED, None)
    if used:
        st.success(used, icon=":material/check_circle:")
    if result["mode"] == "range":
        _range_result(result, config)
    else:
        _short_result(result, config)


def _nice(lr: float) -> float:
    """Three significant digits: what a person would type into the Train page."""
    return float(f"{lr:.3g}")


def _use_lr(config: RunConfig, lr: float, optimizer: str, batch_size: int | None) -> None:
    """Button callback (runs before the rerun, so the sidebar shows the new value)."""
    changes = {"lr": _nice(lr)}
    notes = [f"learning rate **{_nice(lr):g}**"]
    if optimizer != config.optimizer:
        changes["optimizer"] = optimizer
        notes.append(f"optimizer **{OPTIMIZERS[optimizer]}**")
    if batch_size is not None and batch_size != config.batch_size:
        changes["batch_size"] = batch_size
        notes.append(f"batch size **{batch_size}** (the sweep's: the best η depends on it)")
    runtime.set_config(config.replace(**changes))
    st.session_state[state.SWEEP_USED] = ("Set " + ", ".join(notes)
                                          + ". The Train page now uses it.")


def _use_button(config: RunConfig, lr: float, optimizer: str, batch_size: int | None,
                key: str, where) -> None:
    where.button("Use this LR", key=key, icon=":material/input:",
                 on_click=_use_lr, args=(config, lr, optimizer, batch_size),
                 help=f"Write η = {_nice(lr):g} into the setup used by the Train page"
                      + (f" (and switch to {OPTIMIZERS[optimizer]})"
                         if optimizer != config.optimizer else "") + ".")


# ------------------------------------------------------------------ range test
def _range_result(result: dict, config: RunConfig) -> None:
    curves = result["items"]
    settings = result["settings"]
    run_beta = curves[0].beta
    if st.session_state.get("sw_view_for") != result.get("id"):
        st.session_state["sw_view_for"] = result.get("id")
        st.session_state["sw_view_beta"] = round(run_beta, 3)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        x_axis = st.segmented_control("x axis", list(X_AXES), default="lr", key="sw_xaxis",
                                      format_func=X_LABELS.get,
                                      help="η on a log axis, or its exponent log₁₀ η on a "
                                           "linear axis (the makemore lecture's plot).") or "lr"
        show_raw = st.toggle("Raw loss", value=True, key="sw_show_raw",
                             help="Also draw every minibatch loss, thin and faint.")
        zoom = st.toggle("Zoom on the descent", value=True, key="sw_zoom",
                         help="Fit the loss axis to where the loss falls; the blow-up runs "
                              "off the top (its stop mark stays at the edge). Off: show it all.")
        beta = st.slider("Smoothing β (view)", 0.0, 0.995, step=0.005, key="sw_view_beta",
                         width=260, help="Re-smooth the finished sweep; the suggestions move "
                         f"with it. The stop rule used β = {run_beta:.3g} while sweeping.")
    fig = range_test_figure(curves, beta=beta, x_axis=x_axis, show_raw=show_raw,
                            zoom=zoom, title=None, y_title=loss_axis(config))
    chart(fig, "sw_chart")
    steps = len(curves[0].planned_lrs)
    for c in curves:
        if c.stopped:
            st.markdown(f"**{c.label}** stopped at step {c.stop_index + 1:,} of {steps:,}: "
                        f"{c.stop_reason}.")
        else:
            st.markdown(f"**{c.label}** ran all {steps:,} steps without diverging: raise the "
                        f"end LR to see where it breaks.")
    st.caption(f"{result['config'].dataset}, batch {curves[0].batch_size}, "
               f"{RAMPS_TEXT.get(settings.ramp, settings.ramp)} ramp {settings.start_lr:g} → "
               f"{settings.end_lr:g}; computed in {result['seconds']:.2f} s.")

    st.subheader("Suggestions")
    st.caption("Each rule reads the smoothed curve before the stop. They disagree on "
               "purpose: steepest and valley sit where the loss falls fastest, minimum ÷ 10 "
               "backs off from the edge of divergence. Short runs check them without the "
               "range test's bias.")
    batch = settings.batch_size
    colors = colors_for([c.optimizer for c in curves])
    for c, color in zip(curves, colors):
        sugg = c.suggestions(beta)
        if not sugg:
            st.warning(f"{c.label}: too few usable points for a suggestion; widen the range "
                       "or use more steps.")
        for s in sugg:
            row = st.columns([1.3, 1.5, 1, 4.2, 1.5], vertical_alignment="center")
            row[0].markdown(_swatch(color, c.label), unsafe_allow_html=True)
            row[1].markdown(f"**{s.name}**")
            row[2].markdown(f"η = **{_nice(s.lr):g}**")
            row[3].markdown(f"{s.why}; {s.detail}.")
            _use_button(config, s.lr, c.optimizer, batch, f"sw_use_{c.optimizer}_{s.rule}",
                        row[4])
    frame = pd.DataFrame([r for c in curves for r in c.rows(beta)])
    st.download_button("Sweep curve (CSV)", frame.to_csv(index=False),
                       file_name="lr-range-test.csv", mime="text/csv", key="sw_csv",
                       icon=":material/download:",
                       help="Every step: optimizer, η, raw loss, smoothed loss, and where it "
                            "stopped.")


RAMPS_TEXT = {"exp": "exponential", "linear": "linear"}


# ------------------------------------------------------------------ short runs
def _short_result(result: dict, config: RunConfig) -> None:
    runs = result["items"]
    settings = result["settings"]
    many_seeds = len(runs[0].seeds) > 1
    with st.container(horizontal=True, vertical_alignment="bottom"):
        x_axis = st.segmented_control("x axis", list(X_AXES), default="lr", key="sr_xaxis",
                                      format_func=X_LABELS.get,
                                      help="η on a log axis, or log₁₀ η on a linear one.") or "lr"
        which = st.segmented_control("Show", ["train", "val"], selection_mode="multi",
                                     default=["train", "val"], key="sr_which",
                                     format_func={"train": "train loss",
                                                  "val": "validation loss"}.get,
                                     help="Final loss on the whole training split (solid) "
                                          "and on the validation split (dotted).")
        band = st.toggle("Seed band", value=True, key="sr_band", disabled=not many_seeds,
                         help="Shade the range between the best and worst seed."
                         if many_seeds else "Run with 2–3 seeds to see the spread.")
        log_y = st.toggle("Log loss axis", value=False, key="sr_logy",
                          help="Spread losses that differ by orders of magnitude: the "
                               "small differences between good learning rates show.")
    fig = short_runs_figure(runs, which=tuple(which or ("val",)), show_band=band,
                            x_axis=x_axis, log_y=log_y, title=None, y_title=loss_axis(config))
    chart(fig, "sr_chart")
    st.caption(f"{settings.points} learning rates × {settings.steps} steps × "
               f"{len(runs[0].seeds)} seed(s) each, batch {runs[0].config.batch_size}; "
               f"computed in {result['seconds']:.1f} s. Lines are the mean over seeds; "
               "✕ along the top = diverged for at least one seed (the loss blew up, or "
               "ended above 3× where it started).")
    st.subheader("Best learning rate")
    for r, color in zip(runs, colors_for([r.optimizer for r in runs])):
        best = r.best_lr("val")
        row = st.columns([1.3, 5.7, 1.5], vertical_alignment="center")
        row[0].markdown(_swatch(color, r.label), unsafe_allow_html=True)
        if best is None:
            row[1].markdown("every learning rate diverged: lower the range.")
            continue
        k = int(abs(r.lrs - best).argmin())
        score = (f"accuracy {r.val_acc[:, k].mean():.1%}" if r.val_rmse is None
                 else f"RMSE {r.val_rmse[:, k].mean():.3g} in the target's units")
        n_div = int(r.diverged.any(axis=0).sum())
        row[1].markdown(f"lowest validation loss **{r.mean('val')[k]:.4g}** at η = "
                        f"**{_nice(best):g}** ({score})"
                        + (f"; {n_div} of {len(r.lrs)} η diverged" if n_div else "")
                        + (" — at the edge of the grid: extend the range" if k in
                           (0, len(r.lrs) - 1) else "") + ".")
        _use_button(config, best, r.optimizer, settings.batch_size,
                    f"sr_use_{r.optimizer}", row[2])
    frame = pd.DataFrame([row for r in runs for row in r.rows()])
    st.download_button("Short-run results (CSV)", frame.to_csv(index=False),
                       file_name="lr-short-runs.csv", mime="text/csv", key="sr_csv",
                       icon=":material/download:",
                       help="One row per optimizer, seed and η: final train/validation "
                            "loss, accuracy, diverged.")

