"""Training fundamentals (the "Little Book of Deep Learning" notes), measured on digits.

Each lesson trains the same small MLP (64 → 64 ReLU → 10) on scikit-learn's 8×8
digits for a few hundred to a couple of thousand steps — seconds on two cores — and
reports what actually happened.
"""
from __future__ import annotations

import math
import statistics

from playground.config import RunConfig

from .base import Evidence, Lesson, Preset, Span, final, first_below, fmt_steps, train, trainer_for

BASE = RunConfig(dataset="digits", hidden_layers=1, width=64, activation="relu",
                 optimizer="sgd", lr=0.1, batch_size=32, length=1500, seed=0, eval_every=25)


# ------------------------------------------------------------------ loss vs error rate
CE_CONFIG = BASE.replace(optimizer="adam", lr=0.01, length=1000)


def ce_vs_error(progress=None, source=None) -> Evidence:
    tr = trainer_for(CE_CONFIG)
    # Measured on the training set, where the model soon classifies (almost) every
    # example right and only its confidence can still grow.
    run = train(tr, CE_CONFIG.length, Span(progress, 0, 1, "training"), every=20,
                split="train")
    loss, err = run["eval_loss"], [1 - a for a in run["eval_acc"]]
    n_val = len(tr.task.train)
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
    verdict = (f"In the second half of the run the training loss fell by {loss_drop:.0%} "
               f"({loss[half]:.3f} → {loss[-1]:.3f}) and improved in {len(improving)} of "
               f"{len(pairs)} measurements, but in {share_flat:.0%} of those the error rate "
               f"did not move: it changes only in steps of 1/{n_val:,} = {1 / n_val:.2%}. "
               + zero + ("Observed." if observed else "Not clearly observed this time."))
    return Evidence(observed, verdict,
                    numbers={"loss_drop_second_half": loss_drop, "share_flat_error": share_flat,
                             "final_loss": final(loss), "final_error": final(err),
                             "error_quantum": 1 / n_val},
                    series={"curves": {"step": run["eval_step"], "train_loss": loss,
                                       "train_error": err, "n_examples": [n_val]}})


# ------------------------------------------------------ minibatch vs full training loss
MB_CONFIG = BASE.replace(lr=0.05, length=600)


def minibatch_vs_full(progress=None, source=None) -> Evidence:
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
    verdict = (f"Over {len(diff):,} steps the minibatch loss differed from the full "
               f"training-set loss by {mean:+.4f} on average (standard error {se:.4f}: "
               f"{'no detectable bias' if unbiased else 'a detectable bias'}), while single "
               f"minibatches scattered by ±{sd:.3f} around it. "
               + ("Observed: a noisy but unbiased estimate." if observed
                  else "Not clearly observed this time."))
    return Evidence(observed, verdict,
                    numbers={"mean_difference": mean, "standard_error": se, "scatter_sd": sd},
                    series={"curves": {"step": steps, "minibatch_loss": mini,
                                       "full_train_loss": full}})


