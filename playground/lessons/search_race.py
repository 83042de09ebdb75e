"""Lesson: on the same budget, random search beats grid search when few fields matter.

Grid, random and TPE search each get 9 trials on the digits MLP over two fields: the
learning rate, which decides almost everything, and dropout on a short run, which
hardly matters. A 3 × 3 grid spends its 9 trials on only 3 learning rates; random
search tries 9 different ones; TPE (not in the source) steers its later trials to
where the good ones were. The race is best-so-far against trials spent.
"""
from __future__ import annotations

from playground.search.backends import InProcess
from playground.search.space import FieldRange, SearchSettings
from playground.search.study import best_so_far, run_search

from .base import (DEVIATION, SOURCE, Deviation, Evidence, Finding, Lesson, Preset, Source,
                   reproduced, shown)
from .chapter import BASE

RACE_BASE = BASE.replace(length=200, eval_every=50)
RANDOM_SEEDS = (1, 2, 3)   # random search is judged by its median over 3 sampler seeds:
                           # one seed alone can draw every η on one side (seed 1 did)
FIELDS = (FieldRange("lr", 1e-3, 3.0), FieldRange("dropout", 0.0, 0.3))
TRIALS = 9
SAMPLER_LABELS = {"grid": "grid (3 × 3)", "random": "random", "tpe": "TPE"}
TPE_TITLE = "TPE, a Bayesian sampler, runs beside them"


def race_settings(sampler: str, seed: int = 1) -> SearchSettings:
    return SearchSettings(fields=FIELDS, sampler=sampler, trials=TRIALS, steps=RACE_BASE.length,
                          grid_points=3, checkpoints=2, objective="final_val_loss", seed=seed)


def evidence(progress=None, source=None) -> Evidence:
    curves, best, distinct = {}, {}, {}
    plan = [("grid", 1), *(("random", s) for s in RANDOM_SEEDS), ("tpe", 1)]
    for i, (sampler, seed) in enumerate(plan):
        name = sampler if sampler != "random" else f"random_{seed}"
        if progress is not None:
            progress.update(i / len(plan), f"{SAMPLER_LABELS[sampler]}: {TRIALS} trials")
        _, records = run_search(RACE_BASE, race_settings(sampler, seed), InProcess())
        curves[name] = best_so_far(records, "minimize")
        best[name] = min(v for v in curves[name] if v is not None)
        distinct[name] = len({round(r.params["lr"], 12) for r in records})
    if progress is not None:
        progress.update(1.0, "done")
    best["random"] = sorted(best[f"random_{s}"] for s in RANDOM_SEEDS)[len(RANDOM_SEEDS) // 2]
    distinct["random"] = distinct[f"random_{RANDOM_SEEDS[0]}"]
    random_wins = best["random"] <= best["grid"]
    tpe_wins = best["tpe"] <= best["random"]
    findings = [
        Finding(SOURCE, "Random beats grid on the same budget", random_wins,
                f"With {TRIALS} trials each, the grid tried {distinct['grid']} learning rates "
                f"and reached a validation loss of {best['grid']:.3f}; random search tried "
                f"{distinct['random']} and reached {best['random']:.3f} (the median of "
                f"{len(RANDOM_SEEDS)} sampler seeds: "
                + ", ".join(f"{best[f'random_{s}']:.3f}" for s in RANDOM_SEEDS) + "). "
                + reproduced(random_wins)),
        Finding(DEVIATION, TPE_TITLE, tpe_wins,
                f"TPE reached {best['tpe']:.3f} (random's median {best['random']:.3f}): its first "
                "trials are random, the later ones drawn near the best so far. "
                + shown(tpe_wins)),
    ]
    return Evidence(findings,
                    numbers={**{f"best_{k}": v for k, v in best.items()},
                             **{f"distinct_lr_{k}": float(v) for k, v in distinct.items()}},
                    series={k: {"trial": list(range(1, len(c) + 1)),
                                "best_val_loss": [v for v in c]} for k, c in curves.items()})


LESSON = Lesson(
    "search_race", "Grid, random and TPE on the same budget",
    "When only a few of the searched fields matter, random search finds a better setup "
    "than grid search with the same number of trials. A grid spends its budget repeating "
    "the same few values of the field that matters; random search tries a new value every "
    "trial.",
    Source("Bergstra & Bengio, Random Search for Hyper-Parameter Optimization (JMLR 2012)",
           f"Grid against random search on the same trial budget; here {TRIALS} trials "
           f"each of the digits MLP ({RACE_BASE.length} SGD steps, batch "
           f"{RACE_BASE.batch_size}) over the learning rate (log, 1e-3 to 3) and dropout "
           "(0 to 0.3), judged by the final validation loss.",
           "random search finds models as good or better than grid search within a small "
           "fraction of the computation, because few hyper-parameters really matter and a "
           "grid tries few values of each (their Figure 1).",
           "the paper searches neural networks on MNIST variants with many more trials; the "
           "app races on 8×8 digits so the whole race takes seconds."),
    (Preset("Open in Train", "train", {"config": RACE_BASE}),),
    evidence,
    deviations=(Deviation(TPE_TITLE, "The source races grid against random only. TPE "
                          "(Optuna's default Bayesian sampler) shows the next step: after a "
                          "few random trials it draws where the good trials were, so with a "
                          "small budget it usually matches random search or beats it."),),
    seconds=8)
