"""What a person (or the reaper) can tell a run, and what each command does to it.

Commands are checked when sent (:func:`checked`, a clear ``ValueError`` for a bad
argument), queued in the run's :class:`Inbox`, and applied by whoever drives the run —
its own thread or its comparison group — with :func:`apply`, between two steps. So a
command never lands in the middle of a step, and every kind of run answers the same
commands with the same arguments.
"""
from __future__ import annotations

import math
import queue

from playground.config import MAX_STEPS
from playground.runs.record import RunRecord

COMMANDS = ("pause", "resume", "step", "stop", "set_lr", "set_pace")
MAX_LR = 1e4
MAX_PACE = 1e6       # steps/s: far above what any run reaches


def checked(name: str, arg=None):
    """``arg`` as the command needs it, or a ``ValueError`` that says what is wrong."""
    if name not in COMMANDS:
        raise ValueError(f"unknown command {name!r}; runs answer {', '.join(COMMANDS)}")
    if name == "pause":
        return str(arg or "")[:200]
    if name == "step":
        if isinstance(arg, bool) or not isinstance(arg, int) or not 1 <= arg <= MAX_STEPS:
            raise ValueError(f"step takes a whole number of steps from 1 to {MAX_STEPS:,}, "
                             f"got {arg!r}")
        return arg
    if name == "set_lr":
        if isinstance(arg, bool) or not isinstance(arg, (int, float)) or \
                not (math.isfinite(arg) and 0 < arg <= MAX_LR):
            raise ValueError(f"learning rate must be a positive finite number up to "
                             f"{MAX_LR:g}, got {arg!r}")
        return float(arg)
    if name == "set_pace":
        if arg is None:
            return None
        if isinstance(arg, bool) or not isinstance(arg, (int, float)) or \
                not (math.isfinite(arg) and 0 < arg <= MAX_PACE):
            raise ValueError(f"pace must be a positive number of steps/s or None (full "
                             f"speed), got {arg!r}")
        return float(arg)
    return None


class Inbox:
    """A run's commands in the order they were sent (any thread puts, the driver takes)."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()

    def put(self, name: str, arg=None) -> None:
        self._queue.put((name, arg))

    def get(self, timeout: float | None = None) -> tuple | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def empty(self) -> bool:
        return self._queue.empty()

    def drain(self) -> list[tuple]:
        out = []
        while True:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                return out


def apply(record: RunRecord, command: tuple) -> None:
    """What a command does to a run (called by its driver, between steps)."""
    name, arg = command
    if record.ended:
        return
    _tell_taps(record, name, arg)
    if name == "pause":
        record.pause(arg)
    elif name == "resume":
        record.resume()
    elif name == "step":
        record.request_steps(arg)
    elif name == "stop":
        record.stop()
    elif name == "set_lr":
        record.set_lr(arg)
    elif name == "set_pace":
        record.pace = arg


def _tell_taps(record: RunRecord, name: str, arg) -> None:
    """The run's history keeps what was done to it (LR changes, pauses): the store's
    events. Pace is a viewing preference, not part of the experiment."""
    if name == "set_pace":
        return
    step = record.trainer.step_count if record.trainer is not None else 0
    if name == "set_lr":
        before = record.trainer.base_lr if record.trainer is not None else record.config.lr
        detail = f"{before:g} → {arg:g}"
    elif name == "step":
        detail = f"{arg:,} step{'s' if arg != 1 else ''}"
    else:
        detail = str(arg or "")
    record.taps.event(step, "lr" if name == "set_lr" else name, detail)
