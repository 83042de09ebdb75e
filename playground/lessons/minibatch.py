"""Lesson: a minibatch loss is a noisy, unbiased estimate of the full loss (training chapter)."""
from __future__ import annotations

import math
import statistics

from .base import SOURCE, Evidence, Finding, Lesson, Preset, Span, reproduced, trainer_for
from .chapter import BASE, chapter_source

MB_CONFIG = BASE.replace(lr=0.05, length=600)


def evidence(progress=None, source=None) -> Evidence:
    tr = trainer_for(MB_CONFIG)
    span = Span(progress, 0, 1, "measuring both losses at every step")
    steps, mini, full = [], [], []
    for i in range(MB_CONFIG.length):
        # Both losses with the *same* parameters: the full loss first, then the step
        # (whose reported minibatch loss is computed before its update).
        full.append(tr.evaluate("train").loss)
        mini.append(tr.step().loss)
        steps.append(i)
        if i % 50 == 0:
            span(i / MB_CONFIG.length)
    diff = [m - f for m, f in zip(mini, full)]
    mean, sd = statistics.fmean(diff), statistics.stdev(diff)
    se = sd / math.sqrt(len(diff))
    unbiased = abs(mean) <= 3 * se
    noisy = sd > 0.1 * statistics.fmean(full)
    observed = unbiased and noisy
    finding = Finding(
        SOURCE, "Unbiased but noisy", observed,
        f"Over {len(diff):,} steps the minibatch loss differed from the full training-set "
        f"loss by {mean:+.4f} on average (standard error {se:.4f}: "
        f"{'no detectable bias' if unbiased else 'a detectable bias'}), while single "
        f"minibatches scattered by ±{sd:.3f} around it. " + reproduced(observed))
    return Evidence([finding],
                    numbers={"mean_difference": mean, "standard_error": se, "scatter_sd": sd},
                    series={"curves": {"step": steps, "minibatch_loss": mini,
                                       "full_train_loss": full}})


LESSON = Lesson(
    "minibatch_vs_full", "A minibatch loss is a noisy estimate",
    "The loss on one minibatch is a Monte Carlo estimate of the loss on the whole training "
    "set: unbiased (right on average) but noisy. That noise is why a training curve wiggles "
    "even when the model is steadily improving.",
    chapter_source(
        f"SGD at {MB_CONFIG.lr:g} on the digits MLP, batches of {MB_CONFIG.batch_size}, "
        f"{MB_CONFIG.length} steps; before every step, the loss on the whole training set "
        "with the same weights.",
        "that a minibatch loss is an unbiased (right on average) but noisy estimate of the "
        "loss on the whole training set."),
    (Preset("Open in Train", "train", {"config": MB_CONFIG, "start": True}),),
    evidence, seconds=2)
