"""Pure figures of the Train page: what they draw, without a browser."""
import csv
import io
import json

import numpy as np
import plotly.io as pio
import pytest
import torch

from playground.config import RunConfig
from playground.training.trainer import Trainer
from playground.training.export import config_json, history_csv, weights_bytes
from playground.figures.boundary import (boundary_figure, confusion_figure,
                                         probability_image)
from playground.figures.curves import Curve, accuracy_figure, ema, loss_figure, lr_figure
from playground.figures.theme import OPTIMIZER_COLORS, colors_for, style
from playground.training.history import History
from playground.training.predict import confusion_matrix, grid_probabilities, plane_bounds, replica


def history(n=500, spike=None, lr_drop=None):
    h = History()
    for i in range(1, n + 1):
        loss = 2.0 / i + (50.0 if i == spike else 0.0)
        lr = 0.1 if lr_drop is None or i < lr_drop else 0.01
        h.train.append((i, i / 10, 32 * i, i * 0.01), (loss, lr))
        if i % 25 == 0:
            h.evals.append((i, i / 10, 32 * i, i * 0.01), (2.0 / i, min(1.0, i / n)))
    return h.view()


def test_ema_is_bias_corrected_and_skips_nan():
    assert ema(np.array([5.0, 5.0, 5.0]), 0.9).tolist() == pytest.approx([5.0, 5.0, 5.0])
    out = ema(np.array([1.0, np.nan, 3.0]), 0.5)
    assert out[0] == 1.0 and out[1] == 1.0 and 1.0 < out[2] < 3.0
    assert ema(np.array([1.0, 2.0]), 0.0).tolist() == [1.0, 2.0]


def test_loss_figure_draws_train_band_and_validation_with_run_color():
    v = history()
    fig = loss_figure([Curve("Adam", OPTIMIZER_COLORS["adam"], v["train"], v["eval"])])
    names = [t.name for t in fig.data]
    assert "Adam · train" in names and "Adam · validation" in names
    train = next(t for t in fig.data if t.name == "Adam · train")
    assert train.line.color == OPTIMIZER_COLORS["adam"] and len(train.x) == 500
    assert fig.layout.xaxis.title.text == "optimizer step"
    assert "nats" in fig.layout.yaxis.title.text


def test_log_axis_and_x_units():
    v = history()
    fig = loss_figure([Curve("SGD", "#000000", v["train"], v["eval"])], x="examples", log_y=True)
    assert fig.layout.yaxis.type == "log" and fig.layout.xaxis.title.text == "examples seen"
    train = next(t for t in fig.data if t.name == "SGD · train")
    assert float(train.x[-1]) == 32 * 500


def test_divergence_marker_and_non_finite_points_are_dropped():
    h = History()
    for i in range(1, 11):
        h.train.append((i, i, i, i), (1.0 if i < 10 else float("inf"), 0.1))
    v = h.view()
    fig = loss_figure([Curve("SGD", "#000000", v["train"], v["eval"], marker_step=10)])
    train = next(t for t in fig.data if t.name == "SGD · train")
    assert len(train.x) == 9
    marker = next(t for t in fig.data if t.name == "SGD diverged")
    assert list(marker.customdata) == [10]


def test_lr_figure_keeps_only_changes_of_a_step_schedule():
    v = history(lr_drop=300)
    fig = lr_figure([Curve("SGD", "#000000", v["train"], v["eval"])])
    ys = list(fig.data[0].y)
    assert len(ys) == 4 and ys[0] == pytest.approx(0.1) and ys[-1] == pytest.approx(0.01)


def test_accuracy_is_in_percent():
    v = history()
    fig = accuracy_figure([Curve("A", "#000000", v["train"], v["eval"])])
    assert max(fig.data[0].y) == pytest.approx(100.0) and fig.layout.yaxis.range == (0, 101)


def test_repeated_optimizers_get_distinct_colors():
    colors = colors_for(["sgd", "adam", "sgd"])
    assert colors[0] == OPTIMIZER_COLORS["sgd"] and colors[1] == OPTIMIZER_COLORS["adam"]
    assert len(set(colors)) == 3


def test_style_keeps_existing_layout_and_labels_axes():
    import plotly.graph_objects as go
    fig = go.Figure()
    fig.add_layout_image(dict(source="data:image/png;base64,AA==", x=0, y=1))
    style(fig, "T", "x (s)", "y (nats)", yaxis=dict(type="log"))
    assert len(fig.layout.images) == 1 and fig.layout.title.text == "T"
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.title.text == "y (nats)"


