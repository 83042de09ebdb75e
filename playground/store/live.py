"""A live run as the writer sees it: the training thread's sink, and what is pending.

The training thread only appends to the :class:`RunSink`'s deques (``deque.append``
is atomic and never blocks). The writer thread drains them into rows with
:meth:`LiveRun.drain`, applying the point cap (:mod:`.series`), and remembers what it
needs for the run's row: last step, best and final metrics, point count.
"""
from __future__ import annotations

import json
import math
import time
from collections import deque

from playground.store.rows import clean_label, config_columns, finite_or_none
from playground.store.series import Bucketer, stride_for


class RunSink:
    """The training thread's side: three queues the writer empties."""

    __slots__ = ("train", "evals", "events")

    def __init__(self) -> None:
        self.train: deque = deque()
        self.evals: deque = deque()
        self.events: deque = deque()

    def step(self, step: int, loss: float, lr: float) -> None:
        self.train.append((step, loss, lr))

    def evaluation(self, step: int, *values: float) -> None:
        self.evals.append((step, *values))

    def event(self, step: int, kind: str, detail: str) -> None:
        self.events.append((step, time.time(), kind, detail))

    def pending(self) -> int:
        return len(self.train) + len(self.evals)


def _take(queue: deque) -> list:
    """Everything in ``queue`` now (the training thread may go on appending)."""
    return [queue.popleft() for _ in range(len(queue))]


class LiveRun:
    def __init__(self, record, sink: RunSink):
        self.record, self.sink = record, sink
        self.id = record.run_id
        self.loss: Bucketer | None = None
        self.evals: dict[str, Bucketer] = {}    # one per evaluation series
        self.last_lr: float | None = None
        self.last_lr_step = -math.inf
        self.pending_lr: tuple[int, float] | None = None
        self.step = 0
        self.n_points = 0
        self.final_loss: float | None = None
        # "final_val_loss", "best_val_acc", … (a regression run: val_rmse, val_r2)
        self.metrics: dict[str, float | None] = {}
        self.last_eval_step = -1

    def insert_row(self, writer_id: str) -> dict:
        r = self.record
        config = r.config.to_dict()
        return {"id": r.run_id, "owner": r.owner or "", "group_id": r.group_id,
                "kind": "compare" if r.group_id else "train", "parent_id": r.parent_id,
                "writer_id": writer_id, "label": clean_label(r.label), "tags": "",
                "notes": "", "hidden": False, "status": r.status.value, "message": "",
                "created": r.created, "ended": None, "step": 0, "total_steps": 0,
                "steps_per_epoch": 1, "stride": 1, "n_points": 0,
                "config": json.dumps(config, sort_keys=True), **config_columns(config),
                "final_loss": None, "test_acc": None, **dict.fromkeys(EVAL_COLUMNS)}

    # ------------------------------------------------------------ points
    def _ready(self) -> bool:
        """Strides are fixed once the trainer exists (its length is known then)."""
        if self.loss is not None:
            return True
        trainer = self.record.trainer
        if trainer is None:
            return False
        total = trainer.total_steps
        self.loss = Bucketer(stride_for(total))
        evals = total // max(1, self.record.config.eval_every) + 2
        self.evals = {name: Bucketer(stride_for(evals))
                      for name in self.record.history.evals.y_names}
        return True

    def drain(self, points: list, events: list, final: bool = False) -> bool:
        """Move what the sink holds into ``points``/``events`` rows; True if any."""
        train, evals, evs = _take(self.sink.train), _take(self.sink.evals), _take(self.sink.events)
        for step, at, kind, detail in evs:
            events.append({"run_id": self.id, "step": step, "time": at, "kind": kind,
                           "detail": str(detail)[:500]})
        if not (train or evals or final) or not self._ready():
            return bool(evs)
        before = len(points)
        loss_out: list = []
        for step, loss, lr in train:
            self.loss.add(step, loss, loss_out)
            if lr != self.last_lr and step - self.last_lr_step >= self.loss.stride:
                points.append(self._point("lr", step, lr))
                self.last_lr, self.last_lr_step, self.pending_lr = lr, step, None
            elif lr != self.last_lr:
                self.pending_lr = (step, lr)
            self.step = max(self.step, step)
        if final:
            self.loss.flush(loss_out)
            if self.pending_lr is not None:
                points.append(self._point("lr", *self.pending_lr))
                self.pending_lr = None
        strided = self.loss.stride > 1
        for step, mean, lo, hi in loss_out:
            points.append(self._point("loss", step, mean))
            if strided:
                points.append(self._point("loss_min", step, lo))
                points.append(self._point("loss_max", step, hi))
        if loss_out:
            self.final_loss = finite_or_none(loss_out[-1][1])
        self._evaluations(evals, points, final)
        self.n_points += len(points) - before
        return True

    def _evaluations(self, evals: list, points: list, final: bool) -> None:
        outs: dict[str, list] = {name: [] for name in self.evals}
        for step, *values in evals:
            if step <= self.last_eval_step:
                continue           # finish() evaluates again at a step already evaluated
            self.last_eval_step = step
            self.step = max(self.step, step)
            for (name, bucket), value in zip(self.evals.items(), values):
                bucket.add(step, value, outs[name])
                self._final_and_best(name, value)
        for name, out in outs.items():
            if final:
                self.evals[name].flush(out)
            points.extend(self._point(name, step, mean) for step, mean, _, _ in out)

    def _final_and_best(self, name: str, value: float) -> None:
        """Keep the run row's final and best value of evaluation series ``name``."""
        best = self.metrics.get("best_" + name)
        lower_better = name in ("val_loss", "val_rmse")
        if math.isfinite(value) and (best is None or (value < best if lower_better
                                                      else value > best)):
            self.metrics["best_" + name] = value
        self.metrics["final_" + name] = finite_or_none(value)

    def _point(self, series: str, step: int, value: float) -> tuple:
        """(run_id, series, step, value): NaN is stored as NULL, ±inf as itself."""
        return (self.id, series, int(step), None if value is None or math.isnan(value)
                else value)

    # ------------------------------------------------------------ the run's row
    def progress_row(self) -> dict:
        """The run's row as it stands (every key of :data:`UPDATE_KEYS`)."""
        r = self.record
        trainer = r.trainer
        return {"b_id": self.id, "b_owner": r.owner or "", "b_status": r.status.value,
                "b_message": "", "b_ended": None, "b_step": self.step,
                "b_total_steps": trainer.total_steps if trainer else 0,
                "b_steps_per_epoch": trainer.steps_per_epoch if trainer else 1,
                "b_stride": self.loss.stride if self.loss else 1, "b_n_points": self.n_points,
                "b_final_loss": self.final_loss, "b_test_acc": None,
                **{"b_" + k: self.metrics.get(k) for k in EVAL_COLUMNS}}


EVAL_COLUMNS = ("final_val_loss", "final_val_acc", "best_val_loss", "best_val_acc",
                "final_val_rmse", "best_val_rmse", "final_val_r2", "best_val_r2")
UPDATE_KEYS = ("owner", "status", "message", "ended", "step", "total_steps",
               "steps_per_epoch", "stride", "n_points", "final_loss", "test_acc") + EVAL_COLUMNS
