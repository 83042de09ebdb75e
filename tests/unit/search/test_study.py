"""The ask/tell loop: grid covers its grid, a diverged trial is recorded as the worst
and the search goes on, pruning stops hopeless trials, every trial is a stored run."""
import math

from playground.config import RunConfig
from playground.search.backends import InProcess
from playground.search.space import FieldRange, SearchSettings
from playground.search.stored import trial_run
from playground.search.study import best_so_far, best_trial, run_search
from playground.search.trial import worst_value

DIGITS = RunConfig(dataset="digits", width=16)


def test_grid_search_tries_every_grid_point_once():
    settings = SearchSettings(fields=(FieldRange("lr", 1e-3, 1e-1),
                                      FieldRange("batch_size", choices=(16, 64))),
                              sampler="grid", grid_points=2, trials=10, steps=20, checkpoints=2)
    _, records = run_search(DIGITS, settings, InProcess())
    assert len(records) == 4
    assert sorted((r.params["lr"], r.params["batch_size"]) for r in records) == sorted(
        (lr, b) for lr in (1e-3, 1e-1) for b in (16, 64))


def test_a_diverged_trial_counts_as_the_worst_and_the_search_goes_on():
    settings = SearchSettings(fields=(FieldRange("lr", 1e-2, 50.0),), sampler="grid",
                              grid_points=2, trials=2, steps=200, checkpoints=2)
    _, records = run_search(DIGITS.replace(optimizer="sgd"), settings, InProcess())
    by_lr = {r.params["lr"]: r for r in records}
    assert by_lr[50.0].state == "diverged"
    assert by_lr[50.0].value == worst_value("final_val_loss", 10) == 100 * math.log(10)
    assert by_lr[1e-2].state == "complete" and by_lr[1e-2].value < math.log(10)
    assert best_trial(records, "minimize").params["lr"] == 1e-2
    run = trial_run(by_lr[50.0], settings, "me", "g")
    assert run.status == "diverged" and run.group_id == "g" and run.kind == "search"


def test_median_pruning_stops_hopeless_trials_early():
    settings = SearchSettings(fields=(FieldRange("lr", 1e-5, 1e-1),), sampler="random",
                              trials=8, steps=200, checkpoints=4, pruner="median")
    _, records = run_search(DIGITS, settings, InProcess())
    pruned = [r for r in records if r.state == "pruned"]
    assert pruned, [(r.params, r.value) for r in records]
    assert all(max(r.intermediate) < 200 for r in pruned)
    assert trial_run(pruned[0], settings, "me", "g").tags[-1] == "pruned"


def test_best_so_far_never_gets_worse():
    settings = SearchSettings(fields=(FieldRange("lr", 1e-4, 1.0),), sampler="random",
                              trials=5, steps=30, checkpoints=1, objective="final_val_acc")
    _, records = run_search(DIGITS, settings, InProcess())
    curve = [v for v in best_so_far(records, "maximize") if v is not None]
    assert curve == sorted(curve)
