"""Lesson: cross-entropy and error rate measure different things (training chapter)."""
from __future__ import annotations

from .base import (SOURCE, Evidence, Finding, Lesson, Preset, Span, final, first_below,
                   reproduced, train, trainer_for)
from .chapter import BASE, chapter_source

CE_CONFIG = BASE.replace(optimizer="adam", lr=0.01, length=1000)


def evidence(progress=None, source=None) -> Evidence:
    tr = trainer_for(CE_CONFIG)
    # Measured on the training set, where the model soon classifies (almost) every
    # example right and only its confidence can still grow.
    run = train(tr, CE_CONFIG.length, Span(progress, 0, 1, "training"), every=20,
                split="train")
    loss, err = run["eval_loss"], [1 - a for a in run["eval_acc"]]
    n_train = len(tr.task.train)
    half = len(loss) // 2
    pairs = list(zip(loss[half:], loss[half + 1:], err[half:], err[half + 1:]))
    improving = [p for p in pairs if p[1] < p[0]]
    flat = [p for p in improving if p[3] == p[2]]
    share_flat = len(flat) / max(1, len(improving))
    loss_drop = (loss[half] - loss[-1]) / loss[half] if loss[half] > 0 else 0.0
    observed = share_flat >= 0.3 and loss_drop > 0
    zero_at = first_below(run["eval_step"], err, 1e-9)
    zero = (f"The training error first hit 0% at step {zero_at:,}. " if zero_at is not None
            else "")
    finding = Finding(
        SOURCE, "The loss moves while the error rate stands still", observed,
        f"In the second half of the run the training loss fell by {loss_drop:.0%} "
        f"({loss[half]:.3f} → {loss[-1]:.3f}) and improved in {len(improving)} of "
        f"{len(pairs)} measurements, but in {share_flat:.0%} of those the error rate did not "
        f"move: it changes only in steps of 1/{n_train:,} = {1 / n_train:.2%}. "
        + zero + reproduced(observed))
    return Evidence([finding],
                    numbers={"loss_drop_second_half": loss_drop, "share_flat_error": share_flat,
                             "final_loss": final(loss), "final_error": final(err),
                             "error_quantum": 1 / n_train},
                    series={"curves": {"step": run["eval_step"], "train_loss": loss,
                                       "train_error": err, "n_examples": [n_train]}})


LESSON = Lesson(
    "loss_vs_error", "Loss versus error rate",
    "Cross-entropy and error rate measure different things. On the same run the loss keeps "
    "improving — the model grows more confident — while the error rate moves in discrete "
    "steps and often stays flat for long stretches.",
    chapter_source(
        f"Adam at {CE_CONFIG.lr:g} on the digits MLP, batches of {CE_CONFIG.batch_size}, "
        f"{CE_CONFIG.length:,} steps; both measures on the training set every 20 steps.",
        "that the loss keeps improving while the error rate moves in discrete steps and "
        "stays flat for long stretches."),
    (Preset("Open in Train", "train", {"config": CE_CONFIG, "start": True}),),
    evidence, seconds=2)
