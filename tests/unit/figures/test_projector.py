"""Every chart, as it is sent to the browser, passes the projector rules (tests/projector.py):
fonts at or above the minimum, decade ticks on log axes, no unexplained marks, runs in
colours a room can tell apart, and replays that keep their contour map."""
from __future__ import annotations

import itertools

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.config import RunConfig
from playground.figures import boundary, compare, curves, surface, sweep
from playground.figures.theme import (DARK_BG, LIGHT_BG, MIN_CONTRAST, MIN_FONT,
                                      OPTIMIZER_COLORS, colors_for, contrast, delta_e)
from playground.runs.status import Status
from playground.training.history import History
from tests.projector import MIN_RUN_DELTA_E, problems, wire


def _history(n=300, blow_up_at=None, lr_drop=None):
    h = History()
    for i in range(1, n + 1):
        loss = 2.0 / i if blow_up_at is None or i < blow_up_at else 10.0 ** (i - blow_up_at)
        if blow_up_at is not None and i > blow_up_at + 3:
            loss = float("inf")
        lr = 0.1 if lr_drop is None or i < lr_drop else 0.01
        h.train.append((i, i / 10, 32 * i, i * 0.01), (loss, lr))
        if i % 25 == 0 or i == 1:
            h.evals.append((i, i / 10, 32 * i, i * 0.01), (2.0 / i, min(1.0, i / n)))
    return h.view()


def _curves(k=3, optimizer="sgd"):
    colours = colors_for([optimizer] * k)
    out = []
    for i, colour in enumerate(colours):
        v = _history(blow_up_at=4 if i == k - 1 else None)
        out.append(curves.Curve(f"run {i}", colour, v["train"], v["eval"],
                                marker_step=5 if i == k - 1 else None))
    return out


def _path(name, colour, n=40):
    t = np.linspace(0, 1, n)
    return surface.PathTrace(name, colour, -1 + t, 1 - t ** 2, np.arange(n), 1 + t)


def _figures():
    few = _curves()
    yield "train loss, diverged run", curves.loss_figure(few)
    yield "train loss, log axis", curves.loss_figure(few, log_y=True)
    yield "four steps only (lr 10)", curves.loss_figure(
        [curves.Curve("SGD", OPTIMIZER_COLORS["sgd"], _history(n=4)["train"],
                      _history(n=4)["eval"], marker_step=4)])
    yield "accuracy", curves.accuracy_figure(few)
    yield "learning rate", curves.lr_figure(few)
    members = [compare.Member(f"SGD lr={lr:g}", "sgd", {"train": c.train, "eval": c.evals},
                              Status.RUNNING) for lr, c in zip((0.001, 0.3, 20.0), few)]
    yield "compare loss", compare.loss_figure(members)
    yield "compare accuracy", compare.accuracy_figure(members)
    xs = ys = np.linspace(-2, 2, 31)
    z = 1 + np.add.outer(ys ** 2, xs ** 2)
    paths = [_path(n, c) for n, c in zip(("SGD", "Adam"), colors_for(["sgd", "adam"]))]
    yield "toy contour with replay", surface.contour_figure(
        xs, ys, z, paths, title="Rosenbrock", x_title="x", y_title="y", minima=[(1, 1)],
        start=(-1, 1))
    yield "3-D surface", surface.surface3d_figure(xs, ys, z, paths, title="T", x_title="x",
                                                  y_title="y")
    pts = np.random.default_rng(0).normal(size=(60, 2))
    yield "decision boundary", boundary.boundary_figure(
        (-3, 3, -3, 3), np.full((20, 20, 3), 1 / 3), pts, np.arange(60) % 3, ["a", "b", "c"])
    yield "digits preview", boundary.digits_preview_figure(
        np.random.default_rng(0).uniform(0, 16, (20, 64)), np.arange(20) % 10)
    yield "confusion", boundary.confusion_figure(np.eye(3, dtype=int) * 5, ["a", "b", "c"])


