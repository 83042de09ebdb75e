"""Lesson: the initialization decides whether each layer starts alive (makemore part 3).

Karpathy's makemore part 3 looks inside a deep tanh MLP at initialization: with a badly
scaled init the tanh layers saturate (|t| > 0.97, where no gradient flows); a scaled
init keeps every layer's activations at a steady spread. Here the same diagnostics
(the app's layer health, ``training/health.py``) on a 4 × 64 tanh MLP over 8×8 digits,
for Xavier uniform, N(0, 1) everywhere, and all zeros, each judged layer by layer.
"""
from __future__ import annotations

import torch

from playground.config import RunConfig
from playground.training.health import PROBE_EXAMPLES, probe_layers

from .base import (EXTRA, SOURCE, Evidence, Finding, Lesson, Preset, Source, reproduced, shown,
                   trainer_for)
from .chapter import compare_preset

BASE = RunConfig(
    dataset="digits", hidden_layers=4, width=64, activation="tanh", optimizer="sgd", lr=0.1,
    batch_size=32, length=1000, seed=0, eval_every=25)
INITS = {"Xavier uniform": "xavier_uniform", "N(0, 1)": "randn", "Zeros": "zeros"}
STABLE = 0.5            # Xavier: every layer's std within ×0.5 … ×2 of the first layer's
SATURATED = 0.5         # N(0, 1): over half of every layer's values in the tails


def measure() -> dict[str, list]:
    """Per init, each hidden layer's health at step 0 on the first training examples."""
    out = {}
    for name, init in INITS.items():
        trainer = trainer_for(BASE.replace(init=init))
        inputs, targets = trainer.task.train.take(
            torch.arange(min(PROBE_EXAMPLES, len(trainer.task.train))))
        out[name] = probe_layers(trainer.model, inputs, targets)
    return out


def evidence(progress=None, source=None) -> Evidence:
    layers = measure()
    if progress is not None:
        progress.update(1.0, "measured")
    x, n, z = layers["Xavier uniform"], layers["N(0, 1)"], layers["Zeros"]
    first = x[0].std
    xavier_ok = first > 0 and all(STABLE * first <= l.std <= first / STABLE for l in x) \
        and all(l.saturated < 0.05 for l in x)
    normal_ok = all(l.saturated > SATURATED for l in n)
    zeros_ok = all(l.std == 0.0 for l in z)

    def per_layer(rows, what) -> str:
        return "; ".join(f"layer {i + 1}: {what(l)}" for i, l in enumerate(rows))

    findings = [
        Finding(SOURCE, "A scaled init keeps every layer's spread", xavier_ok,
                "Xavier uniform, activation std and saturated share per layer: "
                + per_layer(x, lambda l: f"std {l.std:.2f}, saturated {l.saturated:.0%}")
                + f" — every layer within ×{STABLE:g}–×{1 / STABLE:g} of the first. "
                + reproduced(xavier_ok)),
        Finding(SOURCE, "N(0, 1) saturates the tanh layers", normal_ok,
                "N(0, 1) weights and biases: "
                + per_layer(n, lambda l: f"std {l.std:.2f}, saturated {l.saturated:.0%}")
                + f" — over {SATURATED:.0%} of every layer's values sit where tanh is flat "
                "and passes almost no gradient. " + reproduced(normal_ok)),
        Finding(EXTRA, "Zeros: every unit the same", zeros_ok,
                "All-zero weights: " + per_layer(z, lambda l: f"std {l.std:.2f}")
                + " — every unit outputs the same value on every example, and gradients "
                "keep them identical (the Train page's neuron maps show one map repeated). "
                + shown(zeros_ok)),
    ]
    series = {name: {"layer": [f"hidden {i + 1}" for i in range(len(rows))],
                     "std": [l.std for l in rows], "saturated": [l.saturated for l in rows]}
              for name, rows in layers.items()}
    numbers = {f"std_last_over_first_{key}": (rows[-1].std / rows[0].std if rows[0].std else 0.0)
               for key, rows in (("xavier", x), ("normal", n))}
    numbers.update({"saturated_min_normal": min(l.saturated for l in n),
                    "saturated_max_xavier": max(l.saturated for l in x)})
    return Evidence(findings, numbers=numbers, series=series)


LESSON = Lesson(
    "init_health", "Initialization: alive, saturated or identical",
    "A scaled initialization (Xavier) keeps each layer's activations at a steady spread. "
    "Weights drawn from N(0, 1) push tanh layers into saturation, where gradients vanish. "
    "All zeros make every hidden unit identical.",
    Source("makemore part 3 (Andrej Karpathy)",
           "a deep tanh MLP inspected at initialization: per-layer activation mean, std and "
           "saturation (|t| > 0.97)",
           "no single number; it shows saturated tanh layers under a too-large init and "
           "steady ones under a scaled init",
           "the lecture's MLP reads characters; the lesson uses a 4 × 64 tanh MLP on 8×8 "
           "digits (seconds on two cores) with the app's own layer statistics."),
    (compare_preset({name: BASE.replace(init=init) for name, init in INITS.items()}),
     Preset("Open in Train", "train", {"config": BASE.replace(init="randn"), "start": True})),
    evidence, seconds=1)
