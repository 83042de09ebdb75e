"""A run of a comparison group: a RunWorker stepped by its group, not by its own thread.

The registry holds members like any run, so snapshots, per-run commands (pause, resume,
step, stop, set_lr), the reaper and the Loss surface page work on them unchanged. The
group (:mod:`playground.compare`) builds their trainers, steps them in lockstep and
calls :meth:`MemberRun.after_step`, the same bookkeeping a RunWorker does itself.
"""
from __future__ import annotations

import traceback

from playground.engine import BatchOrder, Trainer
from playground.packed import pack_key
from playground.jobs import describe_error
from playground.slots import ComputeSlots
from playground.worker import RunWorker, Status


class MemberRun(RunWorker):
    """One run of a group: a RunWorker stepped by its group instead of its own thread."""

    def __init__(self, run_id: str, config, slots: ComputeSlots, owner: str, group,
                 index: int, label: str, task=None):
        super().__init__(run_id, config, slots, owner=owner, task=task)
        self.group, self.index, self.label = group, index, label
        # The group holds the compute slots; "resume" must mean running, not queued.
        self._holding_slot = True
        self.message = "waiting for the group to start"
        self.pack_key: tuple = ()

    # Commands go through the base class's queue; waking the coordinator makes a
    # pause or stop take effect at once even while the whole group is idle.
    def pause(self, reason: str = "") -> None:
        super().pause(reason)
        self.group.wake()

    def resume(self) -> None:
        super().resume()
        self.group.wake()

    def step(self, n: int = 1) -> None:
        super().step(n)
        self.group.wake()

    def stop(self) -> None:
        super().stop()
        self.group.wake()

    def _release_slot(self) -> None:   # slots belong to the group
        pass

    # ----------------------------------------------------------- group side
    def build(self) -> None:
        """Create the trainer (in the coordinator thread); a failure marks only this run."""
        try:
            trainer = Trainer(self.config, task=self._task)
        except Exception as exc:
            self._fail(exc)
            return
        self.pack_key = pack_key(trainer)   # fixed for the run's life; repr() is slow
        self._attach(trainer)

    def clock_after_next(self, clock: str) -> int:
        t = self.trainer
        if clock == "steps":
            return t.step_count + 1
        return t.examples_seen + next_batch_len(t.batches)

    @property
    def runnable(self) -> bool:
        return self.trainer is not None and (
            self.status in (Status.RUNNING, Status.QUEUED) or self._pending_steps > 0)

    def after_step(self, r, busy: float, now: float) -> None:
        """Record one finished step: the same bookkeeping as a RunWorker's own loop."""
        self._after_step(self.trainer, r, busy, now)

    def set_waiting(self, waiting: bool, position: int | None = None) -> None:
        with self._lock:
            if waiting and self.status == Status.RUNNING:
                self.status = Status.QUEUED
            elif not waiting and self.status == Status.QUEUED:
                self.status = Status.RUNNING
            if self.status == Status.QUEUED:
                place = f" (place {position} in the queue)" if position else ""
                self.message = f"waiting for a free compute slot{place}"
            elif self.status == Status.RUNNING:
                self.message = "training in lockstep with its group"

    def _fail(self, exc: BaseException) -> None:
        with self._lock:
            self.status = Status.FAILED
            self.message = f"failed: {describe_error(exc)}"
            self.hint = "".join(traceback.format_exception_only(type(exc), exc)).strip()


def next_batch_len(batches: BatchOrder) -> int:
    """Size of the minibatch ``batches.next()`` will return (the last one may be short)."""
    pos = batches._pos if batches._pos < batches.n else 0
    return min(batches.batch_size, batches.n - pos)
