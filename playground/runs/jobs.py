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

from playground.runs.errors import describe_error
from playground.runs.slots import ComputeSlots
from playground.runs.status import ACTIVE_JOBS, JobStatus


log = logging.getLogger(__name__)


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
    status: JobStatus
    fraction: float
    message: str
    result: Any
    error: str
    elapsed_s: float
    queue_position: int | None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_JOBS


class Job(threading.Thread):
    def __init__(self, job_id: str, fn: Callable[[Progress], Any], slots: ComputeSlots,
                 owner: str = "", label: str = ""):
        super().__init__(name=f"job-{job_id}", daemon=True)
        self.job_id, self.owner, self.label = job_id, owner, label
        self._fn, self._slots = fn, slots
        self.progress = Progress()
        self.status = JobStatus.QUEUED
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
                    self.status = JobStatus.CANCELLED
                    return
            self.status = JobStatus.RUNNING
            self._t0 = time.perf_counter()
            try:
                self.result = self._fn(self.progress)
                self.status = JobStatus.DONE
                self.progress.fraction = 1.0
            finally:
                self._t1 = time.perf_counter()
                self._slots.release(self.job_id)
        except Cancelled:
            self.status = JobStatus.CANCELLED
        except Exception as exc:  # reported, never a silent dead thread
            self.error = describe_error(exc)
            self.status = JobStatus.FAILED
            log.exception("job %s (%s) failed", self.job_id, self.label)
        finally:
            self._slots.leave_queue(self.job_id)

    def snapshot(self, poll: bool = True) -> JobSnapshot:
        if poll:
            self.last_polled = time.monotonic()
        fraction, message = self.progress.read()
        if self._t0 is None:
            elapsed = 0.0
        else:
            elapsed = (self._t1 or time.perf_counter()) - self._t0
        queued = self._slots.position(self.job_id) if self.status == JobStatus.QUEUED else None
        return JobSnapshot(self.job_id, self.label, self.owner, self.status, fraction,
                           message, self.result, self.error, elapsed, queued)


class JobBoard:
    """Every background job of the process: start, read, cancel, and a bound on ended ones."""

    def __init__(self, slots: ComputeSlots, keep_ended_per_owner: int):
        self._slots, self._keep = slots, keep_ended_per_owner
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, job_id: str, fn: Callable[[Progress], Any], owner: str, label: str) -> str:
        job = Job(job_id, fn, self._slots, owner=owner, label=label)
        with self._lock:
            self._jobs[job_id] = job
            mine = sorted((j for j in self._jobs.values() if j.owner == owner and not
                           (j.status in ACTIVE_JOBS)), key=lambda j: j.created)
            for old in mine[: max(0, len(mine) - self._keep)]:
                self._jobs.pop(old.job_id, None)
        job.start()
        return job_id

    def get(self, job_id: str | None) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id) if job_id else None

    def all(self, owner: str | None = None) -> list[Job]:
        with self._lock:
            return [j for j in self._jobs.values() if owner is None or j.owner == owner]
