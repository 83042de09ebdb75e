"""RunStore: the run history that outlives the server, behind one object.

Opened by URL (:mod:`.location`: an SQLite file by default, PostgreSQL for replicas),
brought to the current schema (:mod:`.schema`), runs left live by a dead process marked
interrupted (:mod:`.recovery`), and written by one thread (:mod:`.writer`).
``connect(registry)`` makes every run the registry starts — Train runs and Compare
members — hand its points to the writer; sweeps and lessons hand over whole runs with
:meth:`add_runs`.

Nothing here raises into a run or a page: a database that cannot be opened, read or
written leaves the store *unhealthy* (:meth:`health` says why, pages show it), reads
return nothing, and training goes on.
"""
from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from typing import Callable

from sqlalchemy.engine import Engine

from playground.store import edits, queries, schema
from playground.store.health import Health, reason
from playground.store.location import database_url, make_engine, max_mb_from_env, sqlite_path
from playground.store.queries import RunFilter
from playground.store.recovery import CHECK_EVERY_S, recover
from playground.store.rows import NewRun, StoredRun
from playground.store.weights import from_bytes
from playground.store.writer import FLUSH_S, Writer

log = logging.getLogger(__name__)


class RunStore:
    def __init__(self, url: str | None = None, max_mb: float | None = None,
                 flush_s: float = FLUSH_S, start: bool = True):
        self.url = url or database_url()
        self.max_mb = max_mb if max_mb is not None else max_mb_from_env()
        self.writer_id = uuid.uuid4().hex[:16]
        self.engine: Engine | None = None
        self.open_problem = ""
        self.read_problem = ""
        self.interrupted_on_open = 0
        self._open_lock = threading.Lock()
        self._last_open_try = 0.0
        self._last_recovery = 0.0
        self._open()
        self.writer = Writer(self, flush_s)
        if start:
            self.writer.start()

    # ------------------------------------------------------------ opening
    def _open(self) -> bool:
        with self._open_lock:
            self._last_open_try = time.monotonic()
            try:
                engine = self.engine or make_engine(self.url, self.max_mb)
                with engine.begin() as conn:
                    schema.upgrade(conn)
                    self.interrupted_on_open = recover(conn, self.writer_id)
                self.engine, self.open_problem = engine, ""
                self._last_recovery = time.monotonic()
                return True
            except Exception as exc:
                self.open_problem = reason(exc)
                log.warning("cannot open the run store at %s: %s", self.safe_url, exc)
                return False

    def engine_for_writing(self) -> Engine | None:
        """The engine (retrying a failed open now and then); recovery every 30 s."""
        if self.open_problem and time.monotonic() - self._last_open_try >= 5.0:
            self._open()
        if self.open_problem:
            return None
        if time.monotonic() - self._last_recovery >= CHECK_EVERY_S:
            self._last_recovery = time.monotonic()
            try:
                with self.engine.begin() as conn:
                    recover(conn, self.writer_id)
            except Exception as exc:      # the write that follows reports the problem
                log.warning("run store recovery check failed: %s", exc)
        return self.engine

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages."""
        if "@" in self.url and "://" in self.url:
            scheme, rest = self.url.split("://", 1)
            return f"{scheme}://…@{rest.split('@', 1)[1]}"
        return self.url

    # ------------------------------------------------------------ hearing runs
    def connect(self, registry) -> None:
        """Record every run ``registry`` starts from now on."""
        registry.on_run_start(self._run_started)
        registry.on_run_end(self._run_ended)

    def _run_started(self, record) -> None:
        record.taps.add(self.writer.start_run(record))

    def _run_ended(self, record) -> None:
        snap = record.snapshot(poll=False, max_points=2)
        self.writer.end_run(record.run_id, {
            "status": snap.status.value, "message": snap.message, "ended": time.time(),
            "step": snap.step, "test_acc": snap.test_acc, "weights_step": snap.weights_step,
        }, snap.weights)

    def add_runs(self, runs: list[NewRun]) -> None:
        """Store whole runs (sweep trials, lesson evidence) with the next write."""
        if runs:
            self.writer.add_runs(runs)

    def flush(self, timeout: float = 10.0) -> bool:
        return self.writer.flush_now(timeout)

    def close(self) -> None:
        self.writer.stop()
        if self.engine is not None:
            self.engine.dispose()

    # ------------------------------------------------------------ health
    def health(self) -> Health:
        return self.writer.health(self.open_problem or self.read_problem)

    def size_bytes(self) -> int | None:
        """Bytes on disk (an SQLite file with its WAL), or the server's database size."""
        path = sqlite_path(self.url)
        if path is not None:
            return sum(os.path.getsize(p) for p in (str(path), f"{path}-wal")
                       if os.path.exists(p))
        if self.engine is not None and self.engine.dialect.name == "postgresql":
            from sqlalchemy import text
            return self._read(lambda c: c.execute(text(
                "SELECT pg_database_size(current_database())")).scalar(), None)
        return None

    # ------------------------------------------------------------ reading
    def _read(self, fn: Callable, empty):
        if self.engine is None:
            return empty
        try:
            with self.engine.connect() as conn:
                value = fn(conn)
            self.read_problem = ""
            return value
        except ValueError:
            raise                          # a bad question (sort key), not a database problem
        except Exception as exc:
            self.read_problem = reason(exc)
            log.warning("run store read failed: %s", exc)
            return empty

    def list_runs(self, f: RunFilter = RunFilter()) -> list[StoredRun]:
        return self._read(lambda c: queries.list_runs(c, f), [])

    def get_runs(self, ids: list[str]) -> list[StoredRun]:
        return self._read(lambda c: queries.get_runs(c, list(ids)), [])

    def get_run(self, run_id: str) -> StoredRun | None:
        found = self.get_runs([run_id])
        return found[0] if found else None

    def facets(self, owner: str | None, include_hidden: bool = False) -> dict:
        return self._read(lambda c: queries.facets(c, owner, include_hidden),
                          {"dataset": [], "optimizer": [], "status": [], "kind": [], "tag": []})

    def curves(self, ids: list[str], max_points: int = 2000) -> dict[str, dict]:
        return self._read(lambda c: queries.curves(c, list(ids), max_points), {})

    def points(self, ids: list[str]) -> dict[str, dict[str, tuple[list, list]]]:
        """Every stored point, full resolution (exports)."""
        return self._read(lambda c: queries.points_of(c, list(ids)), {})

    def events(self, run_id: str) -> list[dict]:
        return self._read(lambda c: queries.events_of(c, run_id), [])

    def weights(self, run_id: str):
        """(state dict, step) of a run's final weights, or None."""
        found = self._read(lambda c: queries.weights_of(c, run_id), None)
        return (from_bytes(found[0]), found[1]) if found else None

    def weights_bytes(self, run_id: str) -> bytes | None:
        found = self._read(lambda c: queries.weights_of(c, run_id), None)
        return found[0] if found else None

    def with_weights(self, ids: list[str]) -> set[str]:
        return self._read(lambda c: queries.has_weights(c, list(ids)), set())

    def counts(self) -> tuple[int, int]:
        return self._read(queries.counts, (0, 0))

    # ------------------------------------------------------------ editing
    def _edit(self, fn: Callable):
        """A person's edit: its own short transaction (raises ``StoreError`` to say why
        it could not be saved; the page shows it)."""
        if self.engine is None:
            raise StoreError(f"the run store is not available: {self.open_problem}")
        try:
            with self.engine.begin() as conn:
                return fn(conn)
        except ValueError:
            raise
        except Exception as exc:
            raise StoreError(f"could not save the change: {reason(exc)}") from exc

    def rename(self, run_id: str, label: str, owner: str | None) -> bool:
        return self._edit(lambda c: edits.rename(c, run_id, label, owner))

    def set_tags(self, run_id: str, tags, owner: str | None) -> bool:
        return self._edit(lambda c: edits.set_tags(c, run_id, tags, owner))

    def set_notes(self, run_id: str, notes: str, owner: str | None) -> bool:
        return self._edit(lambda c: edits.set_notes(c, run_id, notes, owner))

    def delete(self, ids: list[str], owner: str | None) -> int:
        """Delete ended runs (a live run is still being written: stop it first)."""
        live = [i for i in ids if i in self.writer.live]
        if live:
            raise ValueError(f"run {live[0]} is still training; stop it before deleting it")
        return self._edit(lambda c: edits.delete_runs(c, list(ids), owner))


class StoreError(RuntimeError):
    """An edit could not be saved (the message says why, in plain words)."""
