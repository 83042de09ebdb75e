"""The app process's copy of a run that trains on a lane.

A :class:`MirrorRecord` is a RunRecord (so snapshots, history views, captures, the
reaper and the run store read it as they read any run) whose state arrives as deltas
from the lane instead of from a trainer next to it. :class:`TrainerFacts` stands where
the trainer would: the numbers snapshots read, and the task and an untrained model of
the same architecture built here on demand (for the data views and the parameter
names a loss surface needs) — never a tensor the lane can still move.
"""
from __future__ import annotations

import threading
import time

import torch

from playground.runs.record import RunRecord
from playground.runs.status import Status
from playground.training.history import History
from playground.training.trajectory import Trajectory


class TrainerFacts:
    """What the app knows of a lane's trainer: plain numbers, refreshed by each delta."""

    def __init__(self, config):
        self.config = config
        self.step_count = self.examples_seen = self.total_steps = self.n_params = 0
        self.epoch, self.lr, self.base_lr, self.chance_loss = 0.0, config.lr, config.lr, 0.0
        self.steps_per_epoch = self.batch_size = 1
        self._task = self._model = None
        self._lock = threading.Lock()

    @property
    def finished(self) -> bool:
        return self.step_count >= self.total_steps

    @property
    def task(self):
        """The run's data, built here from its config (cached and shared by config)."""
        from playground import data

        with self._lock:
            if self._task is None:
                self._task = data.load(self.config)
            return self._task

    @property
    def model(self):
        """A model of the run's architecture (its initial weights, not the live ones):
        for parameter names and shapes only."""
        from playground.models import build_model

        task = self.task          # (takes the lock itself: not while holding it)
        with self._lock:
            if self._model is None:
                self._model = build_model(self.config, task)
            return self._model


class MirrorRecord(RunRecord):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lane = None                  # the LanePool lane it trains on
        self.acked = 0                    # the last command the lane has applied
        self.changed = threading.Condition(self._lock)   # a delta arrived

    def apply(self, d: dict) -> None:
        """Take in one delta from the lane; then tell the taps (the store) what is new."""
        ended_now = False
        with self._lock:
            attached = d.get("attached")
            if attached and self.trainer is None:
                self.trainer = TrainerFacts(self.config)
                if attached["eval_names"] != self.history.evals.y_names:   # a regression
                    self.history = History(eval_names=attached["eval_names"])
            facts = d.get("trainer")
            if facts and self.trainer is not None:
                self.trainer.__dict__.update(facts)
                if self.trajectory is None:
                    self.trajectory = Trajectory(facts["n_params"], facts["total_steps"],
                                                 capacity=attached["trajectory_capacity"]
                                                 if attached else 200)
            for step, point in d.get("trajectory", ()):
                self.trajectory.record(step, torch.from_numpy(point))
            for step, epoch, examples, busy, loss, lr in d.get("rows", ()):
                self.history.train.append((int(step), epoch, int(examples), busy), (loss, lr))
            for row in d.get("evals", ()):
                step, epoch, examples, busy = row[:4]
                self.history.evals.append((int(step), epoch, int(examples), busy),
                                          tuple(row[4:]))
            if "weights" in d:
                weights, self._weights_step, self._weights_time = d["weights"]
                self._weights = {k: torch.from_numpy(v) for k, v in weights.items()}
            if "health" in d:
                self._health = _Latest(d["health"])
            status = Status(d["status"])
            ended_now = status != self.status and status in (
                Status.FINISHED, Status.STOPPED, Status.DIVERGED, Status.FAILED)
            self.status, self.message, self.hint = status, d["message"], d["hint"]
            self._pause_note, self.diverged_at = d["pause_note"], d["diverged_at"]
            self.pending_steps, self.pace = d["pending_steps"], d["pace"]
            self._last_loss, self._busy_s, self._cpu_s = d["last_loss"], d["busy_s"], d["cpu_s"]
            self._val, self._test, self._rate = d["val"], d["test"], d["rate"]
            self.acked, self.slowed = d["acked"], d["slowed"]
            self.cost_s, self.cpu_share = d["cost_s"], d["cpu_share"]
            self.changed.notify_all()
        for row in d.get("rows", ()):
            self.taps.step(int(row[0]), float(row[4]), float(row[5]))
        for row in d.get("evals", ()):
            self.taps.evaluation(int(row[0]), *(float(v) for v in row[4:]))
        for step, kind, detail in d.get("events", ()):
            self.taps.event(step, kind, detail)
        if ended_now:
            self.taps.ended(self)

    def lost(self, why: str) -> None:
        """The lane went away under the run: it fails, its history so far is kept."""
        with self._lock:
            if self.ended:
                return
            self.status, self.message = Status.FAILED, f"failed: {why}"
            self.hint = why
            self.changed.notify_all()
        self.taps.ended(self)

    def stop_waiting(self) -> None:
        """Stopped before it reached a lane (it was queued): it ends here."""
        with self._lock:
            if self.ended:
                return
            self.status, self.message = Status.STOPPED, "stopped before it started"
            self.changed.notify_all()
        self.taps.ended(self)

    def wait_acked(self, seq: int, timeout: float) -> bool:
        """Wait until the lane has applied command ``seq`` (or the run has ended)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.acked < seq and not self.ended:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
            return True

    def end(self, *args, **kwargs) -> None:   # endings happen on the lane
        raise RuntimeError("a lane's run ends on its lane")


class _Latest:
    """Holds the lane's latest Health where a record keeps its HealthRecorder."""

    def __init__(self, latest) -> None:
        self.latest = latest
