"""A run of a comparison group: its record and its inbox, built and stepped by the group.

The registry holds a member like any run (snapshots, the same commands, the reaper),
but no thread of its own drives it: the group's coordinator builds its trainer, applies
its commands between ticks and steps it in lockstep with the others.
"""
from __future__ import annotations

from playground.compare.packed.pack import pack_key
from playground.runs import commands
from playground.runs.commands import Inbox
from playground.runs.record import RunRecord
from playground.runs.status import Status
from playground.training.trainer import Trainer


class Member:
    def __init__(self, record: RunRecord, inbox: Inbox, index: int, task=None):
        self.record, self.inbox, self.index = record, inbox, index
        self.run_id, self.label, self.config = record.run_id, record.label, record.config
        self.trainer: Trainer | None = None
        self.pack_key: tuple = ()
        self._task = task
        # The group holds the compute slots: for a member "resume" means running.
        record.holding_slot = True
        record.message = "waiting for the group to start"

    def build(self) -> None:
        """Create the trainer (in the coordinator thread); a failure marks only this run."""
        try:
            trainer = Trainer(self.config, task=self._task)
        except Exception as exc:
            self.record.fail(exc)
            return
        self.pack_key = pack_key(trainer)   # fixed for the run's life; repr() is slow
        self.record.attach(trainer)
        self.trainer = trainer

    def apply_commands(self) -> None:
        for command in self.inbox.drain():
            commands.apply(self.record, command)

    @property
    def status(self) -> Status:
        return self.record.status

    @property
    def runnable(self) -> bool:
        return self.trainer is not None and (
            self.record.status in (Status.RUNNING, Status.QUEUED)
            or self.record.pending_steps > 0)

    def clock_after_next(self, clock: str) -> int:
        """Where this member's clock (steps or examples seen) will be after its next step."""
        t = self.trainer
        if clock == "steps":
            return t.step_count + 1
        return t.examples_seen + t.batches.next_size()

    def after_step(self, r, busy: float, now: float) -> None:
        self.record.after_step(r, busy, now)

    def fail(self, exc: BaseException) -> None:
        self.record.fail(exc)

    def set_waiting(self, waiting: bool, position: int | None = None) -> None:
        if waiting:
            place = f" (place {position} in the queue)" if position else ""
            self.record.set_queued(f"waiting for a free compute slot{place}")
        else:
            self.record.set_running("training in lockstep with its group")
