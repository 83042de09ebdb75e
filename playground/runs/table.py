"""The registry's table of runs and groups, with its bounds.

Admission enforces the per-session live-run limit; ended runs are forgotten oldest
first beyond ``keep_ended_per_owner`` per session and ``max_ended_total`` in all, so a
classroom server's memory stays bounded however long it runs.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from playground.runs.commands import Inbox
from playground.runs.limits import Limits
from playground.runs.record import RunRecord
from playground.runs.status import ACTIVE
from playground.runs.thread import RunThread


class RunLimitError(RuntimeError):
    """Raised when a session already has as many live runs as it may."""


@dataclass
class Entry:
    """One run in the table: its record, its inbox and what drives it."""

    record: RunRecord
    inbox: Inbox
    thread: RunThread | None = None      # None for comparison members
    group: Any = None                    # compare.group.Group for its members

    def wake(self) -> None:
        if self.group is not None:
            self.group.wake()            # the coordinator applies commands between ticks


class RunTable:
    def __init__(self, limits: Limits):
        self.limits = limits
        self._runs: dict[str, Entry] = {}
        self._groups: dict[str, Any] = {}
        self._lock = threading.Lock()

    def admit(self, entries: list[Entry], owner: str, group=None) -> None:
        """Add runs (all or none), or raise :class:`RunLimitError`."""
        with self._lock:
            live = [e for e in self._runs.values()
                    if e.record.owner == owner and e.record.status in ACTIVE]
            cap = self.limits.max_live_per_owner
            if owner and len(live) + len(entries) > cap:
                adds = "this adds" if len(entries) == 1 else f"this group adds {len(entries)}"
                raise RunLimitError(f"this session already has {len(live)} live runs and "
                                    f"{adds} (the limit is {cap}); stop one before starting "
                                    "another")
            for e in entries:
                self._runs[e.record.run_id] = e
            if group is not None:
                self._groups[group.group_id] = group
            self._forget_old(owner)

    def get(self, run_id: str | None) -> Entry | None:
        if not run_id:
            return None
        with self._lock:
            return self._runs.get(run_id)

    def all(self) -> list[Entry]:
        with self._lock:
            return list(self._runs.values())

    def group(self, group_id: str | None):
        with self._lock:
            return self._groups.get(group_id) if group_id else None

    def groups(self) -> list:
        with self._lock:
            return list(self._groups.values())

    def member_ids(self, group_id: str) -> list[str]:
        group = self.group(group_id)
        return list(group.run_ids) if group is not None else []

    def set_owner(self, run_ids: list[str], owner: str) -> None:
        with self._lock:
            for i in run_ids:
                if i in self._runs:
                    self._runs[i].record.owner = owner

    def drop(self, run_id: str) -> None:
        with self._lock:
            self._drop(run_id)

    def _forget_old(self, owner: str) -> None:
        ended = sorted((e for e in self._runs.values()
                        if e.record.owner == owner and e.record.ended),
                       key=lambda e: e.record.created)
        for e in ended[: max(0, len(ended) - self.limits.keep_ended_per_owner)]:
            self._drop(e.record.run_id)
        everyone = sorted((e for e in self._runs.values() if e.record.ended),
                          key=lambda e: e.record.created)
        for e in everyone[: max(0, len(everyone) - self.limits.max_ended_total)]:
            self._drop(e.record.run_id)

    def _drop(self, run_id: str) -> None:
        """Forget a run (lock held); a group goes once its last member is forgotten."""
        entry = self._runs.pop(run_id, None)
        if entry is not None and entry.group is not None and not any(
                i in self._runs for i in entry.group.run_ids):
            self._groups.pop(entry.group.group_id, None)
