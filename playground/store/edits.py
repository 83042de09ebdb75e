"""What a person changes about a stored run: its name, tags and notes; deleting it.

Only the run's owner may change it, unless the caller is a teacher (``owner=None``).
Values are bound parameters and are cleaned first (length, whitespace, the tag
separator); they are stored as typed and escaped wherever they are shown.
"""
from __future__ import annotations

from sqlalchemy import and_, delete, update
from sqlalchemy.engine import Connection

from playground.store import schema
from playground.store.rows import MAX_NOTES_CHARS, clean_label, encode_tags

runs = schema.runs


def _mine(run_id: str, owner: str | None):
    cond = runs.c.id == run_id
    return cond if owner is None else and_(cond, runs.c.owner == owner)


def rename(conn: Connection, run_id: str, label: str, owner: str | None) -> bool:
    label = clean_label(label)
    if not label:
        raise ValueError("a run's name cannot be empty")
    return conn.execute(update(runs).where(_mine(run_id, owner)).values(label=label)).rowcount > 0


def set_tags(conn: Connection, run_id: str, tags, owner: str | None) -> bool:
    return conn.execute(update(runs).where(_mine(run_id, owner))
                        .values(tags=encode_tags(tags))).rowcount > 0


def set_notes(conn: Connection, run_id: str, notes: str, owner: str | None) -> bool:
    return conn.execute(update(runs).where(_mine(run_id, owner))
                        .values(notes=str(notes)[:MAX_NOTES_CHARS])).rowcount > 0


def delete_runs(conn: Connection, ids: list[str], owner: str | None) -> int:
    """Delete runs (and their points, events, weights) that ``owner`` may delete."""
    cond = runs.c.id.in_(list(ids))
    if owner is not None:
        cond = and_(cond, runs.c.owner == owner)
    allowed = [r for (r,) in conn.execute(runs.select().with_only_columns(runs.c.id).where(cond))]
    if not allowed:
        return 0
    for table in (schema.points, schema.events, schema.weights):
        conn.execute(delete(table).where(table.c.run_id.in_(allowed)))
    conn.execute(delete(runs).where(runs.c.id.in_(allowed)))
    return len(allowed)
