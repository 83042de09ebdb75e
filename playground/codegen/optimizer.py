"""The optimizer and the learning-rate schedule as code.

The optimizer is the real ``torch.optim`` class with ``fused=True`` — torch's fused CPU
kernel, which is what the app's fast path calls (RMSprop has no fused kernel: both use
its multi-tensor ``foreach`` path). The default implementation does the same maths but
can round the last bit of a sum differently; the fused one matches the app bit for bit.

The schedule is the app's formula (``playground/training/schedule.py``) written out for
the one schedule the setup uses: the learning rate of the update at step ``step`` is
``LR × factor(step)``, computed with the same operations in the same order.
"""
from __future__ import annotations

from playground.training.schedule import ONECYCLE_DIV, ONECYCLE_FINAL_DIV, ONECYCLE_PCT_START

from .sections import Section, call, fill, literal

_CLASSES = {"sgd": "SGD", "momentum": "SGD", "nesterov": "SGD", "adam": "Adam",
            "adamw": "AdamW", "rmsprop": "RMSprop", "adagrad": "Adagrad"}


def _settings(config) -> list[str]:
    c, wd = config, literal(config.weight_decay)
    momentum = literal(c.momentum)
    if c.optimizer == "sgd":
        return ["lr=LR", f"weight_decay={wd}", "fused=True"]
    if c.optimizer == "momentum":
        return ["lr=LR", f"momentum={momentum}", f"weight_decay={wd}", "fused=True"]
    if c.optimizer == "nesterov":
        # torch requires momentum > 0 for Nesterov; the app uses 1e-8 for a 0 setting.
        momentum = literal(max(c.momentum, 1e-8))
        return ["lr=LR", f"momentum={momentum}", "nesterov=True", f"weight_decay={wd}",
                "fused=True"]
    if c.optimizer in ("adam", "adamw"):
        # AdamW has its own decay setting (torch's default 0.01): its decay is decoupled
        # from the gradient, so the plain weight_decay's meaning does not carry over.
        decay = wd if c.optimizer == "adam" else literal(c.adamw_decay)
        return ["lr=LR", f"betas=({literal(c.beta1)}, {literal(c.beta2)})",
                f"eps={literal(c.eps)}", f"weight_decay={decay}", "fused=True"]
    if c.optimizer == "rmsprop":
        momentum = literal(c.rmsprop_momentum)
        return ["lr=LR", f"alpha={literal(c.alpha)}", f"eps={literal(c.eps)}",
                f"momentum={momentum}", f"weight_decay={wd}", "foreach=True"]
    if c.optimizer == "adagrad":
        return ["lr=LR", f"eps={literal(c.eps)}", f"weight_decay={wd}", "fused=True"]
    raise ValueError(f"unknown optimizer {c.optimizer!r}")


def optimizer_section(config) -> Section:
    cls = _CLASSES[config.optimizer]
    if config.optimizer == "rmsprop":
        how = ("`foreach=True`: RMSprop has no fused kernel in torch, so the app (and this "
               "script) use its multi-tensor implementation.")
    else:
        how = ("`fused=True`: torch's fused CPU kernel, the implementation the app's training "
               "loop calls. The default implementation does the same maths but can round the "
               "last bit of a sum differently; the fused one matches the app bit for bit.")
    return Section(
        f"The optimizer: {config.optimizer_label}",
        f"The real `torch.optim.{cls}` with the setup's settings. {how}",
        call(f"optimizer = torch.optim.{cls}", ["model.parameters()", *_settings(config)]),
        ("import torch",))


_SCHEDULES = {
    "none": ("Constant", "The learning rate stays at `LR` for the whole run.", ""),
    "step": ("Step decay", "×`GAMMA` every `STEP_SIZE` epochs (torch's `StepLR`, stepped "
             "once per epoch).", '''
        def learning_rate(step):
            """η for the update at optimizer step ``step`` (0-based)."""
            epoch = step // steps_per_epoch
            return LR * (GAMMA ** (epoch // STEP_SIZE))
        '''),
    "exponential": ("Exponential", "×`GAMMA` every epoch (torch's `ExponentialLR`, stepped "
                    "once per epoch).", '''
        def learning_rate(step):
            """η for the update at optimizer step ``step`` (0-based)."""
            epoch = step // steps_per_epoch
            return LR * (GAMMA ** epoch)
        '''),
    "cosine": ("Cosine annealing", "From `LR` down to 0 along half a cosine over the whole "
               "run (torch's `CosineAnnealingLR` with `T_max` = the run's steps).", '''
        def learning_rate(step):
            """η for the update at optimizer step ``step`` (0-based)."""
            step = min(step, total_steps)
            return LR * (0.5 * (1.0 + math.cos(math.pi * step / max(1, total_steps))))
        '''),
    "onecycle": ("One-cycle", "Warm up from `LR`/25 to `LR` over the first 30% of the run, "
                 "then anneal to `LR`/250,000 (torch's `OneCycleLR` with its defaults, "
                 "`max_lr=LR`, `total_steps` = the run's steps).", '''
        PCT_START, DIV, FINAL_DIV = $PCT, $DIV, $FINAL   # OneCycleLR's defaults


        def cos_ramp(a, b, frac):
            return b + (a - b) * 0.5 * (1.0 + math.cos(math.pi * min(max(frac, 0.0), 1.0)))


        def learning_rate(step):
            """η for the update at optimizer step ``step`` (0-based)."""
            step = min(step, total_steps)
            start, end = 1.0 / DIV, 1.0 / (DIV * FINAL_DIV)
            warm_end = PCT_START * total_steps - 1
            last = total_steps - 1
            if step <= warm_end:
                return LR * cos_ramp(start, 1.0, step / warm_end if warm_end > 0 else 1.0)
            span = last - max(warm_end, 0.0)
            return LR * cos_ramp(1.0, end, (step - max(warm_end, 0.0)) / span if span > 0 else 1.0)
        '''),
}


def schedule_section(config) -> Section | None:
    """The schedule's function, or None for a constant learning rate."""
    if config.scheduler == "none":
        return None
    title, text, code = _SCHEDULES[config.scheduler]
    return Section(
        f"The learning-rate schedule: {title.lower()}",
        f"{text} Written as a function of the step rather than a `torch.optim.lr_scheduler` "
        "object, as the app does: the learning rate of every update is `LR × factor(step)`, "
        "computed exactly as the app computes it.",
        fill(code, PCT=literal(ONECYCLE_PCT_START), DIV=literal(ONECYCLE_DIV),
             FINAL=literal(ONECYCLE_FINAL_DIV)),
        ("import math",))
