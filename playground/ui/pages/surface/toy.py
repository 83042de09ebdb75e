"""Loss surface page, tab 1: real torch.optim optimizers racing on a toy 2-D landscape."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from playground.ui.widgets.tables import table
from playground.ui.widgets.charts import chart

from playground.config import OPTIMIZER_PARAMS, OPTIMIZERS, RunConfig
from playground.config.choices import optimizer_field
from playground.figures.surface import PathTrace, contour_figure, surface3d_figure
from playground.figures.theme import colors_for
from playground.surface.toy import (FUNCTIONS, MAX_STEPS, PRESETS, ToyOptimizer, preset,
                                    run_all)

KAPPAS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
COLUMNS = ("optimizer", "lr", "momentum", "beta1", "beta2", "alpha", "eps", "weight_decay")
MAX_OPTIMIZERS = 8


def _uses(optimizer: str, column: str) -> bool:
    return optimizer_field(column, optimizer) in OPTIMIZER_PARAMS.get(optimizer, ())


def _rows(opts: list[ToyOptimizer]) -> pd.DataFrame:
    """The table: a setting the optimizer does not use is a blank cell, not a number
    that changes nothing (plain SGD has no momentum or β)."""
    rows = []
    for o in opts:
        row = {"optimizer": o.optimizer, "lr": o.lr}
        for c in COLUMNS[2:]:
            row[c] = getattr(o, optimizer_field(c, o.optimizer)) if _uses(o.optimizer, c) else None
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS).astype({c: "float64" for c in COLUMNS[1:]})


def _apply_preset() -> None:
    fn = FUNCTIONS[st.session_state["toy_fn"]]
    st.session_state["toy_table"] = _rows(preset(st.session_state["toy_preset"], fn))
    st.session_state["toy_editor_v"] = st.session_state.get("toy_editor_v", 0) + 1


def _on_click() -> None:
    """Click-to-set: a click anywhere on the map moves every optimizer's start there."""
    click = getattr(st.session_state.get("toy_chart"), "click", None)
    if click:
        fn = FUNCTIONS[st.session_state["toy_fn"]]
        x = min(max(float(click["x"]), fn.x_range[0]), fn.x_range[1])
        y = min(max(float(click["y"]), fn.y_range[0]), fn.y_range[1])
        st.session_state[f"toy_x_{fn.name}"] = round(x, 3)
        st.session_state[f"toy_y_{fn.name}"] = round(y, 3)


def _reset_start() -> None:
    fn = FUNCTIONS[st.session_state["toy_fn"]]
    st.session_state[f"toy_x_{fn.name}"], st.session_state[f"toy_y_{fn.name}"] = fn.start


@st.cache_data(max_entries=64, show_spinner=False)
def _race(fn_name: str, kappa: float, start: tuple, steps: int, clip: float, opts: tuple):
    fn = FUNCTIONS[fn_name]
    return run_all(fn, list(opts), start, steps, clip, kappa)


@st.cache_data(max_entries=32, show_spinner=False)
def _grid(fn_name: str, kappa: float, resolution: int):
    return FUNCTIONS[fn_name].grid(resolution, kappa)


def _optimizers(table: pd.DataFrame) -> tuple[list[ToyOptimizer], list[str]]:
    opts, errors = [], []
    for i, row in enumerate(table.to_dict("records"), start=1):
        if not row.get("optimizer"):
            continue
        values = {}
        for c in COLUMNS[1:]:
            v = row.get(c)
            field = optimizer_field(c, row["optimizer"])
            if v is None or (isinstance(v, float) and np.isnan(v)):
                v = getattr(ToyOptimizer(), field) if c != "lr" else None   # its default
            values[field] = v
        if values["lr"] is None:
            name = OPTIMIZERS.get(row["optimizer"])
            errors.append(f"row {i} ({name}): the learning rate is empty")
            continue
        opt = ToyOptimizer(row["optimizer"], **{k: float(v) for k, v in values.items()})
        errors += [f"row {i}: {p}" for p in opt.problems()]
        opts.append(opt)
    if len(opts) > MAX_OPTIMIZERS:
        errors.append(f"at most {MAX_OPTIMIZERS} optimizers at once, got {len(opts)}")
    return opts, errors


