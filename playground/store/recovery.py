"""Runs left live by a process that died are marked *interrupted at step N*.

Every writing process has a row in ``writers`` with a heartbeat (each flush). When a
store opens — and every ``CHECK_EVERY_S`` after — runs still marked queued, running
or paused whose writer is gone become ``interrupted``, their points kept. A writer is
gone when it is this machine's and its process no longer exists, or when its heartbeat
is older than ``STALE_S`` (a replica on another machine). Runs of live replicas are
left alone, so replicas sharing one PostgreSQL history never mark each other's runs.
"""
from __future__ import annotations

import os
import socket
import time

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.engine import Connection

from playground.store import schema

STALE_S = 120.0          # a heartbeat is written every second or two; 2 minutes is dead
CHECK_EVERY_S = 30.0
LIVE_STATUSES = ("queued", "running", "paused")
HOST = socket.gethostname()[:255]


def beat(conn: Connection, writer_id: str, now: float) -> None:
    """This process is alive (one row per writer)."""
    done = conn.execute(update(schema.writers).where(schema.writers.c.id == writer_id)
                        .values(heartbeat=now)).rowcount
    if not done:
        conn.execute(insert(schema.writers).values(id=writer_id, host=HOST, pid=os.getpid(),
                                                   started=now, heartbeat=now))


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dead_writers(conn: Connection, me: str, now: float) -> set[str]:
    rows = conn.execute(select(schema.writers.c.id, schema.writers.c.host,
                               schema.writers.c.pid, schema.writers.c.heartbeat)).all()
    dead = set()
    for writer_id, host, pid, heartbeat in rows:
        if writer_id == me:
            continue
        if now - heartbeat > STALE_S or (host == HOST and not _process_exists(pid)):
            dead.add(writer_id)
    return dead


def recover(conn: Connection, me: str, now: float | None = None) -> int:
    """Mark the runs of dead writers interrupted; how many were."""
    now = time.time() if now is None else now
    dead = dead_writers(conn, me, now)
    runs = schema.runs
    live = runs.c.status.in_(LIVE_STATUSES)
    orphaned = and_(live, or_(runs.c.writer_id.is_(None),
                              runs.c.writer_id.not_in(_alive(conn, dead, me))))
    rows = conn.execute(select(runs.c.id, runs.c.step).where(orphaned)).all()
    if rows:
        conn.execute(update(runs).where(runs.c.id == bindparam("b_id")).values(
            status="interrupted", ended=now,
            message=bindparam("b_message")),
            [{"b_id": run_id, "b_message": f"interrupted at step {step:,}: the server stopped "
              "while it was training (its points up to then are kept)"}
             for run_id, step in rows])
        conn.execute(insert(schema.events), [
            {"run_id": run_id, "step": step, "time": now, "kind": "interrupted",
             "detail": f"the server stopped at step {step:,}"} for run_id, step in rows])
    if dead:
        conn.execute(delete(schema.writers).where(schema.writers.c.id.in_(dead)))
    return len(rows)


def _alive(conn: Connection, dead: set[str], me: str) -> list[str]:
    ids = {w for (w,) in conn.execute(select(schema.writers.c.id)).all()} - dead
    return sorted(ids | {me})
