"""What goes into the store and what comes out: a new run, a stored run's row.

A :class:`NewRun` is a whole run handed over at once (a sweep curve, a lesson's
evidence); live runs are written point by point by the writer instead. A
:class:`StoredRun` is one row of the ``runs`` table as pages read it.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

MAX_TAGS = 20
MAX_TAG_CHARS = 40
MAX_LABEL_CHARS = 200
MAX_NOTES_CHARS = 5000


def clean_tags(tags) -> tuple[str, ...]:
    """Tags as stored: trimmed, no '|' (the separator), short, unique, at most 20."""
    out: list[str] = []
    for raw in tags or ():
        tag = " ".join(str(raw).replace("|", "/").split())[:MAX_TAG_CHARS]
        if tag and tag not in out:
            out.append(tag)
    return tuple(out[:MAX_TAGS])


def encode_tags(tags) -> str:
    tags = clean_tags(tags)
    return "|" + "|".join(tags) + "|" if tags else ""


def decode_tags(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split("|") if t)


def clean_label(label: str) -> str:
    return " ".join(str(label).split())[:MAX_LABEL_CHARS]


def finite_or_none(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def config_columns(config: dict) -> dict:
    """The config fields the table filters and sorts by, as columns."""
    return {"dataset": str(config.get("dataset", ""))[:32],
            "optimizer": str(config.get("optimizer", ""))[:32],
            "lr": finite_or_none(config.get("lr")),
            "batch_size": config.get("batch_size")}


@dataclass
class NewRun:
    """A whole run to store in one go (sweep and search trials, lesson evidence)."""

    id: str
    owner: str
    kind: str                              # "sweep" | "lesson" | "search" | ...
    label: str
    config: dict
    status: str = "finished"
    message: str = ""
    group_id: str | None = None
    tags: tuple = ()
    hidden: bool = False
    created: float = field(default_factory=time.time)
    ended: float | None = None
    points: dict[str, tuple[list, list]] = field(default_factory=dict)  # series -> (steps, values)
    events: list[tuple[int, str, str]] = field(default_factory=list)    # (step, kind, detail)
    metrics: dict[str, float | None] = field(default_factory=dict)      # final_loss, ...

    def row(self, writer_id: str) -> dict:
        steps = [s for st, _ in self.points.values() for s in st]
        return {"id": self.id, "owner": self.owner, "kind": self.kind,
                "group_id": self.group_id, "parent_id": None, "writer_id": writer_id,
                "label": clean_label(self.label), "tags": encode_tags(self.tags),
                "notes": "", "hidden": self.hidden, "status": self.status,
                "message": self.message[:2000], "created": self.created,
                "ended": self.ended if self.ended is not None else self.created,
                "step": int(max(steps)) if steps else 0,
                "total_steps": int(max(steps)) if steps else 0, "steps_per_epoch": 1,
                "stride": 1, "config": json.dumps(self.config, sort_keys=True),
                "n_points": sum(len(st) for st, _ in self.points.values()),
                **config_columns(self.config),
                **{k: finite_or_none(self.metrics.get(k)) for k in METRICS}}


METRICS = ("final_loss", "final_val_loss", "final_val_acc", "best_val_loss", "best_val_acc",
           "test_acc", "final_val_rmse", "best_val_rmse", "final_val_r2", "best_val_r2")


@dataclass(frozen=True)
class StoredRun:
    """One stored run as the Runs page lists it."""

    id: str
    owner: str
    kind: str
    group_id: str | None
    parent_id: str | None
    label: str
    tags: tuple[str, ...]
    notes: str
    hidden: bool
    status: str
    message: str
    created: float
    ended: float | None
    step: int
    total_steps: int
    steps_per_epoch: int
    stride: int
    dataset: str
    optimizer: str
    lr: float | None
    batch_size: int | None
    final_loss: float | None
    final_val_loss: float | None
    final_val_acc: float | None
    best_val_loss: float | None
    best_val_acc: float | None
    test_acc: float | None
    n_points: int
    config_json: str = field(default="", repr=False)
    # a regression run's validation RMSE (target units) and R² (None for classification)
    final_val_rmse: float | None = None
    best_val_rmse: float | None = None
    final_val_r2: float | None = None
    best_val_r2: float | None = None

    @property
    def is_regression(self) -> bool:
        return self.final_val_rmse is not None or self.best_val_r2 is not None

    @property
    def config(self) -> dict[str, Any]:
        try:
            value = json.loads(self.config_json) if self.config_json else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    @property
    def live(self) -> bool:
        return self.status in ("queued", "running", "paused")

    @classmethod
    def from_row(cls, row) -> "StoredRun":
        m = row._mapping
        return cls(id=m["id"], owner=m["owner"], kind=m["kind"], group_id=m["group_id"],
                   parent_id=m["parent_id"], label=m["label"], tags=decode_tags(m["tags"]),
                   notes=m["notes"] or "", hidden=bool(m["hidden"]), status=m["status"],
                   message=m["message"] or "", created=m["created"], ended=m["ended"],
                   step=m["step"] or 0, total_steps=m["total_steps"] or 0,
                   steps_per_epoch=m["steps_per_epoch"] or 1, stride=m["stride"] or 1,
                   dataset=m["dataset"], optimizer=m["optimizer"], lr=m["lr"],
                   batch_size=m["batch_size"], final_loss=m["final_loss"],
                   final_val_loss=m["final_val_loss"], final_val_acc=m["final_val_acc"],
                   best_val_loss=m["best_val_loss"], best_val_acc=m["best_val_acc"],
                   test_acc=m["test_acc"], n_points=m["n_points"] or 0,
                   config_json=m.get("config", "") or "",
                   **{k: m.get(k) for k in ("final_val_rmse", "best_val_rmse", "final_val_r2",
                                            "best_val_r2")})
