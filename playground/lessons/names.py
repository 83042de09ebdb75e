"""Lesson: makemore — next character from a 3-character window.

The source is Karpathy's makemore part 2, set up exactly as the lecture writes it:
every tensor (C, W1, b1, W2, b2) drawn from N(0, 1), tanh, batch 32, the LR sweep
10^linspace(-3, 0, 1000) with one SGD step per LR, then training at 0.1 with a late
decay to 0.01. The evidence runs the sweep on five seeds (the lecture reads lr 0.1
off its plot), trains with the decay, reads the 2D character embedding and samples
new names. Then the app's default init, Xavier, runs the same sweep and schedule
beside it: its valley sits at a larger LR, and the evidence measures why.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from playground import data as data_registry
from playground.config import RunConfig
from playground.data import names as names_data
from playground.data.alphabet import ITOS, N_SYMBOLS
from playground.models.window import sample_names

from . import names_sweep as sweep
from .base import (DEVIATION, SOURCE, Deviation, Evidence, Finding, Lesson, Preset, Source,
                   Span, reproduced, shown, train, trainer_for)

MODEL = dict(dataset="names", hidden_layers=1, width=100, activation="tanh", embed_dim=2,
             context=3, batch_size=32, optimizer="sgd", init="randn", seed=0)
SWEEP_PRESET = RunConfig(**MODEL, lr=0.1, length=1000)
XAVIER_SWEEP = SWEEP_PRESET.replace(init="xavier_uniform")
# 4 epochs ≈ 3,150 steps at 0.1, then the last epoch at 0.01 (step decay after 3 epochs).
TRAIN_PRESET = RunConfig(**MODEL, lr=0.1, length_unit="epochs", length=4, scheduler="step",
                         step_size=3, gamma=0.1, eval_every=100)
SWEEP_SEEDS = range(5)
FAST_STEPS, SLOW_STEPS = 1500, 500   # the evidence's shortened schedule: 0.1, then 0.01
DECAYED_LR = 0.01
VOWELS = "aeiou"

XAVIER = Deviation(
    "Xavier init (the app's default)",
    "The app's default init is Xavier uniform with zero biases: it starts at the chance "
    "loss, not far above it, and its first gradients are much smaller, so each learning "
    "rate moves the weights less and the sweep's valley moves to a larger LR. The best "
    "learning rate depends on the initialization.")


def names_task(config: RunConfig, names=None, source: str = ""):
    if names is None:
        return data_registry.load(config)
    return names_data.build_task(names, config, source=source or "uploaded names")


def vowel_spread(embedding: np.ndarray) -> float:
    """Mean distance between vowels ÷ mean distance between all letters (<1: vowels cluster)."""
    def mean_dist(chars: str) -> float:
        pts = [embedding[ITOS.index(c)] for c in chars]
        return float(np.mean([np.linalg.norm(a - b) for a, b in itertools.combinations(pts, 2)]))
    return mean_dist(VOWELS) / mean_dist(ITOS[1:])


def train_with_decay(task, config: RunConfig, progress, lo: float, hi: float, label: str):
    """FAST_STEPS at the preset's LR, then SLOW_STEPS at DECAYED_LR; (trainer, curve)."""
    tr = trainer_for(config.replace(length_unit="steps", length=FAST_STEPS + SLOW_STEPS,
                                    scheduler="none"), task)
    mid = lo + (hi - lo) * FAST_STEPS / (FAST_STEPS + SLOW_STEPS)
    fast = train(tr, FAST_STEPS, Span(progress, lo, mid, f"training, {label}, lr 0.1"),
                 every=100)
    tr.set_lr(DECAYED_LR)
    slow = train(tr, SLOW_STEPS, Span(progress, mid, hi, f"training, {label}, lr 0.01"),
                 every=100)
    curve = {k: fast[k] + slow[k][1:] for k in ("eval_step", "eval_loss")}
    curve["before"], curve["after"] = fast["eval_loss"][-1], slow["eval_loss"][-1]
    return tr, curve


