"""Lesson: dropout and Xavier initialization on the makemore window MLP.

The source is the course's dropout/Xavier window MLP, run as its setup says (an
embedding window MLP with ReLU, dropout 0.5, Xavier init, Adam 1e-3). Its two claims
are measured on that network (3 × 10-dim embeddings → 200 ReLU → 200 ReLU → 27):
* dropout is on in ``train()`` and off in ``eval()``: the dropout layers zero half the
  hidden units in one mode and none in the other, and evaluating with the masks left
  on inflates the validation loss;
* Xavier-uniform init keeps every layer's activations at a sane scale, while N(0, 1)
  blows them up layer after layer, starting training from a huge loss.
The app's preset is the source's setup, so this lesson has no deviation to show.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from playground import data as data_registry
from playground.config import RunConfig
from playground.models import build_model

from .base import (SOURCE, Evidence, Finding, Lesson, Preset, Source, Span, reproduced,
                   train, trainer_for)

PRESET = RunConfig(dataset="names", hidden_layers=2, width=200, activation="relu",
                   dropout=0.5, init="xavier_uniform", optimizer="adam", lr=1e-3,
                   batch_size=32, embed_dim=10, context=3, length=5000, eval_every=100)
NAIVE = PRESET.replace(init="normal", init_std=1.0)
EVIDENCE_STEPS = 600
STATS_BATCH = 1000
DROPOUT_PASSES = 2
MODES_EVERY = 200


@torch.no_grad()
def layer_stats(model: nn.Module, inputs: torch.Tensor) -> list[dict]:
    """Mean, std and dead/saturated share of every layer's output, in eval mode.

    "dead" is the share of ReLU units that output zero for *every* input of the batch
    (they get no gradient); for tanh it is the share of outputs beyond |0.99|.
    """
    records: list[dict] = []
    hooks = []

    def hook(name: str, kind: str):
        def fn(_module, _inp, out):
            out = out.flatten(1)
            if kind == "relu":
                dead = float((out <= 0).all(0).float().mean())
            elif kind == "tanh":
                dead = float((out.abs() > 0.99).float().mean())
            else:
                dead = None   # not defined for a linear layer (and NaN is not JSON)
            records.append({"layer": name, "mean": float(out.mean()), "std": float(out.std()),
                            "dead": dead})
        return fn

    hooks.append(model.embedding.register_forward_hook(hook("embedding", "linear")))
    n_linear = sum(isinstance(m, nn.Linear) for m in model.mlp.net)
    i = 0
    for m in model.mlp.net:
        if isinstance(m, nn.Linear):
            i += 1
            name = "logits" if i == n_linear else f"layer {i} pre-activation"
            hooks.append(m.register_forward_hook(hook(name, "linear")))
        elif isinstance(m, (nn.ReLU, nn.Tanh)):
            kind = "relu" if isinstance(m, nn.ReLU) else "tanh"
            label = "ReLU" if kind == "relu" else "tanh"
            hooks.append(m.register_forward_hook(hook(f"layer {i} {label}", kind)))
    was = model.training
    model.eval()
    try:
        model(inputs)
    finally:
        model.train(was)
        for h in hooks:
            h.remove()
    return records


@torch.no_grad()
def val_loss_modes(model: nn.Module, split, seed: int = 0) -> tuple[float, float]:
    """(loss in eval(), mean loss over a few passes with dropout left on)."""
    inputs, targets = split.all()
    was = model.training
    try:
        model.eval()
        off = F.cross_entropy(model(*inputs), targets).item()
        model.train()
        # Dropout draws from the global RNG; fork it so this measurement neither
        # depends on nor disturbs anything else.
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            on = sum(F.cross_entropy(model(*inputs), targets).item()
                     for _ in range(DROPOUT_PASSES)) / DROPOUT_PASSES
    finally:
        model.train(was)
    return off, on


@torch.no_grad()
def dropout_share(model: nn.Module, inputs: torch.Tensor, training: bool,
                  seed: int = 0) -> float:
    """Share of the hidden units entering a dropout layer that leave it as zero, in
    ``train()`` (``training``) or ``eval()`` mode: p in one, 0 in the other."""
    zeroed, alive = [], []

    def hook(_module, inp, out):
        live = inp[0] != 0                  # ReLU zeros are not dropout's doing
        zeroed.append(int((live & (out == 0)).sum()))
        alive.append(int(live.sum()))

    hooks = [m.register_forward_hook(hook) for m in model.modules()
             if isinstance(m, nn.Dropout)]
    was = model.training
    try:
        model.train(training)
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            model(inputs)
    finally:
        model.train(was)
        for h in hooks:
            h.remove()
    return sum(zeroed) / max(1, sum(alive))


def scale_growth(stats: list[dict]) -> float:
    """How many times larger the logits' std is than the embedding's (1 = stable)."""
    return stats[-1]["std"] / stats[0]["std"]


def evidence(progress=None, source=None) -> Evidence:
    task = data_registry.load(PRESET)
    batch = task.train.take(torch.arange(min(STATS_BATCH, len(task.train))))[0][0]
    stats = {name: layer_stats(build_model(cfg, task), batch)
             for name, cfg in (("Xavier uniform", PRESET), ("N(0, 1)", NAIVE))}

    modes: dict[str, list] = {"step": [], "eval_mode": [], "train_mode": []}

    def both_modes(trainer) -> dict:
        if trainer.step_count % MODES_EVERY and trainer.step_count < EVIDENCE_STEPS:
            return {}
        off, on = val_loss_modes(trainer.model, trainer.task.val, seed=trainer.step_count)
        modes["step"].append(trainer.step_count)
        modes["eval_mode"].append(off)
        modes["train_mode"].append(on)
        return {}

    xavier_tr = trainer_for(PRESET, task)
    xavier = train(xavier_tr, EVIDENCE_STEPS, Span(progress, 0.0, 0.6, "training with Xavier"),
                   every=100, on_eval=both_modes)
    naive = train(trainer_for(NAIVE, task), EVIDENCE_STEPS,
                  Span(progress, 0.6, 1.0, "training with N(0, 1)"), every=100)
    off, on = modes["eval_mode"][-1], modes["train_mode"][-1]
    share_train = dropout_share(xavier_tr.model, batch, training=True)
    share_eval = dropout_share(xavier_tr.model, batch, training=False)
    growth = {k: scale_growth(v) for k, v in stats.items()}
    xs, ns = xavier["eval_loss"], naive["eval_loss"]
    dropout_ok = (abs(share_train - PRESET.dropout) < 0.05 and share_eval == 0
                  and off < on)
    init_ok = xs[0] < ns[0] and xs[-1] < ns[-1] and growth["Xavier uniform"] < growth["N(0, 1)"]
    findings = [
        Finding(SOURCE, "Dropout is on in train(), off in eval()", dropout_ok,
                f"In train() the dropout layers zeroed {share_train:.1%} of the live hidden "
                f"units of a {len(batch):,}-window batch (p = {PRESET.dropout:g}); in eval() "
                f"{share_eval:.0%}. After {EVIDENCE_STEPS:,} steps the validation loss was "
                f"{off:.3f} in eval() mode but {on:.3f} with dropout left on. "
                + reproduced(dropout_ok)),
        Finding(SOURCE, "Xavier keeps the activation scale", init_ok,
                f"At initialization the standard deviation of the activations grew "
                f"{growth['N(0, 1)']:,.0f}× from the embedding to the logits with N(0, 1) "
                f"weights, against {growth['Xavier uniform']:.2f}× with Xavier; the N(0, 1) "
                f"network started at validation loss {ns[0]:,.1f} (Xavier: {xs[0]:.2f}, "
                f"chance ln 27 = {math.log(27):.2f}) and after {EVIDENCE_STEPS:,} steps stood "
                f"at {ns[-1]:.3f} against {xs[-1]:.3f}. " + reproduced(init_ok)),
    ]
    return Evidence(findings,
                    numbers={"dropout_share_train_mode": share_train,
                             "dropout_share_eval_mode": share_eval,
                             "std_growth_xavier": growth["Xavier uniform"],
                             "std_growth_normal": growth["N(0, 1)"],
                             "val_loss_eval_mode": off, "val_loss_dropout_on": on,
                             "initial_loss_xavier": xs[0], "initial_loss_normal": ns[0],
                             "final_loss_xavier": xs[-1], "final_loss_normal": ns[-1]},
                    series={"dropout": modes,
                            "init_curves": {"step": xavier["eval_step"], "Xavier uniform": xs,
                                            "N(0, 1)": ns},
                            "layer_stats": stats})


LESSON = Lesson(
    "dropout_xavier", "Dropout and Xavier initialization",
    "Dropout is a training-time trick: evaluate with model.eval() or the random masks inflate "
    "the validation loss. And initialization matters: Xavier-uniform keeps every layer's "
    "activations on a similar scale, while N(0, 1) weights multiply the scale at each layer, "
    "so training starts from an enormous loss and stays behind.",
    Source(
        "the course's dropout and Xavier window MLP",
        "the makemore embedding window MLP with ReLU — 3 characters × 10-dim embeddings → "
        "200 → 200 → 27 — dropout 0.5 after each hidden layer, Xavier-uniform weights with "
        "biases 0, Adam at 1e-3, batches of 32.",
        "no number: dropout is on in `train()` and off in `eval()`, so a model is evaluated "
        "in `eval()`; Xavier init keeps the activations of every layer on a similar scale, where "
        "N(0, 1) weights blow them up.",
        f"the network trains here on the app's census first names; the evidence trains "
        f"{EVIDENCE_STEPS:,} steps (the Train preset {PRESET.length:,}). The app's preset is "
        "the source's setup: nothing deviates."),
    (Preset("Open in Train", "train", {"config": PRESET, "start": True}),
     Preset("Compare the two inits", "compare",
            {"configs": [PRESET, NAIVE], "labels": ["Xavier uniform", "N(0, 1)"],
             "start": True})),
    evidence, seconds=3)