def render() -> None:
    st.caption("The real `torch.optim` optimizers on a 2-parameter function you can see "
               "whole. Same start for all: a fair race.")
    c1, c2, c3, c4 = st.columns([2, 1.2, 1.2, 1.2])
    fn_name = c1.selectbox("Landscape", list(FUNCTIONS), key="toy_fn",
                           format_func=lambda k: FUNCTIONS[k].label, on_change=_apply_preset,
                           help="Which 2-D function the optimizers descend.")
    fn = FUNCTIONS[fn_name]
    kappa = 10.0
    if fn_name == "quadratic":
        kappa = float(c2.select_slider(
            "Condition number κ", KAPPAS, value=10, key="toy_kappa",
            help="Ratio of the steepest to the flattest curvature. Large κ: a narrow valley "
                 "where plain SGD zig-zags; SGD diverges once lr > 2/κ."))
    steps = c3.number_input("Steps", 1, MAX_STEPS, 300, 50, key="toy_steps",
                            help="How many optimizer steps each optimizer takes.")
    clip = c4.number_input("Clip gradient norm", 0.0, 1e6, 0.0, 1.0, key="toy_clip",
                           help="Rescale the gradient when its norm exceeds this (0 = off). "
                                "Tames the huge gradients on steep walls.")
    fn_key_x, fn_key_y = f"toy_x_{fn_name}", f"toy_y_{fn_name}"
    st.session_state.setdefault(fn_key_x, fn.start[0])
    st.session_state.setdefault(fn_key_y, fn.start[1])
    s1, s2, s3, s4 = st.columns([1, 1, 1, 2.2], vertical_alignment="bottom")
    x0 = s1.number_input("Start x", float(fn.x_range[0]), float(fn.x_range[1]), step=0.1,
                         key=fn_key_x, format="%.3f",
                         help="Where every optimizer starts (or click the chart).")
    y0 = s2.number_input("Start y", float(fn.y_range[0]), float(fn.y_range[1]), step=0.1,
                         key=fn_key_y, format="%.3f",
                         help="Where every optimizer starts (or click the chart).")
    s3.button("Default start", on_click=_reset_start, key="toy_reset_start",
              help="Put the start back at this landscape's usual starting point.")
    s4.selectbox("Preset race", PRESETS, key="toy_preset", on_change=_apply_preset,
                 help="Load a ready-made set of optimizers with step sizes that suit this "
                      "landscape (replaces the table below).")
    if "toy_table" not in st.session_state:
        _apply_preset()
    table = st.data_editor(
        st.session_state["toy_table"], key=f"toy_editor_{st.session_state['toy_editor_v']}",
        num_rows="dynamic", hide_index=True, width="stretch",
        placeholder="–",          # not used by this optimizer, or its default
        column_config={
            "optimizer": st.column_config.SelectboxColumn(
                "optimizer", options=list(OPTIMIZERS), format_func=OPTIMIZERS.get,
                required=True, default="adam", help=RunConfig.help("optimizer")),
            "lr": st.column_config.NumberColumn("lr", min_value=1e-6, max_value=1e4,
                                                format="%g", default=0.01,
                                                help=RunConfig.help("lr")),
            # blank = the optimizer's own default (RMSprop momentum 0, AdamW decay
            # 0.01, SGD + momentum 0.9); settings it does not use are ignored
            **{c: st.column_config.NumberColumn(
                c, format="%g", help=RunConfig.help(c) + " Blank: this optimizer's default; "
                "ignored by optimizers that do not use it.")
               for c in COLUMNS[2:]},
        })
    st.caption("– : a setting that optimizer does not use. A blank cell of a setting it "
               "does use takes torch's default (RMSprop momentum 0, AdamW decay 0.01).")
    opts, errors = _optimizers(table)
    if errors:
        st.error("Fix the optimizer table: " + "; ".join(errors))
        return
    if not opts:
        st.info("Add at least one optimizer to the table (the + below it).")
        return
    with st.spinner(f"Running {len(opts)} optimizer(s) for {int(steps):,} steps…"):
        paths = _race(fn_name, kappa, (float(x0), float(y0)), int(steps), float(clip),
                      tuple(opts))
    _draw(fn, kappa, (float(x0), float(y0)), paths)


def _draw(fn, kappa: float, start: tuple, paths) -> None:
    colors = colors_for([p.optimizer.optimizer for p in paths])
    traces = [PathTrace(p.optimizer.display, c, p.points[:, 0], p.points[:, 1],
                        np.arange(len(p.points)), p.values[:len(p.points)])
              for p, c in zip(paths, colors)]
    xs, ys, z = _grid(fn.name, kappa, 160)
    minima = fn.minima_for(kappa)
    three_d = st.toggle("3D surface", key="toy_3d",
                        help="Show the landscape as a 3-D surface (drag to rotate) instead "
                             "of the animated contour map.")
    common = dict(title=f"{fn.label}: {len(paths)} optimizer(s) from ({start[0]:g}, "
                  f"{start[1]:g})", x_title="x (parameter 1)", y_title="y (parameter 2)",
                  z_title="f(x, y)", floor=fn.f_min, minima=minima, start=start)
    if three_d:
        chart(surface3d_figure(xs, ys, z, traces, **common), "toy_chart3d")
    else:
        chart(contour_figure(xs, ys, z, traces, **common), "toy_chart", on_click=_on_click)
        st.caption("Press ▶ Play to replay the race; drag the slider to scrub. Click "
                   "anywhere on the map to start there.")
    st.latex(fn.formula)
    st.caption(fn.note)
    summary = pd.DataFrame([{
        "optimizer": p.optimizer.display,
        "final f": p.final_value,
        "distance to nearest minimum": p.distance,
        "nearest minimum": f"({p.nearest_min[0]:.3g}, {p.nearest_min[1]:.3g})",
        "within 0.01 at step": p.steps_to_converge,
        "diverged": f"yes, step {p.diverged_at}" if p.diverged_at is not None else "no",
    } for p in paths])
    table(summary, styler=lambda s: s.apply(
        lambda col: [f"color: {c}; font-weight: bold" for c in colors], subset=["optimizer"]))
    rows = [{"optimizer": p.optimizer.display, "step": i, "x": pt[0], "y": pt[1],
             "f": p.values[i] if i < len(p.values) else np.nan}
            for p in paths for i, pt in enumerate(p.points)]
    st.download_button("Download trajectories (CSV)", pd.DataFrame(rows).to_csv(index=False),
                       file_name=f"toy_{fn.name}_trajectories.csv", mime="text/csv",
                       key="toy_download", icon=":material/download:",
                       help="Every optimizer's (x, y, f) at every step.")
