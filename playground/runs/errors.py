"""A failure in words a user can act on: what went wrong, and what to try."""
from __future__ import annotations


def describe_error(exc: BaseException) -> str:
    """A failure in words a user can act on: the message of the errors our code raises
    on purpose (bad settings, bad data), the exception's name only for the unexpected."""
    from playground.config import InvalidConfig

    if isinstance(exc, InvalidConfig):
        return "the setup is not valid: " + "; ".join(str(e) for e in exc.errors)
    if isinstance(exc, (ValueError, RuntimeError, LookupError)) and str(exc):
        return str(exc)
    return f"an unexpected error ({type(exc).__name__}: {exc})"


def divergence_hint(config, base_lr: float) -> str:
    """What to change when a run's loss blew up, for this run's setup."""
    tips = [f"lower the learning rate (now {base_lr:g}; try {base_lr / 10:g})"]
    if config.clip == 0:
        tips.append("turn on gradient clipping (e.g. max norm 1)")
    if config.init == "normal" and config.init_std > 1:
        tips.append(f"use a smaller init σ than {config.init_std:g} or Xavier init")
    return "The steps were too large for this loss surface: " + "; or ".join(tips) + "."
