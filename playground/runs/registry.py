"""RunRegistry: the only door pages use to runs, comparisons and background jobs.

One Streamlit process serves many browser sessions; they all share this registry
(through ``st.cache_resource``). It starts runs and comparison groups, enforces the
compute-slot cap and the per-session limit (:mod:`.table`), sends commands (checked
first, :mod:`.commands`), hands out immutable snapshots and copies, and runs a reaper
(:mod:`.reaper`) that pauses runs nobody has looked at for a while and stops them after
longer, so a closed tab cannot burn CPU forever. Pages never get a thread, a trainer or
a record: only ids, snapshots and copies (the reading side is :mod:`.reading`).

Where runs train: single runs on *lanes* (worker processes, :mod:`.lanes`) when
``Limits.lanes`` > 0 — the app's default, cores − 1 — else each on its own thread
here (:class:`~.thread.RunThread`), as do comparison groups, jobs and runs handed a task
object. Both kinds keep a RunRecord here, so everything reads them the same way.
"""
from __future__ import annotations

import threading
import time
import uuid
from typing import Any, Callable

from playground.config import InvalidConfig
from playground.runs import commands
from playground.runs.commands import Inbox
from playground.runs.jobs import JobBoard, JobSnapshot, Progress
from playground.runs.lanes.mirror import MirrorRecord
from playground.runs.lanes.pool import LaneDriver, LaneInbox, LanePool
from playground.runs.limits import Limits, configure_torch_threads, warm_up
from playground.runs.reaper import Reaper
from playground.runs.reading import Reading
from playground.runs.record import RunRecord
from playground.runs.sessions import Sessions
from playground.runs.slots import ComputeSlots
from playground.runs.status import ACTIVE
from playground.runs.table import Entry, RunLimitError, RunTable
from playground.runs.thread import RunThread

__all__ = ["Limits", "RunLimitError", "RunRegistry", "configure_torch_threads"]  # re-exported


def new_id() -> str:
    return uuid.uuid4().hex[:10]


