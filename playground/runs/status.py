"""Where a run stands: one vocabulary for every run, page and store."""
from __future__ import annotations

import enum


class Status(str, enum.Enum):
    QUEUED = "queued"        # waiting for a compute slot
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"    # trained its whole length
    STOPPED = "stopped"      # ended by a person (or the reaper)
    DIVERGED = "diverged"    # the loss blew up
    FAILED = "failed"        # an error; its message says which
    INTERRUPTED = "interrupted"   # only in the store: the server stopped while it was live


ACTIVE = frozenset({Status.QUEUED, Status.RUNNING, Status.PAUSED})
TERMINAL = frozenset({Status.FINISHED, Status.STOPPED, Status.DIVERGED, Status.FAILED,
                      Status.INTERRUPTED})


class JobStatus(str, enum.Enum):
    """Where a background job (a sweep, a surface, a lesson's evidence) stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


ACTIVE_JOBS = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})
