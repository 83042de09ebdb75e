"""RunRecord: one run's bookkeeping — what it has done and where it stands.

A record holds a run's history, its parameter trajectory, its status and message, the
latest evaluation and a copy of its weights, all under one lock. The thread that drives
the run (a :class:`~playground.runs.thread.RunThread`, or the coordinator of a
comparison group) writes it; everyone else reads immutable :class:`Snapshot` copies.

A run ends in exactly one place, :meth:`RunRecord.end`, which fires the ``on_end``
listeners (the registry's bookkeeping, the run store) once, with the final record.
Its :class:`~playground.runs.taps.Taps` also hand every point and event to the store.
"""
from __future__ import annotations

import threading
import time
import traceback
from typing import Callable

from playground.runs.errors import describe_error, divergence_hint
from playground.runs.snapshot import Snapshot, eval_fields, frozen_view
from playground.runs.status import TERMINAL, Status
from playground.runs.taps import Taps
from playground.training.health import HealthRecorder
from playground.training.history import REGRESSION_EVAL_NAMES, History
from playground.training.trainer import DIVERGENCE_FACTOR, Trainer
from playground.training.trajectory import Trajectory

# How often (wall seconds) the weights are copied for the decision boundary and other
# read-only views: often enough to look live, rarely enough to cost nothing.
WEIGHTS_EVERY_S = 0.4
RATE_WINDOW_S = 1.0
HISTORY_POINTS = 2000


