"""Lesson: a learning rate can be too small, about right, or too large (training chapter)."""
from __future__ import annotations

import math

import numpy as np

from playground.training.health import HealthRecorder

from .base import (EXTRA, SOURCE, Evidence, Finding, Lesson, Span, final, reproduced, shown,
                   train, trainer_for)
from .chapter import BASE, chapter_source, compare_preset

LR_VALUES = {"too small": 0.001, "about right": 0.5, "too large": 5.0}
LR_CONFIG = BASE.replace(length=300, eval_every=10)
HEALTH_EVERY = 10       # steps between update-size records (the app's runs: 100)


def evidence(progress=None, source=None) -> Evidence:
    runs, updates = {}, {}
    for i, (name, lr) in enumerate(LR_VALUES.items()):
        tr = trainer_for(LR_CONFIG.replace(lr=lr))
        recorder = HealthRecorder.for_trainer(tr, every=HEALTH_EVERY)
        runs[name] = train(tr, LR_CONFIG.length, Span(progress, i / 3, (i + 1) / 3,
                                                      f"training at lr {lr:g}"), every=10,
                           after_step=recorder.after_step)
        health = recorder.latest
        # one number per record: the mean over the weight matrices of log10(std Δw / std w)
        data = health.update_data if health is not None else np.zeros((0, 1))
        finite = np.isfinite(data)
        counts = finite.sum(1)
        ratio = np.where(counts > 0, np.where(finite, data, 0.0).sum(1) / np.maximum(counts, 1),
                         np.nan)
        updates[name] = ((health.steps.tolist() if health is not None else []), ratio)
    start = runs["about right"]["eval_loss"][0]
    end = {k: final(v["eval_loss"]) for k, v in runs.items()}
    moved_small = start - end["too small"]
    big_bad = ("diverged_at" in runs["too large"] or not math.isfinite(end["too large"])
               or end["too large"] > end["about right"] + 0.5)
    observed = end["about right"] < end["too small"] and big_bad
    big_text = (f"diverged at step {runs['too large']['diverged_at'][0]}"
                if "diverged_at" in runs["too large"] else f"ended at {end['too large']:.3f}")
    finding = Finding(
        SOURCE, "Crawl, fall, blow up", observed,
        f"From validation loss {start:.2f}: lr {LR_VALUES['too small']:g} crawled to "
        f"{end['too small']:.3f} (only {moved_small:.3f} lower); lr "
        f"{LR_VALUES['about right']:g} reached {end['about right']:.3f}; lr "
        f"{LR_VALUES['too large']:g} {big_text}. " + reproduced(observed))
    medians = {k: float(np.nanmedian(v[1])) if np.isfinite(v[1]).any() else float("nan")
               for k, v in updates.items()}
    ordered = list(medians.values())
    rising = all(math.isfinite(v) for v in ordered) and ordered == sorted(ordered) and \
        len(set(ordered)) == len(ordered)
    update_finding = Finding(
        EXTRA, "The update size tells the three apart", rising,
        "Median update size log10(std Δw / std w) over the run: " + ", ".join(
            f"lr {LR_VALUES[k]:g} {v:+.1f}" for k, v in medians.items())
        + ". It rises with the learning rate. The usual guide of about −3 (makemore part 3) "
        "is a rule of thumb for deeper nets: on this one-layer SGD net the best of the three "
        f"updates its weights by about 10^{medians['about right']:.1f} of their spread per "
        "step. " + shown(rising))
    numbers = {f"val_loss_{k.replace(' ', '_')}": v for k, v in end.items()}
    numbers.update({f"update_ratio_{k.replace(' ', '_')}": v for k, v in medians.items()})
    return Evidence([finding, update_finding], numbers=numbers,
                    series={f"lr {LR_VALUES[k]:g} ({k})": {
                        "step": v["eval_step"], "val_loss": v["eval_loss"],
                        "update_step": updates[k][0],
                        # JSON has no NaN: a record after a blow-up is a gap
                        "update_ratio": [float(r) if math.isfinite(r) else None
                                         for r in updates[k][1]]}
                        for k, v in runs.items()})


LESSON = Lesson(
    "lr_range", "Learning rate: too small, right, too large",
    "Too small a learning rate crawls, too large overshoots and diverges or gets stuck; in "
    "between the loss falls fast. The useful range spans only about one or two orders of "
    "magnitude.",
    chapter_source(
        f"SGD on the digits MLP, batches of {LR_CONFIG.batch_size}, {LR_CONFIG.length} steps "
        "from the same initial weights at lr "
        + ", ".join(f"{v:g}" for v in LR_VALUES.values()) + ".",
        "that too small a learning rate crawls, too large a one overshoots or diverges, and "
        "in between the loss falls fast."),
    (compare_preset({f"lr {v:g} ({k})": LR_CONFIG.replace(lr=v) for k, v in LR_VALUES.items()}),),
    evidence, seconds=1)
