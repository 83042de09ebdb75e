"""Stored runs out of the app: a table (CSV), everything (JSON), TensorBoard event files.

TensorBoard files are written with ``torch.utils.tensorboard`` (the ``tensorboard``
package), one folder per run named after it, zipped: ``unzip runs.zip && tensorboard
--logdir runs`` shows every point (start TensorBoard with ``--samples_per_plugin
scalars=0`` to keep them all; it keeps 1,000 a series by default).
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
import tempfile
import zipfile
from pathlib import Path

from playground.store.rows import StoredRun

TABLE_COLUMNS = ("id", "label", "kind", "status", "dataset", "optimizer", "lr", "batch_size",
                 "step", "total_steps", "final_loss", "final_val_loss", "final_val_acc",
                 "best_val_loss", "best_val_acc", "test_acc", "final_val_rmse",
                 "best_val_rmse", "final_val_r2", "best_val_r2", "tags", "notes", "group_id",
                 "parent_id", "created", "ended", "message")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.8g}"
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    return str(value)


def _safe_cell(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: a hostile run name
    must stay text (OWASP's CSV injection advice: prefix a quote)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(
        text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def runs_csv(runs: list[StoredRun]) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(TABLE_COLUMNS)
    for r in runs:
        w.writerow([_safe_cell(_cell(getattr(r, c))) for c in TABLE_COLUMNS])
    return out.getvalue()


def points_csv(runs: list[StoredRun], points: dict) -> str:
    """Every stored point, long form: run, label, series, step, value."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(("run", "label", "series", "step", "value"))
    for r in runs:
        for series, (steps, values) in sorted(points.get(r.id, {}).items()):
            for s, v in zip(steps, values):
                w.writerow((r.id, _safe_cell(r.label), series, s, _cell(float(v))))
    return out.getvalue()


def _json_value(v):
    return None if isinstance(v, float) and not math.isfinite(v) else v


def runs_json(runs: list[StoredRun], points: dict, events: dict) -> str:
    """Each run: its row, its config, its events and every point (null = NaN)."""
    items = []
    for r in runs:
        row = {c: _json_value(getattr(r, c)) for c in TABLE_COLUMNS}
        row["tags"] = list(r.tags)
        row["config"] = r.config
        row["events"] = events.get(r.id, [])
        row["points"] = {s: {"step": list(st), "value": [_json_value(float(v)) for v in vs]}
                         for s, (st, vs) in points.get(r.id, {}).items()}
        items.append(row)
    return json.dumps({"runs": items}, indent=1)


def _folder_name(run: StoredRun) -> str:
    name = re.sub(r"[^A-Za-z0-9_.=-]+", "_", run.label).strip("._")[:60] or "run"
    return f"{name}-{run.id}"


TB_TAGS = {"loss": "train/loss", "loss_min": "train/loss_min", "loss_max": "train/loss_max",
           "lr": "train/learning_rate", "val_loss": "validation/loss",
           "val_acc": "validation/accuracy", "val_rmse": "validation/rmse",
           "val_r2": "validation/r2"}


def tensorboard_zip(runs: list[StoredRun], points: dict) -> bytes:
    """A zip of TensorBoard event files, one folder per run."""
    from torch.utils.tensorboard import SummaryWriter   # needs the tensorboard package

    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "runs"
        for r in runs:
            writer = SummaryWriter(log_dir=str(root / _folder_name(r)))
            try:
                writer.add_text("config", "```\n" + json.dumps(r.config, indent=1,
                                                              sort_keys=True) + "\n```", 0)
                for series, (steps, values) in sorted(points.get(r.id, {}).items()):
                    tag = TB_TAGS.get(series, series)
                    for s, v in zip(steps, values):
                        if math.isfinite(v):
                            writer.add_scalar(tag, float(v), int(s), walltime=r.created + s * 1e-3)
            finally:
                writer.close()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    z.write(path, path.relative_to(Path(tmp)).as_posix())
    return buf.getvalue()
