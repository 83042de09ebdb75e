"""The line of runs waiting for room on the lanes (only when they are saturated).

First come, first served. A waiting run keeps the commands sent to it for its lane; the
pool starts the head of the line whenever a run ends or pauses and the head then fits
(:mod:`.admission`). Each waiting run's record says why it waits and for about how long.
"""
from __future__ import annotations

import threading

from playground.runs.lanes import admission
from playground.runs.status import Status


class Waiting:
    """A run in the line: what it starts from, and the commands sent meanwhile."""

    def __init__(self, record, init_state: dict | None) -> None:
        self.record, self.init_state = record, init_state
        self.commands: list[tuple] = []       # (name, arg, sequence number)


class LaneQueue:
    def __init__(self) -> None:
        self._line: list[Waiting] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._line)

    def add(self, record, init_state: dict | None) -> None:
        with self._lock:
            self._line.append(Waiting(record, init_state))

    def find(self, record) -> Waiting | None:
        with self._lock:
            return next((w for w in self._line if w.record is record), None)

    def remove(self, waiting: Waiting) -> bool:
        with self._lock:
            if waiting in self._line:
                self._line.remove(waiting)
                return True
            return False

    def pop_head_if(self, fits) -> Waiting | None:
        """The first waiting run, taken out of the line, if ``fits(record)``."""
        with self._lock:
            if self._line and fits(self._line[0].record):
                return self._line.pop(0)
            return None

    def drain(self) -> list[Waiting]:
        with self._lock:
            line, self._line = self._line, []
            return line

    def position(self, record) -> int | None:
        with self._lock:
            ids = [w.record.run_id for w in self._line]
        return ids.index(record.run_id) + 1 if record.run_id in ids else None

    def tell(self, training: list) -> None:
        """Every waiting run says why it waits and roughly until when: the soonest end
        among the ``training`` runs' records, at their current pace."""
        wait = admission.expected_wait(
            [(r.trainer.total_steps - r.trainer.step_count, r._rate) for r in training
             if r.status == Status.RUNNING and r.trainer is not None])
        when = f"; the next run to finish ends in about {wait:,.0f} s" if wait else ""
        with self._lock:
            line = list(self._line)
        for place, w in enumerate(line, 1):
            w.record.set_queued(
                "queued: the training processes are saturated — every run already "
                f"training would fall below half its pace{when}; place {place} in line")
