"""The "Inside the network" panel: the diagram with its neuron maps, the update size
per weight matrix, and each hidden layer's activation and gradient histograms.

Its own fragment, at most one refresh a second, built from the snapshot's copy of the
weights and its layer health (recorded by the training thread every 100 steps): the
live charts above it keep their pace, and nothing here touches the running model.
Off by default: a closed panel costs nothing.
"""
from __future__ import annotations

import time

import streamlit as st

from playground.figures import inside
from playground.figures.theme import optimizer_color
from playground.figures.wire import to_wire
from playground.runs.snapshot import Snapshot
from playground.ui import runtime, state
from playground.ui.widgets.charts import figure_height, mount
from playground.ui.widgets.tables import table

INSIDE_EVERY_S = 1.0


def inside_panel(run_id: str) -> None:
    reg = runtime.registry()
    opened = st.toggle("Inside the network", key="view_inside", persist_state="session",
                       help="The network as a diagram (links coloured by sign, width by |w|; "
                            "on 2D tasks each hidden unit shows its activation over the "
                            "plane), the size of each update, and every hidden layer's "
                            "saturated and dead units.")
    if not opened:
        return
    snap = reg.snapshot(run_id, max_points=2)
    active = snap is not None and snap.active

    @st.fragment(run_every=INSIDE_EVERY_S if active else None)
    def area() -> None:
        s = reg.snapshot(run_id, max_points=2)
        if s is None or s.weights is None:
            return
        if s.health is None:
            st.caption("Layer statistics appear after the first 100 steps.")
        task = reg.task(run_id)
        if task is None:
            return
        left, right = st.columns([1.4, 1])
        with right:
            unit = _unit_picker(s, task)
        figs = _figures(s, task, unit)
        with left:
            _show(figs["network"], "chart_network")
        with right:
            if "unit" in figs:
                _show(figs["unit"], "chart_unit_map")
            elif "activations" in figs:
                _show(figs["activations"], "chart_activations")
        if s.health is None:
            return
        left, right = st.columns(2)
        with left:
            _show(figs["update"], "chart_update_ratio")
        with right:
            if "unit" in figs:
                _show(figs["activations"], "chart_activations")
            else:
                _show(figs["gradients"], "chart_gradients")
        if "unit" in figs:
            left, _ = st.columns(2)
            with left:
                _show(figs["gradients"], "chart_gradients")
        table(inside.health_table(s.health),
              {"saturated": "{:.0%}", "dead": "{:.0%}", "mean": "{:+.3f}", "std": "{:.3f}",
               "gradient std": "{:.2g}", "grad:data (in)": "{:.2g}",
               "log10 update:data (in)": "{:.2f}"})
        st.caption("Saturated: tanh/sigmoid output within 3% of its limits (no gradient "
                   "flows there). Dead: a ReLU unit that is 0 on every probe example. "
                   "Update size log10(std Δw / std w) near −3 is the usual guide: far "
                   "below, the learning rate crawls; far above, it thrashes. Each row's "
                   "ratios are for the weight matrix *into* that layer.")

    area()


def _show(drawn: tuple[str, int], key: str) -> None:
    wire, height = drawn
    mount(wire, key, height)


def _unit_picker(s: Snapshot, task) -> tuple[int, int] | None:
    if task.kind != "points2d" or task.model_kind != "mlp":
        return None
    choices = inside.unit_choices(s.health)
    if not choices:
        return None
    return st.selectbox("Enlarge a unit", choices, key="view_inside_unit",
                        format_func=lambda c: f"hidden {c[0] + 1}, unit {c[1] + 1}",
                        help="Its activation over the input plane, large, with the "
                             "training points: the part of the boundary this unit draws.")


def _figures(s: Snapshot, task, unit) -> dict:
    """The panel's figures as (wire text, height), rebuilt at most once a second (and
    once more when the run stops, so its last state shows). Kept as wire text: the
    reruns in between (a whole-page rerun, the panel's own poll) send them as they are."""
    cache = st.session_state.get(state.TRAIN_INSIDE)
    health_step = s.health.step if s.health is not None else 0
    key = (s.run_id, s.weights_step, health_step, unit)
    fresh = cache is None or cache["run"] != s.run_id or cache["unit"] != unit
    due = fresh or (cache["key"] != key and
                    (time.monotonic() - cache["time"] >= INSIDE_EVERY_S or not s.active))
    if not due:
        return cache["figs"]
    figs = {"network": inside.network_view(s.config, task, s.weights, s.health,
                                           s.weights_step)}
    if unit is not None:
        figs["unit"] = inside.enlarged_unit(s.config, task, s.weights, *unit, s.weights_step)
    if s.health is not None:
        figs["update"] = inside.update_ratio_view(s.health, optimizer_color(s.config.optimizer))
        figs["activations"] = inside.activations_view(s.health)
        figs["gradients"] = inside.gradients_view(s.health)
    figs = {name: (to_wire(fig), figure_height(fig)) for name, fig in figs.items()}
    st.session_state[state.TRAIN_INSIDE] = {"run": s.run_id, "key": key, "unit": unit,
                                            "time": time.monotonic(), "figs": figs}
    return figs