class RunRegistry(Reading):
    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        configure_torch_threads()
        self.slots = ComputeSlots(self.limits.max_concurrent)
        self._table = RunTable(self.limits)
        self._sessions = Sessions()
        self._jobs = JobBoard(self.slots, self.limits.keep_ended_per_owner)
        self._start_listeners: list[Callable[[RunRecord], None]] = []
        self._end_listeners: list[Callable[[RunRecord], None]] = []
        self._closed = threading.Event()
        self._reaper = Reaper(self._table, self._sessions, self._jobs, self.limits,
                              self._send, self._closed)
        self._reaper.start()
        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
        # Single runs train on lanes (worker processes, one thread each) when the limits
        # ask for them; else each on a thread of this process (runs/lanes/__init__.py).
        self._lanes = LanePool(self.limits.lanes) if self.limits.lanes else None
        if self._lanes is not None:
            threading.Thread(target=self._lanes.warm, name="lanes-warm-up",
                             daemon=True).start()

    # ------------------------------------------------------------ starting
    def start(self, config, owner: str = "", task=None, start_paused: bool = False,
              pace: float | None = None, label: str = "", init_state: dict | None = None,
              parent_id: str | None = None) -> str:
        """Validate, create and start a run (from ``init_state``'s weights if given, the
        run ``parent_id`` left); its id, or :class:`InvalidConfig` / :class:`RunLimitError`."""
        errors = config.validate()
        if errors:
            raise InvalidConfig(errors)
        on_lane = self._lanes is not None and task is None
        record = (MirrorRecord if on_lane else RunRecord)(
            new_id(), config, owner=owner, label=label, paused=start_paused)
        record.pace = commands.checked("set_pace", pace)
        record.parent_id = parent_id
        if on_lane:
            entry = Entry(record, LaneInbox(self._lanes, record))
            entry.thread = LaneDriver(self._lanes, record)
            self._admit([entry], owner)
            try:
                self._lanes.start(record, init_state)
            except Exception as exc:     # no lane: the run fails with the reason
                record.lost(str(exc))
            return record.run_id
        entry = Entry(record, Inbox())
        entry.thread = RunThread(record, entry.inbox, self.slots, task=task,
                                 init_state=init_state)
        self._admit([entry], owner)
        entry.thread.start()
        return record.run_id

    def start_group(self, configs: list, labels: list[str], owner: str = "",
                    pace: float | None = None, lanes: int | None = None,
                    pack: bool | None = None) -> str:
        """Start a comparison of 2–6 runs in lockstep; returns the group's id."""
        from playground.compare.group import Group
        from playground.compare.member import Member

        bad = [f"run {i + 1} · {e}" for i, c in enumerate(configs) for e in c.validate()]
        if bad:
            raise ValueError("invalid runs: " + "; ".join(bad))
        if len(labels) != len(configs):
            raise ValueError("one label per run is needed")
        group_id = new_id()
        entries = [Entry(RunRecord(new_id(), c, owner=owner, label=label, group_id=group_id),
                         Inbox()) for c, label in zip(configs, labels)]
        group = Group(group_id, [Member(e.record, e.inbox, i) for i, e in enumerate(entries)],
                      self.slots, owner=owner, lanes=lanes, pace=commands.checked(
                          "set_pace", pace), pack=pack)
        for e in entries:
            e.group = group
        self._admit(entries, owner, group)
        group.start()
        return group_id

    def on_run_start(self, listener: Callable[[RunRecord], None]) -> None:
        """Call ``listener(record)`` as each run started from now on is admitted, before
        its first step (the store attaches its sink to ``record.taps`` here)."""
        self._start_listeners.append(listener)

    def on_run_end(self, listener: Callable[[RunRecord], None]) -> None:
        """Call ``listener(record)`` when any run started from now on ends."""
        self._end_listeners.append(listener)

    def _admit(self, entries: list[Entry], owner: str, group=None) -> None:
        if self._closed.is_set():
            raise RuntimeError("the run registry has been shut down")
        for e in entries:
            for listener in self._end_listeners:
                e.record.on_end(listener)
        self._table.admit(entries, owner, group)
        for e in entries:
            for listener in self._start_listeners:
                listener(e.record)

    # ------------------------------------------------------------ commands
    def pause(self, run_id: str, reason: str = "") -> bool:
        return self._send(run_id, "pause", reason)

    def resume(self, run_id: str) -> bool:
        return self._send(run_id, "resume")

    def step(self, run_id: str, n: int = 1) -> bool:
        """Train ``n`` steps of a paused run, then pause again."""
        return self._send(run_id, "step", n)

    def stop(self, run_id: str) -> bool:
        return self._send(run_id, "stop")

    def set_lr(self, run_id: str, lr: float) -> bool:
        """Change the learning rate from the next step (the schedule keeps its shape)."""
        return self._send(run_id, "set_lr", lr)

    def set_pace(self, run_id: str, pace: float | None) -> bool:
        """Cap a run's steps/s (None = full speed); for a comparison, the whole group's."""
        pace = commands.checked("set_pace", pace)
        entry = self._table.get(run_id)
        if entry is None:
            return False
        if entry.group is not None:
            entry.group.set_pace(pace)
            return True
        return self._send(run_id, "set_pace", pace)

    def _send(self, run_id: str, name: str, arg=None) -> bool:
        """Check the command, queue it for the run's driver; False if no such run."""
        arg = commands.checked(name, arg)
        entry = self._table.get(run_id)
        if entry is None:
            return False
        entry.inbox.put(name, arg)
        entry.wake()
        return True

    def pause_group(self, group_id: str) -> None:
        for run_id in self._table.member_ids(group_id):
            self.pause(run_id)

    def resume_group(self, group_id: str) -> None:
        for run_id in self._table.member_ids(group_id):
            self.resume(run_id)

    def stop_group(self, group_id: str) -> None:
        for run_id in self._table.member_ids(group_id):
            self.stop(run_id)

    def claim(self, run_id: str, owner: str) -> None:
        """Make ``owner`` (a session id) look after a run and its whole group, e.g. after
        a reload (a new session): limits, the reaper and "my runs" lists follow it."""
        entry = self._table.get(run_id)
        if entry is None:
            raise KeyError(f"no run {run_id!r}")
        self._sessions.back(owner)
        if entry.group is not None:
            self._table.set_owner(self._table.member_ids(entry.group.group_id), owner)
            entry.group.owner = owner
        else:
            self._table.set_owner([run_id], owner)

    # ------------------------------------------------------------ jobs
    def start_job(self, fn: Callable[[Progress], Any], owner: str = "", label: str = "") -> str:
        """Run ``fn(progress)`` in the background (a sweep, a surface); returns its id."""
        if self._closed.is_set():
            raise RuntimeError("the run registry has been shut down")
        return self._jobs.start(new_id(), fn, owner, label)

    def job_snapshot(self, job_id: str | None) -> JobSnapshot | None:
        job = self._jobs.get(job_id)
        return job.snapshot() if job else None

    def cancel_job(self, job_id: str | None) -> None:
        job = self._jobs.get(job_id)
        if job is not None:
            job.cancel()

    def jobs(self, owner: str | None = None) -> list[JobSnapshot]:
        return [j.snapshot(poll=False) for j in self._jobs.all(owner)]

    # ------------------------------------------------------------ sessions
    def touch(self, owner: str) -> None:
        """Mark every run of a session as watched (its page is open somewhere)."""
        now = time.monotonic()
        self._sessions.back(owner)
        for e in self._table.all():
            if e.record.owner == owner:
                e.record.last_polled = now
        for j in self._jobs.all(owner):
            j.last_polled = now

    def release(self, owner: str) -> None:
        """The session went away (tab closed, or its connection dropped): its runs are
        paused after a short grace and stopped after the TTL unless it comes back."""
        self._sessions.release(owner)

    def watched_sessions(self) -> int:
        """How many connected sessions have a live run (pages poll less when many do)."""
        owners = {e.record.owner for e in self._table.all() if e.record.status in ACTIVE}
        return len(owners - set(self._sessions.released()))

    def lanes(self) -> list[dict]:
        """Each training lane's process, cores used lately and runs (Server page)."""
        return self._lanes.view() if self._lanes is not None else []

    def usage(self) -> tuple[int, int]:
        """(compute slots busy, runs and jobs waiting for one)."""
        return self.slots.busy(), self.slots.queued()

    def disconnected(self) -> set[str]:
        """The sessions that went away (their tab closed or their connection dropped)."""
        return set(self._sessions.released())

    # ------------------------------------------------------------ lifecycle
    def remove(self, run_id: str) -> None:
        self.stop(run_id)
        self._table.drop(run_id)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop every run and the reaper, and wait for their threads to end."""
        self._closed.set()
        if self._lanes is not None:      # the lanes stop their runs and say so
            self._lanes.shutdown(timeout)
        entries = self._table.all()
        for e in entries:
            e.inbox.put("stop")
            e.wake()
        jobs = self._jobs.all()
        for j in jobs:
            j.cancel()
        deadline = time.monotonic() + timeout
        for t in [*(e.thread for e in entries if e.thread), *self._table.groups(), *jobs]:
            if t.is_alive():
                t.join(max(0.0, deadline - time.monotonic()))
        self._reaper.join(max(0.0, deadline - time.monotonic()))

    def reap(self, now: float | None = None) -> list[tuple[str, str]]:
        """Pause or stop runs nobody polled recently; returns (run_id, action) pairs."""
        return self._reaper.reap(now)
