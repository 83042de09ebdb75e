"""The run store's tables (SQLAlchemy Core) and how a database is brought up to date.

Tables:

- ``runs``: one row per run of any kind (train, compare member, sweep or search trial,
  lesson evidence): who started it (a random session id), its label, tags, notes,
  status, times, its config as JSON plus the columns people filter and sort by
  (dataset, optimizer, learning rate, final and best metrics).
- ``points``: every recorded value, one row per (run, series, step). Series are
  ``loss`` (minibatch loss; the mean of a bucket once a run is longer than the cap),
  ``loss_min``/``loss_max`` (the bucket's extremes, only then), ``lr`` (written when
  it changes), ``val_loss``/``val_acc`` (a regression run: ``val_loss``/``val_rmse``/
  ``val_r2``, RMSE in the target's units), and a lesson's or sweep's own series names.
  SQLite keeps it as a WITHOUT ROWID table clustered on that key: about 30 bytes a
  point and one range scan per run and series.
- ``events``: what was done to a run while it trained (LR changes, pause, resume,
  single steps, stop, divergence, the end).
- ``weights``: a run's final state dict, as safetensors bytes (tensors only: loading
  never unpickles anything).
- ``writers``: each app process writing to the store, with a heartbeat, so a process
  that starts can tell runs left live by a dead one (interrupted) from runs another
  live replica is still training.
- ``schema_version``: one row, the version of this layout.

Migration path: ``SCHEMA_VERSION`` is the layout this code writes. A new database gets
every table and that version. An older one is upgraded by running ``MIGRATIONS[v]``
(a function of a connection taking version ``v`` to ``v + 1``) for each version in
turn, inside one transaction, then the row is updated. A database written by a newer
version is left untouched and the store reports it as unusable (it will not guess).
To change the layout: bump ``SCHEMA_VERSION``, edit the tables below, and add the
step that brings version ``SCHEMA_VERSION - 1`` there (``ALTER TABLE … ADD COLUMN``,
a backfill); the store's tests open a database of every older version.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import (Boolean, Column, Float, Index, Integer, LargeBinary, MetaData,
                        String, Table, Text, insert, inspect, select, update)
from sqlalchemy.engine import Connection

SCHEMA_VERSION = 2

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, nullable=False),
)

runs = Table(
    "runs", metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(64), nullable=False, default=""),
    Column("kind", String(16), nullable=False, default="train"),  # train|compare|sweep|lesson
    Column("group_id", String(32)),            # comparison, sweep or lesson it belongs to
    Column("parent_id", String(32)),           # the stored run it continued from
    Column("writer_id", String(32)),           # the process that recorded it
    Column("label", String(200), nullable=False, default=""),
    Column("tags", String(1000), nullable=False, default=""),     # "|tag|other|"
    Column("notes", Text, nullable=False, default=""),
    Column("hidden", Boolean, nullable=False, default=False),     # lesson evidence
    Column("status", String(16), nullable=False),
    Column("message", Text, nullable=False, default=""),
    Column("created", Float, nullable=False),  # unix seconds
    Column("ended", Float),
    Column("step", Integer, nullable=False, default=0),          # last step written
    Column("total_steps", Integer, nullable=False, default=0),
    Column("steps_per_epoch", Integer, nullable=False, default=1),
    Column("stride", Integer, nullable=False, default=1),        # steps per stored point
    Column("config", Text, nullable=False),    # RunConfig.to_dict() as JSON
    Column("dataset", String(32), nullable=False, default=""),
    Column("optimizer", String(32), nullable=False, default=""),
    Column("lr", Float),
    Column("batch_size", Integer),
    Column("final_loss", Float),
    Column("final_val_loss", Float),
    Column("final_val_acc", Float),
    Column("best_val_loss", Float),
    Column("best_val_acc", Float),
    Column("test_acc", Float),
    Column("n_points", Integer, nullable=False, default=0),
    # v2: a regression run's validation RMSE (in the target's units) and R²
    *(Column(name, Float) for name in ("final_val_rmse", "best_val_rmse", "final_val_r2",
                                       "best_val_r2")),
)
Index("runs_by_owner", runs.c.owner, runs.c.created)
Index("runs_by_created", runs.c.created)
Index("runs_by_status", runs.c.status)

points = Table(
    "points", metadata,
    Column("run_id", String(32), primary_key=True),
    Column("series", String(64), primary_key=True),
    Column("step", Integer, primary_key=True, autoincrement=False),
    Column("value", Float),                    # NULL = not a number (SQLite stores NaN so)
    sqlite_with_rowid=False,
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), nullable=False, index=True),
    Column("step", Integer, nullable=False),
    Column("time", Float, nullable=False),
    Column("kind", String(16), nullable=False),  # lr|pause|resume|step|stop|diverged|end
    Column("detail", Text, nullable=False, default=""),
)

weights = Table(
    "weights", metadata,
    Column("run_id", String(32), primary_key=True),
    Column("step", Integer, nullable=False),
    Column("format", String(16), nullable=False),   # "safetensors"
    Column("nbytes", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

writers = Table(
    "writers", metadata,
    Column("id", String(32), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started", Float, nullable=False),
    Column("heartbeat", Float, nullable=False),
)

REGRESSION_COLUMNS = ("final_val_rmse", "best_val_rmse", "final_val_r2", "best_val_r2")


def _add_regression_columns(conn: Connection) -> None:
    """v1 → v2: the regression metric columns (NULL for every run stored before)."""
    for name in REGRESSION_COLUMNS:
        conn.exec_driver_sql(f"ALTER TABLE runs ADD COLUMN {name} FLOAT")


# version v -> the function that takes a database from v to v + 1
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _add_regression_columns}


class SchemaError(RuntimeError):
    """The database's layout is not one this code can use (newer, or unknown)."""


def stored_version(conn: Connection) -> int | None:
    """The database's layout version, or None for an empty database."""
    if not inspect(conn).has_table("schema_version"):
        return None
    return conn.execute(select(schema_version.c.version)).scalar()


def upgrade(conn: Connection) -> int:
    """Create or migrate the tables (inside the caller's transaction); the version."""
    version = stored_version(conn)
    if version is None:
        if inspect(conn).has_table("runs"):
            raise SchemaError("the database has a runs table but no schema_version row: "
                              "it was not made by this app")
        metadata.create_all(conn)
        conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
        return SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise SchemaError(f"the database was written by a newer version of the app (schema "
                          f"{version}; this one knows up to {SCHEMA_VERSION})")
    if version == SCHEMA_VERSION:
        return version                 # nothing to write (a read-only file opens fine)
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise SchemaError(f"no migration from schema {version} to {version + 1}")
        step(conn)
        version += 1
    conn.execute(update(schema_version).values(version=version))
    metadata.create_all(conn)          # tables a migration introduced without creating
    return version
