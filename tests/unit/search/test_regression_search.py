"""Searching a regression task: RMSE and R² objectives, a diverged trial the worst."""
import math

from playground.config import RunConfig
from playground.data import load
from playground.search.backends import InProcess
from playground.search.space import FieldRange, SearchSettings, objective_direction
from playground.search.stored import trial_run
from playground.search.study import best_trial, run_search

PLANE = RunConfig(dataset="plane", n_samples=300, width=8, optimizer="sgd")


def _search(objective):
    settings = SearchSettings(fields=(FieldRange("lr", 1e-2, 50.0),), sampler="grid",
                              grid_points=2, trials=2, steps=150, checkpoints=2,
                              objective=objective)
    assert settings.validate(PLANE) == []
    return settings, {r.params["lr"]: r for r in run_search(PLANE, settings, InProcess())[1]}


def test_rmse_objective_ranks_a_diverged_trial_last_in_target_units():
    settings, by_lr = _search("best_val_rmse")
    std = load(PLANE).extra["target_std"]
    assert by_lr[50.0].state == "diverged" and by_lr[50.0].value == 10 * std
    assert by_lr[1e-2].state == "complete" and 0 < by_lr[1e-2].value < std
    assert best_trial(list(by_lr.values()), objective_direction("best_val_rmse")
                      ).params["lr"] == 1e-2
    run = trial_run(by_lr[1e-2], settings, "me", "g")
    assert set(run.points) == {"loss", "val_loss", "val_rmse", "val_r2"}


def test_r2_objective_is_maximised_and_a_diverged_trial_scores_minus_99():
    _, by_lr = _search("final_val_r2")
    assert objective_direction("final_val_r2") == "maximize"
    assert by_lr[50.0].value == -99.0
    assert 0 < by_lr[1e-2].value <= 1 and math.isfinite(by_lr[1e-2].value)


def test_accuracy_is_no_objective_for_regression_nor_rmse_for_classification():
    bad = SearchSettings(objective="final_val_acc").validate(PLANE)
    assert [e.field for e in bad] == ["objective"] and "regression" in bad[0].reason
    bad = SearchSettings(objective="best_val_rmse").validate(RunConfig(dataset="moons"))
    assert [e.field for e in bad] == ["objective"] and "classification" in bad[0].reason
