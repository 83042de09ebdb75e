"""Lesson: a learning rate can be too small, about right, or too large (training chapter)."""
from __future__ import annotations

import math

from .base import SOURCE, Evidence, Finding, Lesson, Span, final, reproduced, train, trainer_for
from .chapter import BASE, chapter_source, compare_preset

LR_VALUES = {"too small": 0.001, "about right": 0.5, "too large": 5.0}
LR_CONFIG = BASE.replace(length=300, eval_every=10)


def evidence(progress=None, source=None) -> Evidence:
    runs = {}
    for i, (name, lr) in enumerate(LR_VALUES.items()):
        tr = trainer_for(LR_CONFIG.replace(lr=lr))
        runs[name] = train(tr, LR_CONFIG.length, Span(progress, i / 3, (i + 1) / 3,
                                                      f"training at lr {lr:g}"), every=10)
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
    return Evidence([finding],
                    numbers={f"val_loss_{k.replace(' ', '_')}": v for k, v in end.items()},
                    series={f"lr {LR_VALUES[k]:g} ({k})": {"step": v["eval_step"],
                                                           "val_loss": v["eval_loss"]}
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