# ------------------------------------------------- same compute budget: batch 8 vs 256
BUDGET_EXAMPLES = 256 * 40
SMALL_BATCH = BASE.replace(batch_size=8, length=BUDGET_EXAMPLES // 8, eval_every=40)
LARGE_BATCH = BASE.replace(batch_size=256, length=BUDGET_EXAMPLES // 256, eval_every=2)


def batch_budget(progress=None, source=None) -> Evidence:
    runs = {}
    for (name, cfg), (lo, hi) in zip((("batch 8", SMALL_BATCH), ("batch 256", LARGE_BATCH)),
                                     ((0, 0.9), (0.9, 1))):
        tr = trainer_for(cfg)
        runs[name] = train(tr, cfg.length, Span(progress, lo, hi, f"training {name}"),
                           every=cfg.eval_every)
    small, large = final(runs["batch 8"]["eval_loss"]), final(runs["batch 256"]["eval_loss"])
    observed = small < large
    verdict = (f"With the same {BUDGET_EXAMPLES:,} training examples, batch 8 took "
               f"{SMALL_BATCH.length:,} steps and reached validation loss {small:.3f} "
               f"(accuracy {final(runs['batch 8']['eval_acc']):.1%}); batch 256 took "
               f"{LARGE_BATCH.length} steps and reached {large:.3f} "
               f"({final(runs['batch 256']['eval_acc']):.1%}). "
               + ("Observed: more, noisier steps won." if observed
                  else "Not observed: the large batch did as well."))
    return Evidence(observed, verdict, numbers={"val_loss_batch_8": small,
                                                "val_loss_batch_256": large},
                    series={k: {"examples": v["eval_examples"], "val_loss": v["eval_loss"]}
                            for k, v in runs.items()})


# ------------------------------------------------------------ LR small / right / large
LR_VALUES = {"too small": 0.001, "about right": 0.5, "too large": 5.0}
LR_CONFIG = BASE.replace(length=300, eval_every=10)


def lr_range(progress=None, source=None) -> Evidence:
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
    verdict = (f"From validation loss {start:.2f}: lr {LR_VALUES['too small']:g} crawled to "
               f"{end['too small']:.3f} (only {moved_small:.3f} lower); lr "
               f"{LR_VALUES['about right']:g} reached {end['about right']:.3f}; lr "
               f"{LR_VALUES['too large']:g} {big_text}. "
               + ("Observed." if observed else "Not clearly observed this time."))
    return Evidence(observed, verdict, numbers={f"val_loss_{k.replace(' ', '_')}": v
                                                for k, v in end.items()},
                    series={f"lr {LR_VALUES[k]:g} ({k})": {"step": v["eval_step"],
                                                           "val_loss": v["eval_loss"]}
                            for k, v in runs.items()})


# ------------------------------------------------------------------------ SGD vs Adam
OPT_CONFIGS = {"sgd": BASE.replace(optimizer="sgd", lr=0.01, length=1500, eval_every=20),
               "adam": BASE.replace(optimizer="adam", lr=0.001, length=1500, eval_every=20)}
TARGET_LOSS = 0.5


def sgd_vs_adam(progress=None, source=None) -> Evidence:
    runs, reached = {}, {}
    for i, (name, cfg) in enumerate(OPT_CONFIGS.items()):
        tr = trainer_for(cfg)
        runs[name] = train(tr, cfg.length, Span(progress, i / 2, (i + 1) / 2,
                                                f"training {cfg.optimizer_label}"),
                           every=cfg.eval_every, split="train")
        reached[name] = first_below(runs[name]["eval_step"], runs[name]["eval_loss"],
                                    TARGET_LOSS)
    a, s = reached["adam"], reached["sgd"]
    observed = a is not None and (s is None or a < s)
    verdict = (f"Adam (lr {OPT_CONFIGS['adam'].lr:g}) reached training loss {TARGET_LOSS} in "
               f"{fmt_steps(a)}, SGD (lr {OPT_CONFIGS['sgd'].lr:g}) in {fmt_steps(s)}. "
               + ("Observed." if observed else "Not observed this time."))
    return Evidence(observed, verdict,
                    numbers={"adam_steps_to_target": a if a is not None else float("nan"),
                             "sgd_steps_to_target": s if s is not None else float("nan"),
                             "target_loss": TARGET_LOSS},
                    series={**{name: {"step": r["eval_step"], "train_loss": r["eval_loss"]}
                               for name, r in runs.items()},
                            "target": {"loss": [TARGET_LOSS]}})


def _compare(configs: dict[str, RunConfig]) -> Preset:
    return Preset("Open in Compare", "compare",
                  {"configs": list(configs.values()), "labels": list(configs), "start": True})


LESSONS = [
    Lesson("loss_vs_error", "Loss versus error rate",
           "Cross-entropy and error rate measure different things. On the same run the "
           "loss keeps improving — the model grows more confident — while the error rate "
           "moves in discrete steps and often stays flat for long stretches.",
           (Preset("Open in Train", "train", {"config": CE_CONFIG, "start": True}),),
           ce_vs_error, seconds=2),
    Lesson("minibatch_vs_full", "A minibatch loss is a noisy estimate",
           "The loss on one minibatch is a Monte Carlo estimate of the loss on the whole "
           "training set: unbiased (right on average) but noisy. That noise is why a "
           "training curve wiggles even when the model is steadily improving.",
           (Preset("Open in Train", "train", {"config": MB_CONFIG, "start": True}),),
           minibatch_vs_full, seconds=2),
    Lesson("batch_budget", "Same compute: batch 8 versus 256",
           "With a fixed budget of training examples, small batches take many more steps. "
           "Each step is noisier, but on a small problem the extra steps win: batch 8 ends "
           "far lower than batch 256 after the same amount of data.",
           (_compare({"batch 8": SMALL_BATCH, "batch 256": LARGE_BATCH}),),
           batch_budget, seconds=2),
    Lesson("lr_range", "Learning rate: too small, right, too large",
           "Too small a learning rate crawls, too large overshoots and diverges or gets "
           "stuck; in between the loss falls fast. The useful range spans only about one "
           "or two orders of magnitude.",
           (_compare({f"lr {v:g} ({k})": LR_CONFIG.replace(lr=v)
                      for k, v in LR_VALUES.items()}),),
           lr_range, seconds=1),
    Lesson("sgd_vs_adam", "SGD versus Adam",
           "At their usual learning rates Adam gets to a good loss in far fewer steps than "
           "plain SGD, because it scales each parameter's step by its own gradient history. "
           "SGD gets there too, only much later; a tuned SGD learning rate narrows the gap.",
           (_compare({o.optimizer_label: o for o in OPT_CONFIGS.values()}),),
           sgd_vs_adam, seconds=2),
]
