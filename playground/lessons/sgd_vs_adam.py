"""Lesson: Adam gets to a good loss in fewer steps than plain SGD (training chapter)."""
from __future__ import annotations

from .base import (SOURCE, Evidence, Finding, Lesson, Span, first_below, fmt_steps, reproduced,
                   train, trainer_for)
from .chapter import BASE, chapter_source, compare_preset

OPT_CONFIGS = {"sgd": BASE.replace(optimizer="sgd", lr=0.01, length=1500, eval_every=20),
               "adam": BASE.replace(optimizer="adam", lr=0.001, beta1=0.9, beta2=0.999,
                                    eps=1e-8, length=1500, eval_every=20)}
# SGD at the digits MLP's own good rate (BASE's), to see how much of the gap tuning closes.
TUNED_SGD = OPT_CONFIGS["sgd"].replace(lr=BASE.lr)
TARGET_LOSS = 0.5


def evidence(progress=None, source=None) -> Evidence:
    runs, reached = {}, {}
    plan = {**OPT_CONFIGS, "sgd_tuned": TUNED_SGD}
    for i, (name, cfg) in enumerate(plan.items()):
        tr = trainer_for(cfg)
        runs[name] = train(tr, cfg.length, Span(progress, i / 3, (i + 1) / 3,
                                                f"training {cfg.optimizer_label} {cfg.lr:g}"),
                           every=cfg.eval_every, split="train")
        reached[name] = first_below(runs[name]["eval_step"], runs[name]["eval_loss"],
                                    TARGET_LOSS)
    a, s, t = reached["adam"], reached["sgd"], reached["sgd_tuned"]
    adam_ok = a is not None and (s is None or a < s)
    tuned_ok = t is not None and (s is None or t < s)
    adam, sgd = OPT_CONFIGS["adam"], OPT_CONFIGS["sgd"]
    findings = [
        Finding(SOURCE, "Adam is faster at the usual rates", adam_ok,
                f"Adam (lr {adam.lr:g}, β1 {adam.beta1:g}, β2 {adam.beta2:g}) reached "
                f"training loss {TARGET_LOSS} in {fmt_steps(a)}, SGD (lr {sgd.lr:g}) in "
                f"{fmt_steps(s)}. " + reproduced(adam_ok)),
        Finding(SOURCE, "A tuned SGD rate narrows the gap", tuned_ok,
                f"SGD at lr {TUNED_SGD.lr:g} reached it in {fmt_steps(t)}"
                + (" — sooner than Adam at its default rate: much of the gap was the "
                   "learning rate, not the method. " if t is not None and a is not None
                   and t < a else ". ") + reproduced(tuned_ok)),
    ]
    nan = float("nan")
    return Evidence(findings,
                    numbers={"adam_steps_to_target": a if a is not None else nan,
                             "sgd_steps_to_target": s if s is not None else nan,
                             "tuned_sgd_steps_to_target": t if t is not None else nan,
                             "target_loss": TARGET_LOSS},
                    series={**{name: {"step": r["eval_step"], "train_loss": r["eval_loss"]}
                               for name, r in runs.items()},
                            "target": {"loss": [TARGET_LOSS]}})


LESSON = Lesson(
    "sgd_vs_adam", "SGD versus Adam",
    "At their usual learning rates Adam gets to a good loss in far fewer steps than plain "
    "SGD, because it scales each parameter's step by its own gradient history. SGD gets "
    "there too, only much later; a tuned SGD learning rate narrows the gap.",
    chapter_source(
        f"Adam with β1 0.9 and β2 0.999 (ε 10⁻⁸, lr 10⁻³) against SGD at lr "
        f"{OPT_CONFIGS['sgd'].lr:g}, then at {TUNED_SGD.lr:g}, on the digits MLP: same "
        f"initial weights and batches of {BASE.batch_size}, {BASE.length:,} steps, target "
        f"training loss {TARGET_LOSS}.",
        "that Adam reaches a good loss in far fewer steps than plain SGD at their usual "
        "rates, and that tuning SGD's rate narrows the gap."),
    (compare_preset({o.optimizer_label: o for o in OPT_CONFIGS.values()}),),
    evidence, seconds=2)