@pytest.mark.parametrize("name,fig", list(_figures()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_chart_passes_the_projector_rules(name, fig):
    assert problems(wire(fig)) == []


def test_sweep_charts_pass_the_projector_rules():
    from playground.sweep.range_test import range_test_many
    from playground.sweep.settings import SweepSettings
    from playground.sweep.short_runs import ShortRunSettings, short_runs_many

    setup = RunConfig(dataset="spiral", n_samples=300, hidden_layers=1, width=16)
    ramp = range_test_many(setup, ["sgd", "adam"], SweepSettings(1e-4, 10.0, 60))
    for fig in (sweep.range_test_figure(ramp), sweep.range_test_figure(ramp[:1]),
                sweep.range_test_figure(ramp, x_axis="exponent")):
        assert problems(wire(fig)) == []
    runs = short_runs_many(setup, ["sgd", "adam"],
                           ShortRunSettings(start_lr=1e-2, end_lr=1e3, points=4, steps=20, seeds=2))
    for fig in (sweep.short_runs_figure(runs), sweep.short_runs_figure(runs, log_y=True)):
        assert problems(wire(fig)) == []


def test_the_rules_catch_what_was_seen_on_screen():
    """The checks fail on the faults the class saw (so a passing chart means something)."""
    bad = go.Figure(go.Scatter(x=[1, 2], y=[1, 2], hoverinfo="skip", showlegend=False))
    bad.update_layout(yaxis=dict(type="log", dtick="D2"), legend=dict(font=dict(size=10)),
                      annotations=[dict(text="5", font=dict(size=9))])
    spec = bad.to_dict()                       # not finished: the raw figure
    found = "\n".join(problems(spec))
    assert "no legend entry and no hover label" in found
    assert "log axis without decade ticks" in found
    assert "legend font 10" in found and "annotation 0" in found
    twins = go.Figure([go.Scatter(x=[0, 1], y=[0, 1], name="a", line=dict(color="#0072B2")),
                       go.Scatter(x=[0, 1], y=[1, 0], name="b", line=dict(color="#0070B0"))])
    assert any("look alike" in p for p in problems(twins.to_dict()))
    animated = surface.contour_figure(np.arange(3.0), np.arange(3.0), np.ones((3, 3)) + 1,
                                      [_path("SGD", "#0072B2")], title="t", x_title="x",
                                      y_title="y").to_dict()
    animated["data"].insert(0, go.Contour(z=[[1, 2], [3, 4]]).to_plotly_json())
    assert any("vanishes on Play" in p for p in problems(animated))


@pytest.mark.parametrize("optimizers", [["sgd"] * 6, ["adam"] * 6, ["rmsprop"] * 6,
                                        ["sgd", "sgd", "momentum", "momentum", "adam", "adam"],
                                        list(OPTIMIZER_COLORS) + ["sgd", "adam"]])
def test_every_run_gets_its_own_readable_colour(optimizers):
    """Six runs of one optimizer are six shades of its hue, far enough apart; none
    fades into the light or the dark page."""
    colours = colors_for(optimizers)
    assert colours[0] == OPTIMIZER_COLORS[optimizers[0]]
    for a, b in itertools.combinations(colours, 2):
        assert delta_e(a, b) >= MIN_RUN_DELTA_E, (a, b)
    for c in colours[len(set(optimizers)):]:            # the shades the app picked
        assert contrast(c, LIGHT_BG) >= MIN_CONTRAST and contrast(c, DARK_BG) >= MIN_CONTRAST


def test_fonts_never_go_below_the_minimum_even_when_a_figure_asks():
    fig = go.Figure(go.Scatter(x=[1], y=[1], name="a"))
    fig.update_layout(legend=dict(font=dict(size=8)), sliders=[dict(font=dict(size=9),
                                                                    steps=[dict(label="1")])])
    fig.add_annotation(text="note", font=dict(size=10))
    spec = wire(fig)
    assert spec["layout"]["legend"]["font"]["size"] == MIN_FONT
    assert spec["layout"]["sliders"][0]["font"]["size"] == MIN_FONT
    assert spec["layout"]["annotations"][0]["font"]["size"] == MIN_FONT
