"""Where the run store lives, and an engine set up for it.

``PLAYGROUND_DB`` is a SQLAlchemy URL and wins; without it the store is an SQLite file,
``runs.db`` in the data folder (``PLAYGROUND_DATA_DIR``, else
``$XDG_DATA_HOME/training-playground``, else ``~/.local/share/training-playground``),
which needs no setup. Several replicas share one history through PostgreSQL
(``postgresql+psycopg://user:pass@host/db``).

SQLite is opened in WAL mode (readers never wait for the writer, and a killed process
loses no committed transaction), ``synchronous=NORMAL`` (WAL makes that crash-safe for
the application; only a power cut can lose the last commits), and a 10 s busy timeout,
so a page reading while the writer commits waits milliseconds instead of failing with
"database is locked". ``PLAYGROUND_DB_MAX_MB`` caps an SQLite file's size (SQLite's
``max_page_count``): past it, writes fail like a full disk and the app says so.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 10_000


def data_dir() -> Path:
    explicit = os.environ.get("PLAYGROUND_DATA_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "training-playground"


def database_url() -> str:
    url = os.environ.get("PLAYGROUND_DB", "").strip()
    return url or f"sqlite:///{data_dir() / 'runs.db'}"


def max_mb_from_env() -> float | None:
    raw = os.environ.get("PLAYGROUND_DB_MAX_MB", "").strip()
    if not raw:
        return None
    value = float(raw)
    if not value > 0:
        raise ValueError(f"PLAYGROUND_DB_MAX_MB must be a positive number, got {raw!r}")
    return value


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for memory or another database)."""
    if not is_sqlite(url):
        return None
    rest = url.split(":///", 1)[1] if ":///" in url else ""
    rest = rest.split("?", 1)[0]
    if rest.startswith("file:"):
        rest = rest[5:]
    return Path(rest) if rest and rest != ":memory:" else None


def make_engine(url: str, max_mb: float | None = None) -> Engine:
    """An engine for ``url``; SQLite gets WAL, the busy timeout and the size cap."""
    if not is_sqlite(url):
        # pool_pre_ping: a database server that restarted is reconnected, not an error.
        return create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4)
    path = sqlite_path(url)
    if path is not None and "mode=ro" not in url:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False,
                                              "timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            if max_mb is not None:
                page = cur.execute("PRAGMA page_size").fetchone()[0]
                cur.execute(f"PRAGMA max_page_count = {max(16, int(max_mb * 2**20 // page))}")
        except Exception:
            pass    # a read-only or damaged file: the first real statement says why
        finally:
            cur.close()

    return engine
