"""What the model does, beside its loss: the decision boundary (2D tasks) or a
validation confusion matrix, drawn from a copy of the weights at most once a second."""
from __future__ import annotations

import time

import streamlit as st

from playground.figures.boundary import boundary_figure, confusion_figure
from playground.figures.drawing import drawn_boundary_figure
from playground.figures.wire import to_wire
from playground.runs.snapshot import Snapshot
from playground.training.predict import (confusion_matrix, grid_probabilities, plane_bounds,
                                         replica)
from playground.ui import runtime, state
from playground.ui.pages.train.fit_view import fit_figure
from playground.ui.widgets.charts import figure_height, mount

BOUNDARY_EVERY_S = 1.0


def model_view(snap: Snapshot, view: dict, new_points: bool = True) -> None:
    """Rebuilt when its options change, or with ``new_points`` for newer weights (at most
    once a second while the run trains); any other rerun sends the last drawing again."""
    if snap.weights is None:
        return
    task = runtime.registry().task(snap.run_id)   # the run's own data (maybe an upload)
    if task is None:
        return
    cache = st.session_state.get(state.TRAIN_BOUNDARY)
    key = (snap.run_id, snap.weights_step, view["show_val"])
    fresh = cache is None or cache["run"] != snap.run_id or cache["key"][2] != key[2]
    due = fresh or (cache["key"] != key and new_points and
                    (time.monotonic() - cache["time"] >= BOUNDARY_EVERY_S or not snap.active))
    if due:
        model = replica(snap.config, task, snap.weights)
        if task.is_regression:
            fig = fit_figure(model, task, snap.weights_step, view["show_val"])
        elif task.kind == "points2d":
            fig = _boundary(model, task, snap, view["show_val"])
        else:
            counts = confusion_matrix(model, task.val, task.n_classes)
            fig = confusion_figure(counts, task.class_names,
                                   title=f"Validation confusion · step {snap.weights_step:,}")
        # Kept as its wire text: between two builds, reruns send it as it is.
        cache = {"run": snap.run_id, "key": key, "time": time.monotonic(),
                 "wire": to_wire(fig), "height": figure_height(fig)}
        st.session_state[state.TRAIN_BOUNDARY] = cache
    mount(cache["wire"], "chart_model", cache["height"])


def _boundary(model, task, snap: Snapshot, show_val: bool):
    train_x, train_y = task.train.x.numpy(), task.train.y.numpy()
    title = f"Decision boundary · step {snap.weights_step:,}"
    if "plane" in task.extra:            # a drawn set: its canvas, every split shown
        _, _, probs = grid_probabilities(model, task.extra["plane"], resolution=90)
        return drawn_boundary_figure(task, probs, title)
    bounds = plane_bounds(train_x)
    _, _, probs = grid_probabilities(model, bounds, resolution=90)
    val = (task.val.x.numpy(), task.val.y.numpy()) if show_val else (None, None)
    return boundary_figure(bounds, probs, train_x, train_y, task.class_names, *val,
                           title=title)
