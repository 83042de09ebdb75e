"""Whether history is being saved, and a plain sentence when it is not.

The store never raises into a run or a page: a database that cannot be opened or
written (damaged file, read-only file, full disk, size cap, unreachable server) turns
into a :class:`Health` that pages show as a warning, while training goes on.
"""
from __future__ import annotations

from dataclasses import dataclass

# What a database error means for the person reading the warning, by the words in it
# (SQLite's and PostgreSQL's own messages), first match wins.
_REASONS = (
    (("database or disk is full", "no space left", "disk full", "sqlite_full"),
     "the disk (or the store's size limit, PLAYGROUND_DB_MAX_MB) is full"),
    (("readonly database", "read-only", "read only", "permission denied"),
     "the database file is read-only"),
    (("file is not a database", "malformed", "not a database", "file is encrypted"),
     "the database file is damaged (not a valid SQLite database)"),
    (("database is locked", "database table is locked"),
     "the database is locked by another program"),
    (("unable to open database",), "the database file cannot be opened"),
    (("connection refused", "could not connect", "connection failed", "timeout expired",
      "server closed the connection", "name or service not known"),
     "the database server cannot be reached"),
    (("newer version of the app", "not made by this app", "no migration"), None),
)


def reason(exc: BaseException) -> str:
    """A short, plain reason for a database error."""
    text = str(getattr(exc, "orig", None) or exc)
    lowered = text.lower()
    for words, plain in _REASONS:
        if any(w in lowered for w in words):
            return plain or text
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"the database reported: {first[:200]}"


@dataclass(frozen=True)
class Health:
    ok: bool
    problem: str = ""              # the reason, when not ok
    pending_points: int = 0        # handed over, not yet written
    dropped_points: int = 0        # given up on while the database was failing
    lag_s: float = 0.0             # seconds since the last successful write (data waiting)
    last_write: float | None = None   # unix time of the last successful write

    @property
    def warning(self) -> str:
        """The sentence a page shows; empty when all is well."""
        if self.ok:
            return ""
        lost = (f" {self.dropped_points:,} points could not be kept." if self.dropped_points
                else "")
        return (f"Run history is not being saved: {self.problem}. Training goes on and "
                f"the runs stay on their pages, but they will be gone after a restart."
                + lost)
