"""The regression tasks keep the TaskData contract: one output named for the target,
float32 targets standardised with the training split's mean and std."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from playground import data
from playground.config import RunConfig
from playground.data import regression

TASKS = {"plane": ("points2d", 2), "multigauss": ("points2d", 2), "sin": ("points1d", 1)}


@pytest.mark.parametrize("name", TASKS)
def test_a_regression_task_obeys_the_contract(name):
    config = RunConfig(dataset=name, n_samples=500, seed=3)
    task = data.load(config)
    kind, n_features = TASKS[name]
    assert (task.task, task.is_regression, task.kind) == ("regression", True, kind)
    assert (task.n_classes, task.class_names, task.n_features) == (1, ["y"], n_features)
    assert data.is_regression(config) and not data.is_regression(RunConfig(dataset="moons"))
    for split in (task.train, task.val, task.test):
        assert split.y.dtype == torch.float32 and split.y.dim() == 1
        assert split.x.shape == (len(split.y), n_features)
    y = task.train.y.double()
    assert abs(y.mean().item()) < 1e-6 and y.std(unbiased=False).item() == pytest.approx(1, 1e-5)
    _, raw = regression.points(name, 500, config.noise, 3)
    tr, _, _ = data.split_indices(500, config.val_fraction, config.test_fraction, 3)
    assert task.extra["target_mean"] == pytest.approx(float(raw[tr.numpy()].mean()), rel=1e-5)
    assert task.extra["target_std"] == pytest.approx(float(raw[tr.numpy()].std()), rel=1e-5)
    back = task.val.y.numpy() * task.extra["target_std"] + task.extra["target_mean"]
    assert np.all(np.isfinite(back))


def test_the_same_seed_draws_the_same_points_and_another_seed_others():
    a, b = regression.points("multigauss", 300, 0.1, 7), regression.points("multigauss", 300,
                                                                             0.1, 7)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[1], regression.points("multigauss", 300, 0.1, 8)[1])


def test_the_plane_is_linear_in_the_inputs_up_to_its_noise():
    x, y = regression.points("plane", 2000, 0.0, 0)
    assert np.allclose(y, x[:, 0] + x[:, 1], atol=1e-6)
    x, y = regression.points("sin", 2000, 0.0, 0)
    assert np.allclose(y, np.sin(x[:, 0]), atol=1e-6) and x.min() >= -3 and x.max() <= 3
