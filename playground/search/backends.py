"""Where trials run. Every backend takes trial specs (plain dicts), runs
:func:`playground.search.trial.run_trial` on them and hands back outcomes:

- :class:`InProcess` — one after another on the calling thread (the benchmark's
  reference, and what a search falls back to with one core);
- :class:`playground.search.pool.WorkerPool` — a warm pool of worker processes, one
  torch thread each, past the GIL;
- :class:`playground.search.ray_backend.RayBackend` — Ray tasks on a cluster.

``submit(key, spec)`` queues a trial, ``wait(timeout)`` returns ``[(key, outcome)]`` of
trials that ended, ``cancel()`` stops every trial it runs (their outcomes come back as
"cancelled"); ``idle`` says how many more trials it would start right away.
"""
from __future__ import annotations

import threading
import traceback
from collections import deque


def failed(message: str) -> dict:
    return {"state": "failed", "value": None, "intermediate": {}, "curves": {},
            "message": message, "seconds": 0.0, "system_attrs": {}}


class InProcess:
    name = "in-process"
    workers = 1

    def __init__(self) -> None:
        self._queue: deque = deque()
        self._cancel = threading.Event()
        self.lease = threading.Lock()   # one search at a time drives it

    @property
    def idle(self) -> int:
        return 0 if self._queue else 1

    def describe(self) -> str:
        return "in-process, 1 worker (this server's own thread)"

    def submit(self, key, spec: dict) -> None:
        self._queue.append((key, spec))

    def wait(self, timeout: float = 0.0) -> list:
        from playground.search.trial import run_trial

        if not self._queue:
            return []
        key, spec = self._queue.popleft()
        if self._cancel.is_set():
            return [(key, failed("cancelled before it started") | {"state": "cancelled"})]
        try:
            return [(key, run_trial(spec, self._cancel))]
        except Exception as exc:   # one bad trial fails only itself
            return [(key, failed(f"{type(exc).__name__}: {exc}"))]

    def cancel(self) -> list:
        """Queued trials come back cancelled; a running one stops at its next check."""
        self._cancel.set()
        out = [(key, failed("cancelled before it started") | {"state": "cancelled"})
               for key, _ in self._queue]
        self._queue.clear()
        return out

    def start(self) -> float:
        """Ready for a new search (a cancelled one leaves its flag set)."""
        self._cancel.clear()
        self._queue.clear()
        return 0.0

    def close(self) -> None:
        self._queue.clear()


def traceback_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
