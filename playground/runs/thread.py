"""RunThread: drives one run's record on its own thread.

The loop: apply the commands that arrived, hold a compute slot while training, take
steps (at the run's pace, if it has one) until a command arrives or the run ends, and
give the slot back while paused. It never touches Streamlit; any exception becomes
status *failed* with its message, and the history is kept.
"""
from __future__ import annotations

import threading
import time

from playground.runs import commands
from playground.runs.commands import Inbox
from playground.runs.record import RunRecord
from playground.runs.slots import ComputeSlots
from playground.runs.status import Status
from playground.training.trainer import Trainer


class RunThread(threading.Thread):
    def __init__(self, record: RunRecord, inbox: Inbox, slots: ComputeSlots, task=None,
                 init_state: dict | None = None):
        super().__init__(name=f"run-{record.run_id}", daemon=True)
        self.record, self.inbox = record, inbox
        self._slots, self._task, self._init_state = slots, task, init_state
        record.queue_position = lambda: slots.position(record.run_id)

    def run(self) -> None:
        record = self.record
        try:
            trainer = Trainer(record.config, task=self._task, init_state=self._init_state)
            self._init_state = None        # the trainer holds its own copy now
            record.attach(trainer)
            self._loop(trainer)
        except Exception as exc:  # a run never dies silently
            record.fail(exc)
        finally:
            self._release_slot()
            self._slots.leave_queue(record.run_id)

    # ------------------------------------------------------------ the loop
    def _loop(self, trainer: Trainer) -> None:
        record = self.record
        while not record.ended:
            if self._idle():
                self._release_slot()
                command = self.inbox.get()          # sleep until told something
                commands.apply(record, command)
                continue
            if not record.holding_slot and not self._wait_for_slot():
                continue
            self._apply_commands()
            if record.ended or self._idle():
                continue
            self._burst(trainer)

    def _idle(self) -> bool:
        return self.record.status == Status.PAUSED and self.record.pending_steps == 0

    def _apply_commands(self) -> None:
        for command in self.inbox.drain():
            commands.apply(self.record, command)

    def _wait_for_slot(self) -> bool:
        record = self.record
        if record.status != Status.PAUSED:
            record.set_queued()
        while True:
            if self._slots.acquire(record.run_id, timeout=0.1):
                record.holding_slot = True
                record.set_running()
                record.mark_rate(time.perf_counter())
                return True
            self._apply_commands()
            if record.ended or self._idle():
                self._slots.leave_queue(record.run_id)
                return False

    def _burst(self, trainer: Trainer) -> None:
        """Train until a command arrives, the run ends, or requested steps are done."""
        record = self.record
        t_start = time.perf_counter()
        busy0 = record.busy_s
        pace = record.pace if not record.pending_steps else None
        cpu0 = time.thread_time()
        try:
            self._steps_until_command(trainer, pace, t_start, busy0)
        finally:
            record.add_cpu(time.thread_time() - cpu0)

    def _steps_until_command(self, trainer: Trainer, pace, t_start: float,
                             busy0: float) -> None:
        record, inbox = self.record, self.inbox
        paced_from, paced_steps = t_start, 0
        while inbox.empty():
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
            if not record.after_step(r, busy0 + (now - t_start), now):
                return

    def _release_slot(self) -> None:
        if self.record.holding_slot:
            self._slots.release(self.record.run_id)
            self.record.holding_slot = False
