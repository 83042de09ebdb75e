"""What a lane tells the app process about a run: the changes since it last told.

The lane's :class:`WorkerRecord` is an ordinary RunRecord (so a lane trains exactly as
a thread would) that also keeps, until the next :func:`take`, every training row,
evaluation, event and trajectory point it recorded. :func:`take` turns that into one
plain dict (numbers, numpy arrays, the immutable Health): pickled through a pipe ten
times a second, 20 runs of the classroom MLP cost about 50 KB/s.
"""
from __future__ import annotations

import numpy as np

from playground.runs.record import RunRecord
from playground.training.trajectory import Trajectory


class _Events:
    """A tap that keeps the run's events (pauses, LR changes) for the next delta."""

    def __init__(self) -> None:
        self.kept: list[tuple] = []

    def step(self, step, loss, lr) -> None:      # rows are kept by the record itself
        pass

    def evaluation(self, step, *values) -> None:
        pass

    def event(self, step, kind, detail) -> None:
        self.kept.append((step, kind, str(detail)))


class _LoggedTrajectory(Trajectory):
    """A trajectory that also keeps each (step, point) for the next delta: the mirror
    records the same points in the same order, so it compacts the same way."""

    def record(self, step: int, flat) -> None:
        super().record(step, flat)
        self.sent.append((step, flat.numpy()))

    @classmethod
    def wrap(cls, old: Trajectory) -> "_LoggedTrajectory":
        new = cls.__new__(cls)
        new.__dict__.update(old.__dict__)
        new.sent = [(s, p.numpy()) for s, p in zip(old.steps, old.points)]
        return new


class WorkerRecord(RunRecord):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows: list[tuple] = []       # (step, epoch, examples, busy s, loss, lr)
        self.evals: list[tuple] = []      # (step, epoch, examples, busy s, *values):
        #                                   val loss and accuracy, or loss, RMSE and R²
        self.events = _Events()
        self.taps.add(self.events)
        self.acked = 0                    # the last command sequence number applied
        self._sent_weights = None
        self._sent_health = None
        self._sent_attached = False

    def attach(self, trainer) -> None:
        super().attach(trainer)
        self.trajectory = _LoggedTrajectory.wrap(self.trajectory)

    def after_step(self, r, busy: float, now: float) -> bool:
        self.rows.append((r.step, r.step / self.trainer.steps_per_epoch, r.examples, busy,
                          r.loss, r.lr))
        return super().after_step(r, busy, now)

    def record_eval(self, busy: float) -> None:
        super().record_eval(busy)
        t = self.trainer
        self.evals.append((t.step_count, t.epoch, t.examples_seen, busy, *self._val.values()))


def take(record: WorkerRecord) -> dict:
    """Everything that changed since the last call (and forget it here)."""
    t = record.trainer
    d = {"run_id": record.run_id, "status": record.status.value, "message": record.message,
         "pause_note": record._pause_note, "hint": record.hint,
         "diverged_at": record.diverged_at, "pending_steps": record.pending_steps,
         "pace": record.pace, "last_loss": record._last_loss, "busy_s": record._busy_s,
         "cpu_s": record._cpu_s, "val": record._val, "test": record._test,
         "rate": record._rate, "acked": record.acked, "slowed": record.slowed,
         "cost_s": record.cost_s, "cpu_share": record.cpu_share}
    if t is not None:
        d["trainer"] = {"step_count": t.step_count, "epoch": t.epoch,
                        "examples_seen": t.examples_seen, "lr": t.lr, "base_lr": t.base_lr,
                        "total_steps": t.total_steps, "steps_per_epoch": t.steps_per_epoch,
                        "batch_size": t.batch_size, "n_params": t.n_params,
                        "chance_loss": t.chance_loss}
        if not record._sent_attached:
            d["attached"] = {"trajectory_capacity": record.trajectory.capacity,
                             "eval_names": record.history.evals.y_names}
            record._sent_attached = True
    if record.rows:
        d["rows"] = np.asarray(record.rows, dtype=np.float64)
        record.rows = []
    if record.evals:
        d["evals"] = np.asarray(record.evals, dtype=np.float64)
        record.evals = []
    if record.events.kept:
        d["events"], record.events.kept = record.events.kept, []
    trajectory = record.trajectory
    if trajectory is not None and trajectory.sent:
        d["trajectory"], trajectory.sent = trajectory.sent, []
    if record._weights is not None and record._weights is not record._sent_weights:
        d["weights"] = ({k: v.numpy() for k, v in record._weights.items()},
                        record._weights_step, record._weights_time)
        record._sent_weights = record._weights
    health = record._health.latest if record._health is not None else None
    if health is not None and health is not record._sent_health:
        d["health"] = health
        record._sent_health = health
    return d
