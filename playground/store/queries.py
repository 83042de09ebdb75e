"""Reading the store: the Runs page's table, overlay curves, a run's events and weights.

Every value a person typed (search text, tags, names) reaches the database only as a
bound parameter; sort keys are looked up in :data:`SORTABLE`, never pasted into SQL.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from playground.store import schema
from playground.store.rows import StoredRun, clean_tags
from playground.store.series import downsample

runs = schema.runs
SORTABLE = {"created": runs.c.created, "ended": runs.c.ended, "label": runs.c.label,
            "status": runs.c.status, "step": runs.c.step, "lr": runs.c.lr,
            "final_loss": runs.c.final_loss, "final_val_loss": runs.c.final_val_loss,
            "final_val_acc": runs.c.final_val_acc, "best_val_loss": runs.c.best_val_loss,
            "best_val_acc": runs.c.best_val_acc, "test_acc": runs.c.test_acc,
            "dataset": runs.c.dataset, "optimizer": runs.c.optimizer,
            **{name: runs.c[name] for name in schema.REGRESSION_COLUMNS}}
LIST_COLUMNS = [c for c in runs.c if c.name not in ("config", "writer_id")]
MAX_LIST = 5000


@dataclass(frozen=True)
class RunFilter:
    """What the Runs page asks for; empty tuples mean "any"."""

    owner: str | None = None             # None: every session's runs (a teacher's view)
    datasets: tuple[str, ...] = ()
    optimizers: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    tag: str = ""
    search: str = ""                     # in label, notes, tags and config
    since: float | None = None           # unix seconds, inclusive
    until: float | None = None           # unix seconds, exclusive
    include_hidden: bool = False         # lesson evidence
    sort: str = "created"
    descending: bool = True
    limit: int = MAX_LIST

    def where(self):
        conds = []
        if self.owner is not None:
            conds.append(runs.c.owner == self.owner)
        for column, values in ((runs.c.dataset, self.datasets), (runs.c.optimizer,
                                self.optimizers), (runs.c.status, self.statuses),
                               (runs.c.kind, self.kinds)):
            if values:
                conds.append(column.in_(list(values)))
        tag = clean_tags([self.tag])
        if tag:
            conds.append(runs.c.tags.contains(f"|{tag[0]}|", autoescape=True))
        text = self.search.strip()[:200]
        if text:
            # As typed, or in any case: SQLite's lower() folds only ASCII letters, so
            # "Ā" is found as typed and "ADAM" as "adam".
            columns = (runs.c.label, runs.c.notes, runs.c.tags, runs.c.config, runs.c.id)
            conds.append(or_(*(c.contains(text, autoescape=True) for c in columns),
                             *(func.lower(c).contains(text.lower(), autoescape=True)
                               for c in columns)))
        if self.since is not None:
            conds.append(runs.c.created >= self.since)
        if self.until is not None:
            conds.append(runs.c.created < self.until)
        if not self.include_hidden:
            conds.append(runs.c.hidden.is_(False))
        return and_(*conds) if conds else None


def list_runs(conn: Connection, f: RunFilter) -> list[StoredRun]:
    if f.sort not in SORTABLE:
        raise ValueError(f"cannot sort by {f.sort!r}; choose one of {', '.join(SORTABLE)}")
    column = SORTABLE[f.sort]
    order = column.desc() if f.descending else column.asc()
    query = select(*LIST_COLUMNS)
    where = f.where()
    if where is not None:
        query = query.where(where)
    # NULLs (a metric a run never reached) last, whichever the direction.
    query = query.order_by(column.is_(None), order, runs.c.created.desc())
    query = query.limit(max(1, min(int(f.limit), MAX_LIST)))
    return [StoredRun.from_row(r) for r in conn.execute(query)]


def get_runs(conn: Connection, ids: list[str]) -> list[StoredRun]:
    """Runs with their configs, in the order of ``ids`` (missing ones left out)."""
    if not ids:
        return []
    found = {r.id: StoredRun.from_row(r) for r in conn.execute(
        select(runs).where(runs.c.id.in_(list(ids))))}
    return [found[i] for i in ids if i in found]


def facets(conn: Connection, owner: str | None, include_hidden: bool) -> dict[str, list]:
    """The values present (datasets, optimizers, statuses, kinds, tags) for filter menus."""
    where = RunFilter(owner=owner, include_hidden=include_hidden).where()
    out = {}
    for name in ("dataset", "optimizer", "status", "kind"):
        q = select(runs.c[name]).distinct()
        out[name] = sorted(v for (v,) in conn.execute(q.where(where) if where is not None
                                                      else q) if v)
    tags: set[str] = set()
    q = select(runs.c.tags).distinct()
    for (text,) in conn.execute(q.where(where) if where is not None else q):
        tags.update(t for t in (text or "").split("|") if t)
    out["tag"] = sorted(tags)
    return out


def curves(conn: Connection, ids: list[str], max_points: int = 2000) -> dict[str, dict]:
    """Each run's stored points shaped like ``History.view``: ``{"train": {step, epoch,
    loss, loss_min, loss_max, lr}, "eval": {step, epoch, val_loss, val_acc},
    "other": {series: (steps, values)}}``, at most ``max_points`` per series."""
    if not ids:
        return {}
    meta = {r.id: r for r in get_runs(conn, ids)}
    grouped = points_of(conn, list(meta))
    return {i: _shape(grouped[i], meta[i].steps_per_epoch, max_points) for i in ids
            if i in meta}


def points_of(conn: Connection, ids: list[str]) -> dict[str, dict[str, tuple[list, list]]]:
    """Every stored point of each run: ``{run: {series: (steps, values)}}`` (NaN for
    values stored as NULL)."""
    p = schema.points
    rows = conn.execute(select(p.c.run_id, p.c.series, p.c.step, p.c.value)
                        .where(p.c.run_id.in_(list(ids)))
                        .order_by(p.c.run_id, p.c.series, p.c.step)).all()
    grouped: dict[str, dict[str, tuple[list, list]]] = {i: {} for i in ids}
    for run_id, series, step, value in rows:
        steps, values = grouped[run_id].setdefault(series, ([], []))
        steps.append(step)
        values.append(math.nan if value is None else value)
    return grouped


def _shape(series: dict, steps_per_epoch: int, max_points: int) -> dict:
    arrays = {k: (np.asarray(s, float), np.asarray(v, float)) for k, (s, v) in series.items()}
    spe = max(1, steps_per_epoch)
    out = {"train": {}, "eval": {}, "other": {}}
    if "loss" in arrays:
        steps, loss = arrays["loss"]
        lo = arrays.get("loss_min", (steps, loss))[1]
        hi = arrays.get("loss_max", (steps, loss))[1]
        s, mean = downsample(steps, loss, max_points, "mean")
        _, mn = downsample(steps, lo, max_points, "min")
        _, mx = downsample(steps, hi, max_points, "max")
        train = {"step": s, "epoch": s / spe, "loss": mean, "loss_min": mn, "loss_max": mx}
        if "lr" in arrays:                 # written when it changed: carry it forward
            lr_steps, lrs = arrays["lr"]
            at = np.searchsorted(lr_steps, s, side="right") - 1
            train["lr"] = np.where(at >= 0, lrs[np.clip(at, 0, None)], np.nan)
        else:
            train["lr"] = np.full(len(s), np.nan)
        out["train"] = train
    if "val_loss" in arrays:
        steps, vloss = arrays["val_loss"]
        s, vl = downsample(steps, vloss, max_points, "mean")
        acc_steps, acc = arrays.get("val_acc", (steps, np.full(len(steps), np.nan)))
        _, va = downsample(acc_steps, acc, max_points, "mean")
        ev = {"step": s, "epoch": s / spe, "val_loss": vl, "val_acc": va}
        for name in ("val_rmse", "val_r2"):        # a regression run's measures
            if name in arrays:
                ev[name] = downsample(*arrays[name], max_points, "mean")[1]
        n = min(len(v) for v in ev.values())
        out["eval"] = {k: v[:n] for k, v in ev.items()}
    for name, (steps, values) in arrays.items():
        if name not in ("loss", "loss_min", "loss_max", "lr", "val_loss", "val_acc",
                        "val_rmse", "val_r2"):
            out["other"][name] = downsample(steps, values, max_points, "mean")
    return out


def events_of(conn: Connection, run_id: str) -> list[dict]:
    e = schema.events
    return [dict(r._mapping) for r in conn.execute(
        select(e.c.step, e.c.time, e.c.kind, e.c.detail).where(e.c.run_id == run_id)
        .order_by(e.c.time, e.c.id))]


def weights_of(conn: Connection, run_id: str) -> tuple[bytes, int] | None:
    w = schema.weights
    row = conn.execute(select(w.c.data, w.c.step).where(w.c.run_id == run_id)).first()
    return (bytes(row[0]), row[1]) if row else None


def has_weights(conn: Connection, ids: list[str]) -> set[str]:
    w = schema.weights
    return {i for (i,) in conn.execute(select(w.c.run_id).where(w.c.run_id.in_(list(ids))))}


def counts(conn: Connection) -> tuple[int, int]:
    """(runs, points) in the whole store."""
    n_runs = conn.execute(select(func.count()).select_from(runs)).scalar() or 0
    n_points = conn.execute(select(func.coalesce(func.sum(runs.c.n_points), 0))).scalar() or 0
    return int(n_runs), int(n_points)
