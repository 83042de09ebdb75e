"""LR sweeps on a regression task: the range test ramps the regression loss, short runs
report RMSE in the target's units."""
from __future__ import annotations

import math

import numpy as np

from playground.config import RunConfig
from playground.data import load
from playground.sweep.range_test import range_test
from playground.sweep.settings import SweepSettings
from playground.sweep.short_runs import ShortRunSettings, short_runs

SIN = RunConfig(dataset="sin", n_samples=300, width=12, optimizer="sgd")


def test_the_range_test_ramps_the_mse_from_about_the_means_loss_to_divergence():
    curve = range_test(SIN, SweepSettings(start_lr=1e-4, end_lr=100.0, steps=120))
    assert 0.3 < curve.losses[0] < 5          # standardised targets: near the mean's loss 1
    assert curve.stopped and curve.suggestions()
    assert np.isfinite(curve.losses[:10]).all()


def test_short_runs_report_rmse_and_no_accuracy_on_regression():
    res = short_runs(SIN, ShortRunSettings(start_lr=0.01, end_lr=0.1, points=2, steps=100))
    std = load(SIN).extra["target_std"]
    assert res.val_rmse is not None and np.isnan(res.val_acc).all()
    assert (0 < res.val_rmse).all() and (res.val_rmse < 2 * std).all()
    row = res.rows()[0]
    assert "val_rmse" in row and "val_accuracy" not in row and math.isfinite(row["val_rmse"])
