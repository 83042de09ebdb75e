"""Before the first run: what the data looks like and what will be trained on it."""
from __future__ import annotations

import streamlit as st

from playground import data as datasets
from playground.config import RunConfig
from playground.figures.boundary import boundary_figure, digits_preview_figure
from playground.training import explain
from playground.training.predict import plane_bounds
from playground.ui.pages.train.fit_view import fit_figure
from playground.ui.widgets.charts import chart

DATA_FIELDS = ("dataset", "n_samples", "noise", "classes", "val_fraction", "test_fraction",
               "seed", "table", "label_column", "feature_columns", "drop_missing", "table_task")
MODEL_FIELDS = ("hidden_layers", "width", "embed_dim", "context")


def preview(config: RunConfig, errors: list) -> None:
    if config.dataset == "draw":
        return                          # the drawing canvas (draw.py) is its preview
    if any(e.field in DATA_FIELDS for e in errors):
        st.info("Fix the data settings in the sidebar to see a preview.")
        return
    task = datasets.load(config)
    n_tr, n_va, n_te = len(task.train), len(task.val), len(task.test)
    model_ok = not any(e.field in MODEL_FIELDS for e in errors)
    model_text = (explain.architecture(config, task.n_features, task.n_classes,
                                       task.model_kind)
                  if model_ok else "fix the model settings marked in the sidebar")
    left, right = st.columns([1.25, 1])
    with right:
        if task.is_regression and task.kind in ("points2d", "points1d"):
            chart(fit_figure(None, task, None, show_val=False), "chart_preview")
        elif task.kind == "points2d":
            x, y = task.train.x.numpy(), task.train.y.numpy()
            fig = boundary_figure(plane_bounds(x), None, x, y, task.class_names,
                                  title="The data (training split)")
            chart(fig, "chart_preview")
        elif task.kind == "image" and task.image_shape:
            chart(digits_preview_figure(task.train.x.numpy(), task.train.y.numpy()),
                  "chart_preview")
    with left:
        st.subheader("Ready to train")
        spec = datasets.DATASETS[config.dataset]
        dropout = f", dropout {config.dropout:g}" if config.dropout else ""
        st.markdown(
            f"**{spec.label}** — {spec.description}\n\n"
            f"- {n_tr:,} training / {n_va:,} validation / {n_te:,} test examples, "
            + (f"target {task.class_names[0]} (regression)\n" if task.is_regression
               else f"{task.n_classes} classes\n") +
            f"- model: {model_text} ({config.activation}{dropout})\n"
            f"- {config.short_label()}, {config.length:,} {config.length_unit}\n\n"
            "Press **Start** to train, or **Step** to take a single step.")
