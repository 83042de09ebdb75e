"""RunThread: drives one run's record on its own thread.

The loop: apply the commands that arrived, be admitted to the compute share while
training (:mod:`.slots`), take steps until a command arrives or the run ends — at the
run's pace (slowed evenly when the server is overloaded), or at full speed in turns of
``SLICE_S`` — report the measured step cost, and give the share back while paused. It
never touches Streamlit; any exception becomes status *failed* with its message, and the
history is kept.
"""
from __future__ import annotations

import threading
import time

from playground.runs import commands
from playground.runs.commands import Inbox
from playground.runs.record import RunRecord
from playground.runs.share import SLICE_S
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
            self._slots.join(record.run_id, self._asked_pace(), timeout=0.0)  # pace changes
            self._burst(trainer)

    def _idle(self) -> bool:
        return self.record.status == Status.PAUSED and self.record.pending_steps == 0

    def _asked_pace(self) -> float | None:
        """The run's pace; Step/Epoch on a paused run go at full speed."""
        return self.record.pace if not self.record.pending_steps else None

    def _apply_commands(self) -> None:
        for command in self.inbox.drain():
            commands.apply(self.record, command)

    def _wait_for_slot(self) -> bool:
        record = self.record
        if record.status != Status.PAUSED:
            record.set_queued()
        timeout = 0.0                                # say why at once, then wait
        while True:
            if self._slots.join(record.run_id, self._asked_pace(), timeout=timeout):
                record.holding_slot = True
                record.queue_wait_s = None
                record.set_running()
                record.mark_rate(time.perf_counter())
                return True
            note = self._slots.queue_note(record.run_id)
            if note is not None and record.status != Status.PAUSED:
                place, wait = note
                record.queue_wait_s = wait
                record.set_queued(queue_message(place, wait, self._slots.capacity))
            self._apply_commands()
            if record.ended or self._idle():
                self._slots.leave_queue(record.run_id)
                return False
            timeout = 0.1

    def _burst(self, trainer: Trainer) -> None:
        """Train until a command arrives, the run ends, or requested steps are done."""
        record = self.record
        t_start = time.perf_counter()
        busy0 = record.busy_s
        cpu0 = time.thread_time()
        meter = Meter(t_start, cpu0, trainer.step_count)
        try:
            if self._asked_pace():
                self._paced_steps(trainer, t_start, busy0, meter)
            else:
                self._full_speed_turns(trainer, t_start, busy0, meter)
        finally:
            record.add_cpu(time.thread_time() - cpu0)
            self._report(trainer, meter, force=True)

    def _paced_steps(self, trainer: Trainer, t_start: float, busy0: float,
                     meter: "Meter") -> None:
        record, inbox = self.record, self.inbox
        pace = self._given_pace()
        paced_from, paced_steps = t_start, 0
        while inbox.empty():
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
            if self._report(trainer, meter):
                given = self._given_pace()
                if given != pace:                   # the server got busier or freer
                    pace, paced_from, paced_steps = given, now, 0

    def _full_speed_turns(self, trainer: Trainer, t_start: float, busy0: float,
                          meter: "Meter") -> None:
        """Full speed, in turns: compute for one slice while it is this run's turn, then
        give the core (and the GIL) to whoever is next."""
        record, inbox, run_id = self.record, self.inbox, self.record.run_id
        while inbox.empty():
            if not self._slots.take_turn(run_id, timeout=0.1):
                self._report(trainer, meter)
                continue
            turn_cpu = time.thread_time()
            try:
                turn_ends = time.perf_counter() + SLICE_S
                while inbox.empty():
                    r = trainer.step()
                    now = time.perf_counter()
                    if not record.after_step(r, busy0 + (now - t_start), now):
                        return
                    if now >= turn_ends:
                        break
            finally:
                self._slots.end_turn(run_id, time.thread_time() - turn_cpu)
            self._report(trainer, meter)
            time.sleep(0)                           # let a waiting page have the GIL

    def _given_pace(self) -> float:
        return self._slots.pace_for(self.record.run_id) or self.record.pace

    def _report(self, trainer: Trainer, meter: "Meter", force: bool = False) -> bool:
        """Tell the scheduler what this run costs (every ``MEASURE_EVERY_S``); True if told."""
        now = time.perf_counter()
        reading = meter.read(now, time.thread_time(), trainer.step_count, force)
        if reading is None:
            return False
        steps, cpu_s, wall_s = reading
        record = self.record
        self._slots.measure(record.run_id, steps, cpu_s, wall_s,
                            trainer.total_steps - trainer.step_count)
        slowed = self._slots.slowed(record.run_id)
        if slowed != record.slowed:
            record.slowed = slowed
            record.set_running(SLOWED if slowed else "training")
        return True

    def _release_slot(self) -> None:
        if self.record.holding_slot:
            self._slots.release(self.record.run_id)
            self.record.holding_slot = False
            self.record.slowed = False


SLOWED = "slowed: the server is busy"
MEASURE_EVERY_S = 0.25      # how often a run's step cost and speed are re-measured
FIRST_MEASURE_STEPS = 16    # its first measurement: after this many steps


class Meter:
    """A run's steps and CPU time since the last reading."""

    def __init__(self, now: float, cpu: float, step: int):
        self.t, self.cpu, self.step = now, cpu, step
        self.first = True

    def read(self, now: float, cpu: float, step: int, force: bool = False
             ) -> tuple[int, float, float] | None:
        """(steps, CPU s, wall s) since the last reading, when one is due."""
        steps = step - self.step
        due = (now - self.t >= MEASURE_EVERY_S or
               (self.first and steps >= FIRST_MEASURE_STEPS) or (force and steps > 0))
        if not due or now <= self.t:
            return None
        reading = steps, cpu - self.cpu, now - self.t
        self.t, self.cpu, self.step, self.first = now, cpu, step, False
        return reading


def queue_message(place: int, wait_s: float | None, cores: float) -> str:
    """Why a run waits and for how long, in the words the Train page shows."""
    when = ("it starts when a run ahead ends" if wait_s is None else
            f"expected wait about {max(1, round(wait_s))} s")
    cores_are = f"{cores:g} core is" if cores == 1 else f"{cores:g} cores are"
    return (f"queued (position {place}): the server's {cores_are} fully booked by the "
            f"runs training now; {when}")
