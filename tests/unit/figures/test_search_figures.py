"""Search figures pass the projector rules with every kind of trial on them."""
from playground.config import RunConfig
from playground.figures.search import (best_curves_figure, importance_figure, map_figure,
                                       parallel_figure, race_figure, trials_figure)
from playground.search.backends import InProcess
from playground.search.space import FieldRange, SearchSettings
from playground.search.study import best_so_far, best_trial, run_search
from tests.projector import problems

FIELDS = (FieldRange("lr", 1e-2, 50.0), FieldRange("batch_size", choices=(16, 64)),
          FieldRange("optimizer", choices=("sgd", "adam")))


def test_every_search_figure_is_readable_from_the_back():
    settings = SearchSettings(fields=FIELDS, sampler="grid", grid_points=2, trials=8,
                              steps=60, checkpoints=3)
    _, records = run_search(RunConfig(dataset="digits", width=16), settings, InProcess())
    assert {r.state for r in records} >= {"complete", "diverged"}
    best = best_trial(records, "minimize")
    figures = [trials_figure(records, best_so_far(records, "minimize"), "val loss (nats)",
                             "final_val_loss"),
               parallel_figure(records, FIELDS, "val loss (nats)"),
               map_figure(records, FIELDS[0], FIELDS[1], "val loss (nats)"),
               importance_figure({"lr": 0.7, "batch_size": 0.3}, {"lr": "learning rate"}),
               best_curves_figure(best),
               race_figure({"grid": [0.5, 0.4], "tpe": [0.6, 0.3]}, {}, "val loss (nats)",
                           "final_val_loss")]
    for fig in figures:
        assert problems(fig) == []
