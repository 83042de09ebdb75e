"""Lesson: on one budget of examples, small batches take more steps and win (training chapter)."""
from __future__ import annotations

from .base import SOURCE, Evidence, Finding, Lesson, Span, final, reproduced, train, trainer_for
from .chapter import BASE, chapter_source, compare_preset

BUDGET_EXAMPLES = 256 * 40
SMALL_BATCH = BASE.replace(batch_size=8, length=BUDGET_EXAMPLES // 8, eval_every=40)
LARGE_BATCH = BASE.replace(batch_size=256, length=BUDGET_EXAMPLES // 256, eval_every=2)


def evidence(progress=None, source=None) -> Evidence:
    runs = {}
    for (name, cfg), (lo, hi) in zip((("batch 8", SMALL_BATCH), ("batch 256", LARGE_BATCH)),
                                     ((0, 0.9), (0.9, 1))):
        tr = trainer_for(cfg)
        runs[name] = train(tr, cfg.length, Span(progress, lo, hi, f"training {name}"),
                           every=cfg.eval_every)
    small, large = final(runs["batch 8"]["eval_loss"]), final(runs["batch 256"]["eval_loss"])
    observed = small < large
    finding = Finding(
        SOURCE, "More, noisier steps win", observed,
        f"With the same {BUDGET_EXAMPLES:,} training examples, batch 8 took "
        f"{SMALL_BATCH.length:,} steps and reached validation loss {small:.3f} (accuracy "
        f"{final(runs['batch 8']['eval_acc']):.1%}); batch 256 took {LARGE_BATCH.length} "
        f"steps and reached {large:.3f} ({final(runs['batch 256']['eval_acc']):.1%}). "
        + reproduced(observed))
    return Evidence([finding], numbers={"val_loss_batch_8": small, "val_loss_batch_256": large},
                    series={k: {"examples": v["eval_examples"], "val_loss": v["eval_loss"]}
                            for k, v in runs.items()})


LESSON = Lesson(
    "batch_budget", "Same compute: batch 8 versus 256",
    "With a fixed budget of training examples, small batches take many more steps. Each step "
    "is noisier, but on a small problem the extra steps win: batch 8 ends far lower than "
    "batch 256 after the same amount of data.",
    chapter_source(
        f"SGD at {BASE.lr:g} on the digits MLP, {BUDGET_EXAMPLES:,} training examples for "
        f"each run: batch 8 ({SMALL_BATCH.length:,} steps) against batch 256 "
        f"({LARGE_BATCH.length} steps), same initial weights.",
        "that on a fixed budget of examples smaller batches take more, noisier steps, and "
        "on a small problem end lower."),
    (compare_preset({"batch 8": SMALL_BATCH, "batch 256": LARGE_BATCH}),),
    evidence, seconds=2)
