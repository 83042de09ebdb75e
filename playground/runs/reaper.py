"""What the reaper does to a run nobody is watching: pause it, stop it, or forget it.

A run's page polls it while open. A run unpolled for ``pause_after_s`` is paused, for
``stop_after_s`` stopped. A closed tab (or a dropped connection: the same signal) is
treated faster — paused after a short grace, so a network blip costs nothing, stopped
after the TTL — and its ended runs are forgotten after an hour.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from playground.runs.limits import Limits
from playground.runs.record import RunRecord
from playground.runs.status import ACTIVE, ACTIVE_JOBS, Status

log = logging.getLogger(__name__)


def reap_action(record: RunRecord, now: float, released: dict[str, float],
                limits: Limits) -> str | None:
    """"stopped", "paused", "forgotten" or None for one run at monotonic time ``now``;
    ``released`` maps the owners whose session went away to when it happened."""
    idle = now - record.last_polled
    gone = record.owner in released
    if gone:
        idle = min(idle, now - released[record.owner])
    pause_after = limits.released_pause_after_s if gone else limits.pause_after_s
    stop_after = limits.released_stop_after_s if gone else limits.stop_after_s
    if record.status in ACTIVE and idle > stop_after:
        return "stopped"
    if record.status in (Status.RUNNING, Status.QUEUED) and idle > pause_after:
        return "paused"
    if gone and record.ended and idle > limits.forget_released_after_s:
        return "forgotten"
    return None


class Reaper(threading.Thread):
    """Every ``reap_every_s`` seconds, pauses, stops or forgets the runs nobody watches
    (and cancels such jobs), until ``closed`` is set. Nothing a run can throw may end this
    loop: without it no run on the server is ever paused, stopped or forgotten again."""

    def __init__(self, table, sessions, jobs, limits: Limits,
                 send: Callable[[str, str, object], bool], closed: threading.Event):
        super().__init__(name="run-reaper", daemon=True)
        self._table, self._sessions, self._jobs = table, sessions, jobs
        self._limits, self._send, self._closed = limits, send, closed

    def run(self) -> None:
        every = self._limits.reap_every_s
        while not self._closed.wait(every):
            try:
                self.reap()
            except Exception:
                log.exception("the reaper's pass failed; trying again in %.1f s", every)

    def reap(self, now: float | None = None) -> list[tuple[str, str]]:
        """One pass; returns (run or job id, action) pairs."""
        now = time.monotonic() if now is None else now
        actions = []
        released = self._sessions.released()
        for entry in self._table.all():
            record = entry.record
            try:   # one broken run must not spare the others
                action = reap_action(record, now, released, self._limits)
                if action == "stopped":
                    self._send(record.run_id, "stop")
                elif action == "paused":
                    why = ("its tab was closed" if record.owner in released else
                           f"nobody watched it for {now - record.last_polled:.0f} s")
                    self._send(record.run_id, "pause", f"{why} (press Resume to go on)")
                elif action == "forgotten":
                    self._table.drop(record.run_id)
            except Exception:
                log.exception("could not reap run %s", record.run_id)
                continue
            if action:
                actions.append((record.run_id, action))
        self._sessions.keep_only({e.record.owner for e in self._table.all()})
        for job in self._jobs.all():
            if job.status in ACTIVE_JOBS and now - job.last_polled > self._limits.stop_after_s:
                job.cancel()
                actions.append((job.job_id, "cancelled"))
        return actions