def evidence(progress=None, source=None) -> Evidence:
    """``source``: None for the census first names, or ``(names, file name)``."""
    names, label = source if source else (None, "")
    task = names_task(SWEEP_PRESET, names, label)
    lecture = sweep.sweeps_over_seeds(task, SWEEP_PRESET, SWEEP_SEEDS, progress, 0.0, 0.3,
                                      "N(0, 1) init")
    xavier = sweep.sweeps_over_seeds(task, XAVIER_SWEEP, SWEEP_SEEDS, progress, 0.3, 0.6,
                                     "Xavier init")
    tr, curve = train_with_decay(task, SWEEP_PRESET, progress, 0.6, 0.85, "N(0, 1) init")
    _, x_curve = train_with_decay(task, XAVIER_SWEEP, progress, 0.85, 0.99, "Xavier init")

    best, x_best = sweep.best_lrs(lecture), sweep.best_lrs(xavier)
    near = sum(sweep.near_lecture(lr) for lr in best)
    higher = sum(x > b for x, b in zip(x_best, best))
    first = {k: sweep.median([s[k][0] for s in lecture]) for k in ("first_loss", "first_grad_norm")}
    x_first = {k: sweep.median([s[k][0] for s in xavier]) for k in ("first_loss", "first_grad_norm")}
    med, x_med = sweep.median(best), sweep.median(x_best)
    before, after, chance = curve["before"], curve["after"], math.log(N_SYMBOLS)

    emb = tr.model.embedding.weight.detach().numpy().copy()
    spread = vowel_spread(emb) if emb.shape[1] >= 2 else float("nan")
    samples = sample_names(tr.model, 20, SWEEP_PRESET.context, 1.0, seed=0)
    known = set(task.extra.get("names", ()))
    seen = sum(s in known for s in samples) / len(samples)

    n = len(best)
    sweep_ok = near >= math.ceil(0.8 * n)
    decay_ok = after < before < chance - 0.5
    xavier_ok = x_med > med and higher >= math.ceil(0.8 * n)
    findings = [
        Finding(SOURCE, "The LR sweep, as in the lecture", sweep_ok,
                f"With every tensor drawn from N(0, 1), the smoothed sweep loss was lowest at "
                f"lr {med:.2g} (median of {n} seeds: {sweep.lrs_text(best)}); {near} of {n} "
                f"lie within 10^(−1 ± {sweep.NEAR:g}) of the lecture's 0.1. "
                "(One step per LR: later steps also inherit all earlier progress, so read it "
                "as the upper end of the useful range.) " + reproduced(sweep_ok)),
        Finding(SOURCE, "Training at 0.1, then 0.01", decay_ok,
                f"Training at 0.1 took the validation loss from {curve['eval_loss'][0]:.1f} "
                f"(chance: ln 27 = {chance:.2f}) to {before:.3f} in {FAST_STEPS:,} steps; the "
                f"decay to {DECAYED_LR:g} brought it to {after:.3f} in {SLOW_STEPS:,} more. In "
                f"the 2D embedding the vowels sit {spread:.2f}× as far apart as letters in "
                f"general{' (they cluster)' if spread < 1 else ''}; {seen:.0%} of 20 sampled "
                "names are real names from the data. " + reproduced(decay_ok)),
        Finding(DEVIATION, XAVIER.title, xavier_ok,
                f"With Xavier-uniform weights and zero biases the same sweep bottomed at lr "
                f"{x_med:.2g} (seeds: {sweep.lrs_text(x_best)}), higher than {med:.2g} on "
                f"{higher} of {n} seeds. Why: the first step's loss was "
                f"{x_first['first_loss']:.2f} with gradient norm "
                f"{x_first['first_grad_norm']:.2f}, against {first['first_loss']:.1f} and "
                f"{first['first_grad_norm']:.2f} with N(0, 1) weights — "
                f"{first['first_grad_norm'] / x_first['first_grad_norm']:.0f}× smaller steps "
                f"at the same LR. On the same schedule Xavier went from "
                f"{x_curve['eval_loss'][0]:.2f} to {x_curve['before']:.3f}, then "
                f"{x_curve['after']:.3f}. " + shown(xavier_ok)),
    ]
    tr.model.eval()
    return Evidence(
        findings,
        numbers={"best_lr": med, "best_lr_xavier": x_med, "seeds": n,
                 "seeds_near_lecture_lr": near, "seeds_xavier_higher": higher,
                 "first_loss": first["first_loss"], "first_loss_xavier": x_first["first_loss"],
                 "first_grad_norm": first["first_grad_norm"],
                 "first_grad_norm_xavier": x_first["first_grad_norm"],
                 "val_loss_before_decay": before, "val_loss_after_decay": after,
                 "xavier_val_loss_before_decay": x_curve["before"],
                 "xavier_val_loss_after_decay": x_curve["after"],
                 "vowel_spread": spread, "share_samples_real": seen},
        series={"sweep": {"exponent": lecture[0]["exponent"],
                          "lecture_loss": lecture[0]["loss"],
                          "lecture_smoothed": lecture[0]["smoothed"],
                          "xavier_loss": xavier[0]["loss"],
                          "xavier_smoothed": xavier[0]["smoothed"],
                          "seed": [SWEEP_SEEDS[0]]},
                "sweep_minima": {"seed": list(SWEEP_SEEDS), "lecture": best, "xavier": x_best,
                                 "near": [10 ** (sweep.LECTURE_EXPONENT - sweep.NEAR),
                                          10 ** (sweep.LECTURE_EXPONENT + sweep.NEAR)]},
                "training": {"step": curve["eval_step"], "lecture": curve["eval_loss"],
                             "xavier": x_curve["eval_loss"], "decay_step": [FAST_STEPS]},
                "embedding": {"symbol": list(ITOS), "x": emb[:, 0].tolist(),
                              "y": emb[:, 1].tolist() if emb.shape[1] > 1
                              else [0.0] * len(ITOS)},
                "samples": {"name": samples}},
        artifacts={"model": tr.model, "context": SWEEP_PRESET.context, "known": known})


