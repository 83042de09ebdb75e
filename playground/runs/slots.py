"""Compute slots: at most K runs train at once, the rest wait in a visible FIFO queue.

Training threads share two cores and the GIL; letting 30 students' runs all compute
would make every one of them crawl. A run asks for a slot before each burst of work,
gives it back when paused or done, and can read its place in the queue meanwhile.
"""
from __future__ import annotations

import threading


class ComputeSlots:
    def __init__(self, capacity: int):
        if capacity < 1:
            raise ValueError("need at least one compute slot")
        self.capacity = capacity
        self._holders: set[str] = set()
        self._waiting: list[str] = []
        self._cond = threading.Condition()

    def acquire(self, run_id: str, timeout: float) -> bool:
        """Take a slot, waiting at most ``timeout`` s; the caller keeps its queue place."""
        with self._cond:
            if run_id in self._holders:
                return True
            if run_id not in self._waiting:
                self._waiting.append(run_id)
            ok = self._cond.wait_for(self._can_enter(run_id), timeout)
            if ok:
                self._waiting.remove(run_id)
                self._holders.add(run_id)
            return ok

    def _can_enter(self, run_id: str):
        def check() -> bool:
            free = self.capacity - len(self._holders)
            return free > 0 and run_id in self._waiting[:free]
        return check

    def leave_queue(self, run_id: str) -> None:
        with self._cond:
            if run_id in self._waiting:
                self._waiting.remove(run_id)
                self._cond.notify_all()

    def release(self, run_id: str) -> None:
        with self._cond:
            self._holders.discard(run_id)
            if run_id in self._waiting:
                self._waiting.remove(run_id)
            self._cond.notify_all()

    def position(self, run_id: str) -> int | None:
        """1-based place in the queue, or None when not waiting."""
        with self._cond:
            try:
                return self._waiting.index(run_id) + 1
            except ValueError:
                return None

    def busy(self) -> int:
        with self._cond:
            return len(self._holders)

    def queued(self) -> int:
        with self._cond:
            return len(self._waiting)
