"""Background jobs: long one-off computations (LR sweeps, loss surfaces) off the page.

A job is a function ``fn(progress) -> result`` run in its own thread. It reports
progress through ``progress.update(fraction, message)`` and must call
``progress.check()`` between units of work: that raises :class:`Cancelled` once the
user pressed Cancel. Jobs take a compute slot like training runs do, so a sweep
cannot starve everyone else's training on a shared server.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from playground.slots import ComputeSlots


log = logging.getLogger(__name__)


def describe_error(exc: BaseException) -> str:
    """A failure in words a user can act on: the message of the errors our code raises
    on purpose (bad settings, bad data), the exception's name only for the unexpected."""
    from playground.config import InvalidConfig

    if isinstance(exc, InvalidConfig):
        return "the setup is not valid: " + "; ".join(str(e) for e in exc.errors)
    if isinstance(exc, (ValueError, RuntimeError, LookupError)) and str(exc):
        return str(exc)
    return f"an unexpected error ({type(exc).__name__}: {exc})"


class Cancelled(Exception):
    """Raised inside a job by ``progress.check()`` after a cancel request."""


class Progress:
    def __init__(self) -> None:
        self.fraction = 0.0
        self.message = ""
        self.cancel_requested = threading.Event()
        self._lock = threading.Lock()

    def update(self, fraction: float, message: str = "") -> None:
        with self._lock:
            self.fraction = min(1.0, max(0.0, float(fraction)))
            if message:
                self.message = message
        self.check()

    def check(self) -> None:
        if self.cancel_requested.is_set():
            raise Cancelled()

    def read(self) -> tuple[float, str]:
        with self._lock:
            return self.fraction, self.message


@dataclass(frozen=True)
class JobSnapshot:
    job_id: str
    label: str
    owner: str
    status: str          # queued | running | done | cancelled | failed
    fraction: float
    message: str
    result: Any
    error: str
    elapsed_s: float
    queue_position: int | None

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")


class Job(threading.Thread):
    def __init__(self, job_id: str, fn: Callable[[Progress], Any], slots: ComputeSlots,
                 owner: str = "", label: str = ""):
        super().__init__(name=f"job-{job_id}", daemon=True)
        self.job_id, self.owner, self.label = job_id, owner, label
        self._fn, self._slots = fn, slots
        self.progress = Progress()
        self.status = "queued"
        self.result: Any = None
        self.error = ""
        self.created = time.time()
        self.last_polled = time.monotonic()
        self._t0: float | None = None
        self._t1: float | None = None

    def cancel(self) -> None:
        self.progress.cancel_requested.set()

    def run(self) -> None:
        try:
            while not self._slots.acquire(self.job_id, timeout=0.1):
                if self.progress.cancel_requested.is_set():
                    self.status = "cancelled"
                    return
            self.status = "running"
            self._t0 = time.perf_counter()
            try:
                self.result = self._fn(self.progress)
                self.status = "done"
                self.progress.fraction = 1.0
            finally:
                self._t1 = time.perf_counter()
                self._slots.release(self.job_id)
        except Cancelled:
            self.status = "cancelled"
        except Exception as exc:  # reported, never a silent dead thread
            self.error = describe_error(exc)
            self.status = "failed"
            log.exception("job %s (%s) failed", self.job_id, self.label)
        finally:
            self._slots.leave_queue(self.job_id)

    def snapshot(self) -> JobSnapshot:
        self.last_polled = time.monotonic()
        fraction, message = self.progress.read()
        if self._t0 is None:
            elapsed = 0.0
        else:
            elapsed = (self._t1 or time.perf_counter()) - self._t0
        return JobSnapshot(self.job_id, self.label, self.owner, self.status, fraction,
                           message, self.result, self.error, elapsed,
                           self._slots.position(self.job_id) if self.status == "queued" else None)
