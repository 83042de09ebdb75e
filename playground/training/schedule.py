"""The learning-rate schedule as a pure function of the step.

Computed here rather than with ``torch.optim.lr_scheduler`` objects so that a live LR
change (the Train page's slider) simply moves the base LR and the schedule keeps its
shape: ``lr(step) = base_lr × factor(step)``. Tested against torch's StepLR,
ExponentialLR, CosineAnnealingLR and OneCycleLR.
"""
from __future__ import annotations

import math

# One-cycle constants match torch.optim.lr_scheduler.OneCycleLR's defaults.
ONECYCLE_PCT_START = 0.3
ONECYCLE_DIV = 25.0
ONECYCLE_FINAL_DIV = 1e4


def lr_factor(config, step: int, steps_per_epoch: int, total_steps: int) -> float:
    """Multiplier on the base LR for the update made at optimizer step ``step`` (0-based)."""
    kind = config.scheduler
    if kind == "none":
        return 1.0
    epoch = step // max(1, steps_per_epoch)
    if kind == "step":
        return config.gamma ** (epoch // config.step_size)
    if kind == "exponential":
        return config.gamma ** epoch
    step = min(step, total_steps)
    if kind == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * step / max(1, total_steps)))
    if kind == "onecycle":
        # Same phase boundaries as OneCycleLR(total_steps=total_steps).
        start, end = 1.0 / ONECYCLE_DIV, 1.0 / (ONECYCLE_DIV * ONECYCLE_FINAL_DIV)
        warm_end = ONECYCLE_PCT_START * total_steps - 1
        last = total_steps - 1
        if step <= warm_end:
            return _cos_ramp(start, 1.0, step / warm_end if warm_end > 0 else 1.0)
        span = last - max(warm_end, 0.0)
        return _cos_ramp(1.0, end, (step - max(warm_end, 0.0)) / span if span > 0 else 1.0)
    raise ValueError(f"unknown scheduler {kind!r}")


def _cos_ramp(a: float, b: float, frac: float) -> float:
    return b + (a - b) * 0.5 * (1.0 + math.cos(math.pi * min(max(frac, 0.0), 1.0)))
