"""What a run looks like from outside: its status and immutable snapshots.

Pages only ever see these: a :class:`Snapshot` is a frozen copy taken under the run's
lock (history arrays are read-only views), so a redraw never sees half-written state.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Status(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"
    DIVERGED = "diverged"
    FAILED = "failed"


ACTIVE = frozenset({Status.QUEUED, Status.RUNNING, Status.PAUSED})
TERMINAL = frozenset({Status.FINISHED, Status.STOPPED, Status.DIVERGED, Status.FAILED})


@dataclass(frozen=True)
class Snapshot:
    """An immutable picture of a run, cheap to take and safe to keep."""

    run_id: str
    config: Any
    owner: str
    status: Status
    step: int
    total_steps: int
    epoch: float
    examples: int
    lr: float
    last_loss: float | None
    val_loss: float | None
    val_acc: float | None
    test_loss: float | None
    test_acc: float | None
    steps_per_sec: float
    eta_s: float | None
    elapsed_s: float
    message: str
    hint: str
    diverged_at: int | None
    queue_position: int | None
    created: float
    n_params: int
    memory_bytes: int
    history: dict = field(repr=False)
    weights: dict | None = field(default=None, repr=False)
    weights_step: int = 0
    steps_per_epoch: int = 1
    batch_size: int = 1
    cpu_s: float = 0.0
    pace: float | None = None       # steps/s cap the run trains at (None = full speed)
    label: str = ""                 # what legends call it ("Adam lr=0.01 batch=32", "Zeros")

    @property
    def progress(self) -> float:
        return min(1.0, self.step / self.total_steps) if self.total_steps else 0.0

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def frozen_view(view: dict) -> dict:
    """Mark every history array read-only, so a snapshot cannot be edited by accident."""
    for series in view.values():
        for arr in series.values():
            arr.setflags(write=False)
    return view
