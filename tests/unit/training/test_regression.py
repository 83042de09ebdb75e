"""Regression training: the metrics are scikit-learn's, the loss is the config's, a run
learns the plane, and divergence is judged against predicting the mean."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.metrics import mean_squared_error, r2_score

from playground.config import RunConfig
from playground.training.losses import RegressionLoss, chance_loss, loss_for, regression_metrics
from playground.training.trainer import Trainer


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rmse_and_r2_equal_scikit_learns_on_the_same_predictions(seed):
    rng = np.random.default_rng(seed)
    true = rng.normal(size=200).astype(np.float32)
    pred = (true + rng.normal(scale=0.3 + seed, size=200)).astype(np.float32)
    std = 2.5                                    # standardised values, reported in units
    rmse, r2 = regression_metrics(torch.from_numpy(pred), torch.from_numpy(true), std)
    assert rmse == pytest.approx(math.sqrt(mean_squared_error(true * std, pred * std)),
                                 rel=1e-6)
    assert r2 == pytest.approx(r2_score(true, pred), rel=1e-6, abs=1e-9)
    assert r2 == pytest.approx(r2_score(true * std + 7, pred * std + 7), rel=1e-5, abs=1e-7)


def test_the_trainers_evaluation_matches_scikit_learn_in_target_units():
    trainer = Trainer(RunConfig(dataset="multigauss", length=100))
    for _ in range(100):
        trainer.step()
    ev = trainer.evaluate("val")
    task = trainer.task
    with torch.no_grad():
        pred = trainer.model(task.val.x).squeeze(-1).numpy()
    std, mean = task.extra["target_std"], task.extra["target_mean"]
    true_units, pred_units = task.val.y.numpy() * std + mean, pred * std + mean
    assert ev.rmse == pytest.approx(math.sqrt(mean_squared_error(true_units, pred_units)),
                                    rel=1e-5)
    assert ev.r2 == pytest.approx(r2_score(true_units, pred_units), rel=1e-4, abs=1e-6)
    assert ev.loss == pytest.approx(mean_squared_error(task.val.y.numpy(), pred), rel=1e-5)
    assert math.isnan(ev.accuracy)


def test_the_config_chooses_mse_or_huber_and_classification_keeps_cross_entropy():
    plane = Trainer(RunConfig(dataset="plane")).task
    assert loss_for(RunConfig(), Trainer(RunConfig()).task) is F.cross_entropy
    huber = loss_for(RunConfig(regression_loss="huber", huber_delta=0.3), plane)
    assert huber == RegressionLoss("huber", 0.3)
    out, y = torch.tensor([[0.0], [2.0]]), torch.tensor([0.1, 0.0])
    assert huber(out, y).item() == pytest.approx((0.5 * 0.1 ** 2 + 0.3 * (2.0 - 0.15)) / 2)
    assert loss_for(RunConfig(), plane)(out, y).item() == pytest.approx((0.01 + 4) / 2)


def test_a_plane_run_learns_well_below_the_means_loss():
    trainer = Trainer(RunConfig(dataset="plane", length=600, noise=0.1))
    start = trainer.evaluate("val").loss
    for _ in range(600):
        trainer.step()
    ev = trainer.evaluate("val")
    assert start > 0.5 and ev.loss < 0.1 and ev.r2 > 0.9
    assert ev.rmse < 0.2            # the noise is 0.1 in the target's units


def test_divergence_is_judged_against_predicting_the_mean():
    trainer = Trainer(RunConfig(dataset="sin"))
    assert trainer.chance_loss == chance_loss(trainer.task) == 1.0
    assert trainer.divergence(50.0) is None
    assert "the mean's loss 1.00" in trainer.divergence(150.0)
    sgd = Trainer(RunConfig(dataset="plane", optimizer="sgd", lr=50.0, length=200))
    reasons = [sgd.divergence(sgd.step().loss) for _ in range(200)]
    assert any(reasons)


def test_the_maths_shows_the_loss_the_run_trains_on():
    from playground.training.explain import regression_loss

    assert r"\big(\hat y(x) - z\big)^2" in regression_loss(RunConfig(dataset="sin"))
    huber = regression_loss(RunConfig(dataset="sin", regression_loss="huber", huber_delta=0.5))
    assert r"\ell_\delta" in huber and huber.endswith("= 0.5")
