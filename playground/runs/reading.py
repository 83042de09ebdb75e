"""The registry's reading side: snapshots, histories, tasks and captures, as copies.

Split from :mod:`.registry` (which starts runs and carries commands) so each file holds
one idea; :class:`~.registry.RunRegistry` is both. Everything here returns immutable
snapshots or copies: a page can keep what it got for as long as it likes.
"""
from __future__ import annotations

from playground.runs.record import HISTORY_POINTS
from playground.runs.snapshot import GroupSnapshot, Snapshot


class Reading:
    def snapshot(self, run_id: str | None, poll: bool = True,
                 max_points: int = HISTORY_POINTS, with_weights: bool = True
                 ) -> Snapshot | None:
        entry = self._table.get(run_id)
        return entry.record.snapshot(poll, max_points, with_weights) if entry else None

    def snapshots(self, owner: str | None = None, **options) -> list[Snapshot]:
        """Snapshots of every run (of one session), oldest first; unpolled by default."""
        options.setdefault("poll", False)
        return [e.record.snapshot(**options) for e in self._table.all()
                if owner is None or e.record.owner == owner]

    def group(self, group_id: str | None, **options) -> GroupSnapshot | None:
        group = self._table.group(group_id)
        return group.view(**options) if group is not None else None

    def group_of(self, run_id: str | None) -> str | None:
        entry = self._table.get(run_id)
        return entry.group.group_id if entry is not None and entry.group is not None else None

    def task(self, run_id: str):
        """The data a run trains on (shared and read-only: runs only index it), or None."""
        entry = self._table.get(run_id)
        return entry.record.trainer.task if entry and entry.record.trainer else None

    def history(self, run_id: str, max_points: int = HISTORY_POINTS) -> dict | None:
        entry = self._table.get(run_id)
        return entry.record.history_view(max_points) if entry else None

    def capture(self, run_id: str):
        """A paused or ended run's path for a loss surface, as copies (or ValueError)."""
        from playground.surface.capture import capture_record

        entry = self._table.get(run_id)
        if entry is None:
            raise ValueError(f"run {run_id} no longer exists")
        return capture_record(entry.record)

    def join(self, run_id: str, timeout: float | None = None) -> None:
        """Wait until a run's driver is done (tests and benchmarks)."""
        entry = self._table.get(run_id)
        if entry is not None:
            (entry.thread or entry.group).join(timeout)