def test_probability_image_puts_high_y_on_top_and_fades_uncertainty():
    probs = np.zeros((2, 3, 2))
    probs[0, :, 0] = 1.0          # bottom row (low y): certain class 0
    probs[1, :, :] = 0.5          # top row: a coin flip
    img = probability_image(probs)
    assert img.shape == (2, 3, 3) and img.dtype == np.uint8
    assert img[0].mean() > img[1].mean()   # the uncertain (top) row is paler


def test_boundary_of_a_trained_model_matches_its_predictions():
    cfg = RunConfig(dataset="gauss", length=300)
    t = Trainer(cfg)
    for _ in range(300):
        t.step()
    task = t.task
    model = replica(cfg, task, t.weights())
    x = task.train.x.numpy()
    bounds = plane_bounds(x)
    xs, ys, probs = grid_probabilities(model, bounds, 40)
    i, j = 7, 31
    direct = torch.softmax(model(torch.tensor([[xs[j], ys[i]]])), 1)[0].detach().numpy()
    assert np.allclose(probs[i, j], direct, atol=1e-6)
    fig = boundary_figure(bounds, probs, x, task.train.y.numpy(), task.class_names)
    assert len(fig.layout.images) == 1
    assert {t.name for t in fig.data} == {f"class {k} (train)" for k in range(3)}
    counts = confusion_matrix(model, task.val, task.n_classes)
    assert counts.sum() == len(task.val) and np.trace(counts) / counts.sum() > 0.8
    assert "confusion" in confusion_figure(counts, task.class_names).layout.title.text.lower()


def test_exports_round_trip():
    h = History()
    for i in range(1, 51):
        h.train.append((i, i / 5, 8 * i, 0.1 * i), (1.0 / i, 0.1))
        if i % 10 == 0:
            h.evals.append((i, i / 5, 8 * i, 0.1 * i), (2.0 / i, 0.5))
    h.evals.append((0, 0, 0, 0), (3.0, 0.1))
    v = h.view()
    rows = list(csv.DictReader(io.StringIO(history_csv(v["train"], v["eval"]))))
    assert len(rows) == 51 and rows[0]["step"] == "0" and rows[0]["loss"] == ""
    assert float(rows[0]["val_loss"]) == 3.0 and float(rows[10]["val_loss"]) == pytest.approx(0.2)
    assert rows[1]["val_loss"] == "" and rows[-1]["step"] == "50"
    cfg = RunConfig(lr=0.3)
    again, errors = RunConfig.from_dict(json.loads(config_json(cfg)))
    assert again == cfg and not errors
    t = Trainer(cfg)
    loaded = torch.load(io.BytesIO(weights_bytes(t.weights())), weights_only=True)
    assert all(torch.equal(loaded[k], v) for k, v in t.model.state_dict().items())


def test_figures_serialize_compactly():
    v = history(2000)
    fig = loss_figure([Curve("A", "#000000", v["train"], v["eval"])])
    assert '"bdata"' in pio.to_json(fig, validate=False)  # typed arrays, not JSON lists


def test_drawing_canvas_is_the_plane_with_a_key_per_class_and_split():
    import numpy as np

    from playground.figures.drawing import drawing_figure
    from tests.projector import problems, wire

    xy = np.array([[0.5, 0.5], [-0.5, -0.5], [1.0, -1.0]], dtype=np.float32)
    labels = np.array([0, 1, 1])
    split = {"train": np.array([0, 1]), "val": np.array([2]), "test": np.zeros(0, int)}
    fig = wire(drawing_figure(xy, labels, split, 3, (-1.5, 1.5, -1.5, 1.5)))
    assert not problems(fig)
    names = [t["name"] for t in fig["data"] if t.get("showlegend", True)]
    assert names == ["class 0 (1)", "class 1 (2)", "class 2 (0)", "filled: training",
                     "hollow: validation", "hollow diamond: test"]
    assert fig["layout"]["xaxis"]["range"] == [-1.5, 1.5] and fig["layout"]["dragmode"] is False
    empty = wire(drawing_figure(xy[:0], labels[:0], {"train": np.zeros(0, int)}, 2,
                                (-1.5, 1.5, -1.5, 1.5)))
    assert "Click anywhere" in empty["layout"]["annotations"][0]["text"]
