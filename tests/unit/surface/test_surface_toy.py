"""Toy landscapes: the real torch.optim steps match the textbook update rules."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from playground.surface.toy import FUNCTIONS, PRESETS, ToyOptimizer, preset, run_all, run_optimizer

QUAD = FUNCTIONS["quadratic"]
KAPPA = 10.0
START = (-1.8, 1.0)


def grad_quadratic(p):
    return np.array([p[0], KAPPA * p[1]])


def test_sgd_first_steps_match_hand_computed_updates():
    lr = 0.05
    path = run_optimizer(QUAD, ToyOptimizer("sgd", lr), START, 3, kappa=KAPPA)
    p = np.array(START)
    for k in range(1, 4):
        p = p - lr * grad_quadratic(p)
        np.testing.assert_allclose(path.points[k], p, rtol=1e-12)
    # θ1 written out: x ← x − ηx, y ← y − ηκy
    np.testing.assert_allclose(path.points[1], [-1.8 * 0.95, 1.0 * 0.5], rtol=1e-12)
    assert path.values[0] == pytest.approx(0.5 * (1.8 ** 2 + KAPPA * 1.0))


def test_momentum_first_steps_match_hand_computed_updates():
    lr, mu = 0.05, 0.9
    path = run_optimizer(QUAD, ToyOptimizer("momentum", lr, momentum=mu), START, 3, kappa=KAPPA)
    p, buf = np.array(START), None
    for k in range(1, 4):
        g = grad_quadratic(p)
        buf = g if buf is None else mu * buf + g      # torch: first buffer = gradient
        p = p - lr * buf
        np.testing.assert_allclose(path.points[k], p, rtol=1e-12)


def test_adam_first_steps_match_hand_computed_updates():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    path = run_optimizer(QUAD, ToyOptimizer("adam", lr, beta1=b1, beta2=b2, eps=eps),
                         START, 3, kappa=KAPPA)
    p, m, v = np.array(START), np.zeros(2), np.zeros(2)
    for t in range(1, 4):
        g = grad_quadratic(p)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        np.testing.assert_allclose(path.points[t], p, rtol=1e-10)
    # Adam's first step has length lr in each coordinate, whatever the gradient's size.
    np.testing.assert_allclose(np.abs(path.points[1] - START), [lr, lr], rtol=1e-6)


def test_trajectories_are_reproducible():
    fn = FUNCTIONS["rosenbrock"]
    opts = preset("Every optimizer", fn)
    a = run_all(fn, opts, fn.start, 120, clip=5.0)
    b = run_all(fn, opts, fn.start, 120, clip=5.0)
    for pa, pb in zip(a, b):
        np.testing.assert_array_equal(pa.points, pb.points)
        np.testing.assert_array_equal(pa.values, pb.values)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_minima_are_stationary_points_with_the_stated_value(name):
    fn = FUNCTIONS[name]
    for m in fn.minima_for(KAPPA):
        p = torch.tensor(m, dtype=torch.float64, requires_grad=True)
        value = fn.value(p[0], p[1], KAPPA)
        value.backward()
        assert float(value) == pytest.approx(fn.f_min, abs=1e-8)
        assert float(p.grad.norm()) < 1e-4
        assert fn.x_range[0] <= m[0] <= fn.x_range[1] and fn.y_range[0] <= m[1] <= fn.y_range[1]


def test_divergence_is_detected_and_reported():
    # SGD on curvature κ is unstable for lr > 2/κ = 0.2
    bad = run_optimizer(QUAD, ToyOptimizer("sgd", 0.5), START, 200, kappa=KAPPA)
    good = run_optimizer(QUAD, ToyOptimizer("sgd", 0.15), START, 200, kappa=KAPPA)
    assert bad.diverged_at is not None and bad.diverged_at < 200
    assert len(bad.points) == bad.diverged_at + 1
    assert good.diverged_at is None
    assert good.distance < 1e-6 and good.steps_to_converge is not None


def test_clipping_bounds_the_step():
    fn = FUNCTIONS["rosenbrock"]
    free = run_optimizer(fn, ToyOptimizer("sgd", 1e-3), fn.start, 1)
    clipped = run_optimizer(fn, ToyOptimizer("sgd", 1e-3), fn.start, 1, clip=1.0)
    assert np.linalg.norm(free.points[1] - free.points[0]) > 1e-3 * 10
    assert np.linalg.norm(clipped.points[1] - clipped.points[0]) == pytest.approx(1e-3, rel=1e-6)


def test_plain_sgd_stays_on_the_saddle_ridge():
    fn = FUNCTIONS["saddle"]
    stuck = run_optimizer(fn, ToyOptimizer("sgd", 0.05), (-1.8, 0.0), 300)
    assert abs(stuck.points[-1][1]) == 0.0 and abs(stuck.points[-1][0]) < 1e-3
    assert stuck.distance == pytest.approx(1.0, abs=1e-3)   # minima are at y = ±1
    escaped = run_optimizer(fn, ToyOptimizer("sgd", 0.05), fn.start, 300)
    assert escaped.distance < 0.01


def test_nearest_minimum_is_picked_among_several():
    fn = FUNCTIONS["himmelblau"]
    path = run_optimizer(fn, ToyOptimizer("sgd", 0.005), (3.5, -2.0), 400)
    assert path.nearest_min == pytest.approx((3.584428, -1.848126))
    assert path.distance < 1e-4


def test_invalid_settings_are_named():
    with pytest.raises(ValueError, match="lr must be"):
        run_optimizer(QUAD, ToyOptimizer("adam", -1.0), START, 5)
    with pytest.raises(ValueError, match="beta1 must be"):
        run_optimizer(QUAD, ToyOptimizer("adam", 0.1, beta1=1.0), START, 5)
    with pytest.raises(ValueError, match="unknown optimizer"):
        run_optimizer(QUAD, ToyOptimizer("lbfgs", 0.1), START, 5)
    with pytest.raises(ValueError, match="steps must be"):
        run_optimizer(QUAD, ToyOptimizer("sgd", 0.1), START, 0)


@pytest.mark.parametrize("name", PRESETS)
def test_presets_run_on_every_landscape(name):
    for fn in FUNCTIONS.values():
        paths = run_all(fn, preset(name, fn), fn.start, 20)
        assert all(len(p.points) >= 2 and math.isfinite(p.values[0]) for p in paths)


def test_grid_layout_matches_the_function():
    fn = FUNCTIONS["beale"]
    xs, ys, z = fn.grid(30)
    j, i = 7, 21
    assert z[j, i] == pytest.approx(float(fn.value(torch.tensor(xs[i]), torch.tensor(ys[j]))))