class RunRecord:
    def __init__(self, run_id: str, config, owner: str = "", label: str = "",
                 group_id: str | None = None, paused: bool = False):
        self.run_id, self.config, self.owner = run_id, config, owner
        self.label = label or config.short_label()
        self.group_id = group_id
        self.parent_id: str | None = None  # the stored run whose weights it continues
        self.created = time.time()
        self.last_polled = time.monotonic()
        self.pace: float | None = None     # steps/s cap: a viewing preference, not config
        self.holding_slot = False          # the driver holds a compute slot right now
        self.pending_steps = 0             # Step/Epoch asked for this many while paused
        self.queue_position: Callable[[], int | None] = lambda: None
        self.status = Status.PAUSED if paused else Status.QUEUED
        self.message = "waiting to start"
        self.hint = ""
        self.diverged_at: int | None = None
        self.trainer: Trainer | None = None
        self.history = History()
        self.trajectory: Trajectory | None = None
        self._lock = threading.Lock()
        self._pause_note = ""              # why it was paused ("its tab was closed")
        self._busy_s = 0.0                 # time spent computing (not paused or queued)
        self._cpu_s = 0.0                  # CPU time the driver spent training this run
        self._last_loss: float | None = None
        self._val = self._test = None       # the latest EvalResult of each split
        self._rate = 0.0
        self._rate_mark = (0.0, 0)
        self._divergence_floor = 0.0
        self._weights: dict | None = None
        self._weights_step = 0
        self._weights_time = 0.0
        self._health: HealthRecorder | None = None   # its .latest: an immutable Health
        self.taps = Taps()                 # the store's sink and the on_end listeners
        # Measured by a lane (runs/lanes): kept behind its pace, CPU s/step, cores lately.
        self.slowed, self.cost_s, self.cpu_share = False, None, None

    # ------------------------------------------------------------ listeners
    def on_end(self, listener: Callable[["RunRecord"], None]) -> None:
        """Call ``listener(record)`` once, when the run ends (any terminal status)."""
        self.taps.end_listeners.append(listener)

    ended = property(lambda self: self.status in TERMINAL, doc="In a terminal status.")

    # ------------------------------------------------------------ the driver's side
    def attach(self, trainer: Trainer) -> None:
        """The run's trainer is built: record where it starts (step 0)."""
        trajectory = Trajectory(trainer.n_params, trainer.total_steps)
        trajectory.record(0, trainer.flat_params())
        recorder = HealthRecorder.for_trainer(trainer)
        # The step-0 weights are copied before the trainer is published: a snapshot that
        # sees the run's length must also see where it starts (Continue checks them).
        weights = trainer.weights()
        with self._lock:
            self._health = recorder
            if trainer.task.is_regression:     # RMSE and R² where accuracy would be
                self.history = History(eval_names=REGRESSION_EVAL_NAMES)
            self.trainer = trainer
            self.trajectory = trajectory
            self._divergence_floor = DIVERGENCE_FACTOR * trainer.chance_loss
            self._weights, self._weights_step = weights, trainer.step_count
            self._weights_time = 0.0
            if self.status == Status.QUEUED:
                self.message = "waiting for a compute slot"
        self.record_eval(0.0)

    def after_step(self, r, busy: float, now: float) -> bool:
        """Record one finished step (history, divergence, eval, rate, weights, the end);
        False when training must stop here: diverged, finished, or the asked steps done."""
        trainer = self.trainer
        point = trainer.flat_params() if self.trajectory.due(r.step) else None
        with self._lock:
            self.history.train.append(
                (r.step, r.step / trainer.steps_per_epoch, r.examples, busy), (r.loss, r.lr))
            self._last_loss = r.loss
            self._busy_s = busy
            if point is not None:
                self.trajectory.record(r.step, point)
        self.taps.step(r.step, r.loss, r.lr)
        # Cheap guard first: every divergence rule needs a loss above 100× chance
        # (or a NaN), so the usual step skips the full check.
        reason = None if r.loss <= self._divergence_floor else trainer.divergence(r.loss)
        if reason is not None:
            self.diverge(r.step, reason)
            return False
        if r.step % self.config.eval_every == 0 or trainer.finished:
            self.record_eval(busy)
        self._health.after_step(r.step)       # replaces .latest (read by snapshots) whole
        if now - self._rate_mark[0] >= RATE_WINDOW_S:
            self.mark_rate(now)
        if now - self._weights_time >= WEIGHTS_EVERY_S:
            self.copy_weights(now)
        if trainer.finished:
            self.finish()
            return False
        if self.pending_steps:
            self.pending_steps -= 1
            if self.pending_steps == 0:
                self.copy_weights(now)
                return False
        return True

    def add_cpu(self, seconds: float) -> None:
        self._cpu_s += seconds

    busy_s = property(lambda self: self._busy_s, doc="Seconds spent computing so far "
                      "(not paused, not queued).")

    def record_eval(self, busy: float) -> None:
        trainer = self.trainer
        ev = trainer.evaluate("val")
        with self._lock:
            self._val = ev
            self.history.evals.append(
                (trainer.step_count, trainer.epoch, trainer.examples_seen, busy), ev.values())
        self.taps.evaluation(trainer.step_count, *ev.values())

    def copy_weights(self, now: float) -> None:
        weights = self.trainer.weights()
        with self._lock:
            self._weights = weights
            self._weights_step = self.trainer.step_count
            self._weights_time = now

    def mark_rate(self, now: float) -> None:
        step = self.trainer.step_count
        t_prev, s_prev = self._rate_mark
        if t_prev and now > t_prev and step > s_prev:
            self._rate = (step - s_prev) / (now - t_prev)
        self._rate_mark = (now, step)

    # ------------------------------------------------------------ status
    def set_queued(self, message: str = "queued: waiting for a free compute slot") -> None:
        with self._lock:
            if self.status in (Status.RUNNING, Status.QUEUED):
                self.status, self.message = Status.QUEUED, message

    def set_running(self, message: str = "training") -> None:
        with self._lock:
            if self.status in (Status.RUNNING, Status.QUEUED):
                self.status, self.message = Status.RUNNING, message

    def pause(self, note: str = "") -> None:
        with self._lock:
            self.pending_steps = 0
            if self.status != Status.PAUSED and not self.ended:
                self.status = Status.PAUSED
                self._pause_note = note
        if self.trainer is not None:
            self.copy_weights(time.perf_counter())   # views show where it stopped

    def resume(self) -> None:
        with self._lock:
            self.pending_steps = 0
            if self.status == Status.PAUSED:
                self.status = Status.RUNNING if self.holding_slot else Status.QUEUED
                self.message = "training"
                self._pause_note = ""

    def request_steps(self, n: int) -> None:
        """Step/Epoch on a paused run: train ``n`` more steps, then pause again."""
        with self._lock:
            if self.status == Status.PAUSED and self.trainer is not None:
                remaining = self.trainer.total_steps - self.trainer.step_count
                self.pending_steps = max(0, min(n, remaining))

    def set_lr(self, lr: float) -> None:
        if self.trainer is not None:
            with self._lock:
                self.trainer.set_lr(lr)

    # ------------------------------------------------------------ endings
    def finish(self) -> None:
        trainer = self.trainer
        if trainer.step_count % self.config.eval_every:
            self.record_eval(self._busy_s)
        test = trainer.evaluate("test")
        with self._lock:
            self._test = test if test.n else None
        acc = f", {self._val.summary()}" if self._val else ""
        self.end(Status.FINISHED, f"finished {trainer.step_count:,} steps{acc}")

    def diverge(self, step: int, reason: str) -> None:
        self.end(Status.DIVERGED, f"diverged at step {step:,}: {reason}",
                 hint=divergence_hint(self.config, self.trainer.base_lr), diverged_at=step)

    def stop(self) -> None:
        step = self.trainer.step_count if self.trainer is not None else 0
        self.end(Status.STOPPED, f"stopped at step {step:,}")

    def fail(self, exc: BaseException) -> None:
        self.end(Status.FAILED, f"failed: {describe_error(exc)}",
                 hint="".join(traceback.format_exception_only(type(exc), exc)).strip())

    def end(self, status: Status, message: str, hint: str = "",
            diverged_at: int | None = None) -> None:
        """The one place a run ends: status, message, final weights, then ``on_end``."""
        if status not in TERMINAL:
            raise ValueError(f"{status} is not an ending")
        with self._lock:
            if self.ended:
                return
            self.status, self.message, self.hint = status, message, hint
            self.diverged_at = diverged_at
            self.pending_steps = 0
        if self.trainer is not None:
            self.copy_weights(time.perf_counter())
        self.taps.ended(self)

    # ------------------------------------------------------------ reading
    def snapshot(self, poll: bool = True, max_points: int = HISTORY_POINTS,
                 with_weights: bool = True) -> Snapshot:
        if poll:
            self.last_polled = time.monotonic()
        with self._lock:
            t = self.trainer
            step = t.step_count if t else 0
            total = t.total_steps if t else 0
            rate = self._rate if self.status == Status.RUNNING else 0.0
            eta = (total - step) / rate if rate > 0 and total > step else None
            return Snapshot(
                run_id=self.run_id, config=self.config, owner=self.owner, label=self.label,
                group_id=self.group_id, status=self.status, step=step, total_steps=total,
                epoch=t.epoch if t else 0.0, examples=t.examples_seen if t else 0,
                lr=t.lr if t else self.config.lr, last_loss=self._last_loss,
                **eval_fields(self._val, self._test, t.task if t else None),
                steps_per_sec=rate, eta_s=eta, elapsed_s=self._busy_s,
                message=self._message(step), hint=self.hint, diverged_at=self.diverged_at,
                queue_position=self.queue_position() if self.status == Status.QUEUED else None,
                created=self.created, n_params=t.n_params if t else 0,
                memory_bytes=self._memory_bytes(), history=frozen_view(
                    self.history.view(max_points)),
                weights=self._weights if with_weights else None,
                weights_step=self._weights_step,
                steps_per_epoch=t.steps_per_epoch if t else 1,
                batch_size=t.batch_size if t else self.config.batch_size,
                cpu_s=self._cpu_s, pace=self.pace, slowed=self.slowed,
                cpu_share=self.cpu_share, step_cost_s=self.cost_s,
                health=self._health.latest if self._health is not None else None)

    def _message(self, step: int) -> str:
        """The status sentence, written when read: a paused run that took a few Steps
        says where it is now, not where it was paused."""
        if self.status != Status.PAUSED:
            return self.message
        where = f"paused at step {step:,}" if step else "paused before the first step"
        return where + (f": {self._pause_note}" if self._pause_note else "")

    def history_view(self, max_points: int = HISTORY_POINTS) -> dict:
        """A consistent copy of the history at any resolution (exports use the full one)."""
        with self._lock:
            return self.history.view(max_points)

    def capture(self) -> tuple[list[int], list, dict | None, int]:
        """(trajectory steps, copies of its points, latest weights copy, its step), taken
        together under the lock, so a step in flight cannot tear them apart."""
        with self._lock:
            if self.trajectory is None:
                return [], [], None, 0
            steps, points = self.trajectory.as_tensor()
            return steps, points, self._weights, self._weights_step

    def _memory_bytes(self) -> int:
        # history + trajectory + parameters, gradients and two optimizer moments (float32)
        n = self.trainer.n_params if self.trainer is not None else 0
        return self.history.nbytes() + (len(self.trajectory or ()) * 4 + 16) * n
