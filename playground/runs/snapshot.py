"""What a run and a comparison look like from outside: immutable snapshots.

Pages only ever see these: a :class:`Snapshot` is a frozen copy taken under the run's
lock (history arrays are read-only copies), so a redraw never sees half-written state
and can keep it as long as it likes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playground.runs.status import ACTIVE, Status


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
    group_id: str | None = None     # the comparison it belongs to, if any
    health: Any = None              # training.health.Health at the last record (immutable)
    slowed: bool = False            # paced, but the server cannot keep up (runs/lanes)
    cpu_share: float | None = None  # cores it used lately (measured on a lane)
    step_cost_s: float | None = None  # CPU s per step (measured on a lane)
    # regression runs: the target's name (None = a classification run), RMSE in its units
    target: str | None = None
    val_rmse: float | None = None
    val_r2: float | None = None
    test_rmse: float | None = None
    test_r2: float | None = None

    @property
    def is_regression(self) -> bool:
        return self.target is not None

    @property
    def progress(self) -> float:
        return min(1.0, self.step / self.total_steps) if self.total_steps else 0.0

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def eval_fields(val, test, task) -> dict:
    """A snapshot's evaluation fields from the latest validation and test EvalResults
    (None when not measured yet); regression runs fill RMSE and R² instead of accuracy."""
    regression = task is not None and task.is_regression
    out = {"val_loss": val.loss if val else None, "test_loss": test.loss if test else None,
           "val_acc": val.accuracy if val and not regression else None,
           "test_acc": test.accuracy if test and not regression else None}
    if regression:
        out.update(target=task.class_names[0], val_rmse=val.rmse if val else None,
                   val_r2=val.r2 if val else None, test_rmse=test.rmse if test else None,
                   test_r2=test.r2 if test else None)
    return out


def frozen_view(view: dict) -> dict:
    """Mark every history array read-only, so a snapshot cannot be edited by accident."""
    for series in view.values():
        for arr in series.values():
            arr.setflags(write=False)
    return view


@dataclass(frozen=True)
class GroupSnapshot:
    """A comparison group as its page sees it: members' snapshots plus how it runs."""

    group_id: str
    owner: str
    created: float
    run_ids: tuple[str, ...]
    labels: tuple[str, ...]
    members: tuple[Snapshot, ...]
    clock: str                      # "steps" or "examples": what lockstep lines up
    pace: float | None              # lockstep ticks/s cap (None = as fast as possible)
    lanes_in_use: int               # cores the last tick used
    batched: bool                   # whether the last tick used batched passes
    fairness: Any = None            # compare.fairness.Fairness once every member is built

    @property
    def active(self) -> bool:
        return any(s.active for s in self.members)