LESSON = Lesson(
    "names", "Makemore: names, one letter at a time",
    "A tiny MLP that sees only the previous three letters learns which letters follow which: "
    "the validation loss falls well below chance (ln 27 ≈ 3.30), a late learning-rate decay "
    "squeezes out a little more, and sampling from it invents new, name-like words. Where "
    "the best learning rate lies depends on how the weights start.",
    Source(
        "makemore part 2 (Andrej Karpathy)",
        "a 3-character window; C 27×2, W1 6×100, b1, W2 100×27 and b2 all drawn from "
        "N(0, 1) — `torch.randn`, biases included (3,481 parameters); tanh; minibatches of 32; "
        "the LR sweep takes one SGD step at each of 10^linspace(−3, 0, 1000); then SGD at "
        "0.1, decayed to 0.01 late in training.",
        "the sweep's loss is lowest near lr 0.1 (exponent −1), the rate the lecture then "
        "trains at; the late decay to 0.01 lowers the loss a little further.",
        "the lecture's 32,033 names cannot be downloaded at run time, so the app uses the "
        "5,163 US-census first names of the names package (or your list), split 70/20/10 "
        "by name, with batches from shuffled epochs rather than `torch.randint`. The minimum "
        f"is read from a {sweep.SMOOTHING}-step moving average on {len(SWEEP_SEEDS)} seeds; "
        f"training is shortened to {FAST_STEPS:,} steps at 0.1 and {SLOW_STEPS} at 0.01."),
    (Preset("Open LR sweep", "sweep", {"config": SWEEP_PRESET, "preset": "makemore",
                                        "start": True}),
     Preset("Sweep with Xavier", "sweep", {"config": XAVIER_SWEEP,
                                                   "preset": "makemore", "start": True}),
     Preset("Open in Train", "train", {"config": TRAIN_PRESET, "start": True})),
    evidence, deviations=(XAVIER,), upload="names_txt", seconds=5)
