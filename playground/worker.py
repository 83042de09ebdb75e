"""RunWorker: one training thread per run, driven by commands, read through snapshots.

The thread never touches Streamlit. Pages send commands (pause, resume, step, stop,
set_lr) through a queue and read :class:`Snapshot` objects: immutable, downsampled
copies taken under a lock, so a redraw never sees half-written state and never slows
training for long. Any exception becomes status *failed* with its message; a
non-finite or exploding loss becomes *diverged at step N* with a hint; the history
is kept in both cases.
"""
from __future__ import annotations

import math
import queue
import threading
import time
import traceback

from playground.engine import DIVERGENCE_FACTOR, Trainer
from playground.history import History
from playground.jobs import describe_error
from playground.slots import ComputeSlots
# Status and Snapshot live in playground.snapshot; importable from here too.
from playground.snapshot import ACTIVE, TERMINAL, Snapshot, Status, frozen_view  # noqa: F401


# How often (wall seconds) the worker copies weights for the decision boundary and
# other read-only views: often enough to look live, rarely enough to cost nothing.
WEIGHTS_EVERY_S = 0.4
RATE_WINDOW_S = 1.0
HISTORY_POINTS = 2000


class RunWorker(threading.Thread):
    def __init__(self, run_id: str, config, slots: ComputeSlots, owner: str = "",
                 task=None, start_paused: bool = False, pace: float | None = None):
        super().__init__(name=f"run-{run_id}", daemon=True)
        # Optional cap in steps/s so a small model can be *watched* learning; it is a
        # viewing preference, not part of the config (results do not depend on it).
        self.pace = pace
        self.run_id, self.config, self.owner = run_id, config, owner
        self.label = config.short_label()     # a comparison names its members itself
        self._slots = slots
        self._task = task
        self._commands: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self.history = History()
        self.trainer: Trainer | None = None
        self.status = Status.PAUSED if start_paused else Status.QUEUED
        self.message = "waiting to start"
        self._pause_note = ""           # why it was paused ("its tab was closed"), if said
        self.hint = ""
        self.diverged_at: int | None = None
        self.created = time.time()
        self.last_polled = time.monotonic()
        self._t0: float | None = None
        self._busy_s = 0.0              # time spent computing (excludes pauses/queue)
        self._pending_steps = 0
        self._holding_slot = False
        self._last_loss: float | None = None
        self._val: tuple[float, float] | None = None
        self._test: tuple[float, float] | None = None
        self._rate = 0.0
        self._cpu_s = 0.0               # CPU time this run's thread spent training
        self._divergence_floor = 0.0    # set once the trainer exists
        self._rate_mark = (0.0, 0)
        self._weights: dict | None = None
        self._weights_step = 0
        self._weights_time = 0.0

    # ------------------------------------------------------------- commands
    def pause(self, reason: str = "") -> None:
        self._commands.put(("pause", reason))

    def resume(self) -> None:
        self._commands.put(("resume", None))

    def step(self, n: int = 1) -> None:
        self._commands.put(("step", int(n)))

    def stop(self) -> None:
        self._commands.put(("stop", None))

    def set_pace(self, pace: float | None) -> None:
        if pace is not None and not (math.isfinite(pace) and pace > 0):
            raise ValueError(f"pace must be a positive number of steps/s or None, got {pace!r}")
        self._commands.put(("set_pace", pace))

    def set_lr(self, lr: float) -> None:
        if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be a positive finite number, got {lr!r}")
        self._commands.put(("set_lr", float(lr)))

    # ------------------------------------------------------------- reading
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
            view = frozen_view(self.history.view(max_points))
            return Snapshot(
                run_id=self.run_id, config=self.config, owner=self.owner, label=self.label,
                status=self.status, step=step, total_steps=total,
                epoch=t.epoch if t else 0.0, examples=t.examples_seen if t else 0,
                lr=t.lr if t else self.config.lr, last_loss=self._last_loss,
                val_loss=self._val[0] if self._val else None,
                val_acc=self._val[1] if self._val else None,
                test_loss=self._test[0] if self._test else None,
                test_acc=self._test[1] if self._test else None,
                steps_per_sec=rate, eta_s=eta, elapsed_s=self._busy_s,
                message=self._message(step), hint=self.hint, diverged_at=self.diverged_at,
                queue_position=self._slots.position(self.run_id)
                if self.status == Status.QUEUED else None,
                created=self.created, n_params=t.n_params if t else 0,
                memory_bytes=self._memory_bytes(), history=view,
                weights=self._weights if with_weights else None,
                weights_step=self._weights_step,
                steps_per_epoch=t.steps_per_epoch if t else 1,
                batch_size=t.batch_size if t else self.config.batch_size,
                cpu_s=self._cpu_s, pace=self.pace,
            )

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

    def _memory_bytes(self) -> int:
        t = self.trainer
        if t is None:
            return self.history.nbytes()
        traj = len(t.trajectory) * t.n_params * 4
        # parameters + gradients + up to two optimizer moments, float32
        model = 4 * t.n_params * 4
        return self.history.nbytes() + traj + model

    # ------------------------------------------------------------- the thread
    def _attach(self, trainer: Trainer) -> None:
        """Make ``trainer`` this run's (also used by the Compare page's members)."""
        with self._lock:
            self.trainer = trainer
            self._divergence_floor = DIVERGENCE_FACTOR * trainer.chance_loss
            if self.status == Status.QUEUED:
                self.message = "waiting for a compute slot"
        self._record_eval(trainer, 0.0)
        self._copy_weights(trainer, 0.0)

    def run(self) -> None:
        try:
            trainer = Trainer(self.config, task=self._task)
            self._attach(trainer)
            self._loop(trainer)
        except Exception as exc:  # a worker never dies silently
            with self._lock:
                self.status = Status.FAILED
                self.message = f"failed: {describe_error(exc)}"
                self.hint = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        finally:
            self._release_slot()
            self._slots.leave_queue(self.run_id)

    def _loop(self, trainer: Trainer) -> None:
        while True:
            if self.status in TERMINAL:
                return
            if self.status == Status.PAUSED and self._pending_steps == 0:
                self._release_slot()
                self._handle(self._commands.get(), trainer)
                continue
            if not self._holding_slot:
                if not self._wait_for_slot(trainer):
                    continue
            self._drain(trainer)
            if self.status in TERMINAL or (self.status == Status.PAUSED
                                          and self._pending_steps == 0):
                continue
            self._burst(trainer)

    def _wait_for_slot(self, trainer: Trainer) -> bool:
        if self.status != Status.PAUSED:
            with self._lock:
                self.status = Status.QUEUED
                self.message = "queued: waiting for a free compute slot"
        while True:
            if self._slots.acquire(self.run_id, timeout=0.1):
                self._holding_slot = True
                if self.status == Status.QUEUED:
                    with self._lock:
                        self.status = Status.RUNNING
                        self.message = "training"
                self._mark_rate(trainer, time.perf_counter())
                return True
            self._drain(trainer)
            if self.status in TERMINAL or (self.status == Status.PAUSED
                                          and self._pending_steps == 0):
                self._slots.leave_queue(self.run_id)
                return False

    def _burst(self, trainer: Trainer) -> None:
        """Train until a command arrives, the run ends, or requested steps are done."""
        commands = self._commands
        t_start = time.perf_counter()
        busy0 = self._busy_s
        pace = self.pace if not self._pending_steps else None
        cpu0 = time.thread_time()
        try:
            self._steps_until_command(trainer, commands, pace, t_start, busy0)
        finally:
            self._cpu_s += time.thread_time() - cpu0

    def _steps_until_command(self, trainer: Trainer, commands, pace, t_start: float,
                             busy0: float) -> None:
        paced_from, paced_steps = t_start, 0
        while commands.empty():
            if pace:
                # Sleep until this step's slot in the paced schedule comes round. When
                # behind (the page held the GIL), restart the schedule instead of
                # racing to catch up: the pace is a ceiling, never a burst.
                wait = paced_from + paced_steps / pace - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                elif wait < -2.0 / pace:
                    paced_from, paced_steps = time.perf_counter(), 0
                paced_steps += 1
            r = trainer.step()
            now = time.perf_counter()
            if not self._after_step(trainer, r, busy0 + (now - t_start), now):
                return

    def _after_step(self, trainer: Trainer, r, busy: float, now: float) -> bool:
        """Record one finished step: history, divergence, eval, rate, weights, the end.

        False when training must stop here (diverged, finished, or the requested
        single steps are done). Also used by the Compare page's group runner, which
        steps its members itself (playground/compare.py)."""
        with self._lock:
            self.history.train.append(
                (r.step, r.step / trainer.steps_per_epoch, r.examples, busy), (r.loss, r.lr))
            self._last_loss = r.loss
            self._busy_s = busy
        # Cheap guard first: every divergence rule needs a loss above 100× chance
        # (or a NaN), so the usual step skips the full check.
        reason = None if r.loss <= self._divergence_floor else trainer.divergence(r.loss)
        if reason is not None:
            self._diverge(trainer, r.step, reason)
            return False
        if r.step % self.config.eval_every == 0 or trainer.finished:
            self._record_eval(trainer, busy)
        if now - self._rate_mark[0] >= RATE_WINDOW_S:
            self._mark_rate(trainer, now)
        if now - self._weights_time >= WEIGHTS_EVERY_S:
            self._copy_weights(trainer, now)
        if trainer.finished:
            self._finish(trainer)
            return False
        if self._pending_steps:
            self._pending_steps -= 1
            if self._pending_steps == 0:
                self._copy_weights(trainer, now)
                return False
        return True

    # ------------------------------------------------------------ helpers
    def _drain(self, trainer: Trainer) -> None:
        while True:
            try:
                cmd = self._commands.get_nowait()
            except queue.Empty:
                return
            self._handle(cmd, trainer)

    def _handle(self, cmd: tuple, trainer: Trainer) -> None:
        name, arg = cmd
        if self.status in TERMINAL:
            return
        with self._lock:
            if name == "pause":
                self._pending_steps = 0
                if self.status != Status.PAUSED:
                    self.status = Status.PAUSED
                    self._pause_note = arg or ""
            elif name == "resume":
                self._pending_steps = 0
                if self.status == Status.PAUSED:
                    self.status = Status.RUNNING if self._holding_slot else Status.QUEUED
                    self.message = "training"
                    self._pause_note = ""
            elif name == "step":
                if self.status == Status.PAUSED:
                    remaining = trainer.total_steps - trainer.step_count
                    self._pending_steps = max(0, min(arg, remaining))
            elif name == "stop":
                self._pending_steps = 0
                self.status = Status.STOPPED
                self.message = f"stopped at step {trainer.step_count:,}"
            elif name == "set_lr":
                trainer.set_lr(arg)
            elif name == "set_pace":
                self.pace = arg
        if name in ("pause", "stop"):
            self._copy_weights(trainer, time.perf_counter())  # views show where it stopped

    def _record_eval(self, trainer: Trainer, busy: float) -> None:
        ev = trainer.evaluate("val")
        with self._lock:
            self._val = (ev.loss, ev.accuracy)
            self.history.evals.append(
                (trainer.step_count, trainer.epoch, trainer.examples_seen, busy),
                (ev.loss, ev.accuracy))

    def _copy_weights(self, trainer: Trainer, now: float) -> None:
        weights = trainer.weights()
        with self._lock:
            self._weights = weights
            self._weights_step = trainer.step_count
            self._weights_time = now

    def _mark_rate(self, trainer: Trainer, now: float) -> None:
        t_prev, s_prev = self._rate_mark
        if t_prev and now > t_prev and trainer.step_count > s_prev:
            self._rate = (trainer.step_count - s_prev) / (now - t_prev)
        self._rate_mark = (now, trainer.step_count)

    def _finish(self, trainer: Trainer) -> None:
        if trainer.step_count % self.config.eval_every:
            self._record_eval(trainer, self._busy_s)
        test = trainer.evaluate("test")
        self._copy_weights(trainer, time.perf_counter())
        with self._lock:
            self._test = (test.loss, test.accuracy) if test.n else None
            self.status = Status.FINISHED
            acc = f", val accuracy {self._val[1]:.1%}" if self._val else ""
            self.message = f"finished {trainer.step_count:,} steps{acc}"
        self._release_slot()

    def _diverge(self, trainer: Trainer, step: int, reason: str) -> None:
        cfg = self.config
        with self._lock:
            self.status = Status.DIVERGED
            self.diverged_at = step
            self.message = f"diverged at step {step:,}: {reason}"
            tips = [f"lower the learning rate (now {trainer.base_lr:g}; try {trainer.base_lr / 10:g})"]
            if cfg.clip == 0:
                tips.append("turn on gradient clipping (e.g. max norm 1)")
            if cfg.init == "normal" and cfg.init_std > 1:
                tips.append(f"use a smaller init σ than {cfg.init_std:g} or Xavier init")
            self.hint = "The steps were too large for this loss surface: " + "; or ".join(tips) + "."
        self._copy_weights(trainer, time.perf_counter())
        self._release_slot()

    def _release_slot(self) -> None:
        if self._holding_slot:
            self._slots.release(self.run_id)
            self._holding_slot = False

