"""A table → model inputs and targets: the label and features chosen, missing rows
reported (or dropped on request), the rows split with the app's seeded split, features
standardised / one-hot encoded from the training split only, and the label checked."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..base import split_indices
from .encode import encode, standardised_target
from .labels import class_balance, class_names, class_values, decide_task, encode_classes
from .missing import MissingReport, missing_report
from .problems import TableProblem, listed, quoted
from .table import Table

MIN_ROWS = 20               # fewer cannot be split into training, validation and test


@dataclass(frozen=True)
class Setup:
    """What the user chose (the RunConfig's table fields)."""

    label: str = ""                   # "" = the table's default label
    features: tuple[str, ...] = ()    # () = every column but the label
    drop_missing: bool = False
    task: str = "auto"                # "auto" | "classification" | "regression"

    @classmethod
    def from_config(cls, config) -> "Setup":
        features = tuple(f.strip() for f in config.feature_columns.split(",") if f.strip())
        return cls(config.label_column.strip(), features, bool(config.drop_missing),
                   config.table_task)


@dataclass(frozen=True, eq=False)
class Prepared:
    table: Table
    task: str                         # "classification" | "regression"
    label: str
    features: list[str]               # the table's columns used as inputs
    x: np.ndarray                     # [rows, inputs] float32, scaled
    y: np.ndarray                     # [rows] int64 classes, or float32 standardised
    input_names: list[str]            # one per input column of x
    class_names: list[str]            # the classes, or [label] for regression
    splits: tuple                     # (train, val, test) row indices into x
    missing: MissingReport
    scaling: dict                     # numeric feature -> (train mean, train std)
    categories: dict                  # text feature -> its one-hot categories
    balance: dict | None = None       # class -> rows (classification)
    target_mean: float = 0.0          # regression: the label's training mean / std
    target_std: float = 1.0
    notes: tuple[str, ...] = ()


def columns_used(table: Table, setup: Setup) -> tuple[str, list[str]]:
    """The label and feature columns, or the problem naming the unknown one."""
    label = setup.label or table.default_label
    if label not in table.frame.columns:
        raise TableProblem(f"there is no column {quoted(label)}; the columns are "
                           f"{listed([quoted(c) for c in table.columns], 8)}", "label_column")
    if setup.features:
        unknown = [f for f in setup.features if f not in table.frame.columns]
        with_comma = [quoted(c) for c in table.columns if "," in c]
        if unknown and with_comma:
            raise TableProblem(f"column names with a comma ({listed(with_comma)}) cannot be "
                               "listed as features (the list is comma separated): rename "
                               "them in the file, or use every column", "feature_columns")
        if unknown:
            raise TableProblem(f"no column named {listed([quoted(u) for u in unknown])}; the "
                               f"columns are {listed([quoted(c) for c in table.columns], 8)}",
                               "feature_columns")
        if label in setup.features:
            raise TableProblem(f"the label {quoted(label)} cannot also be a feature",
                               "feature_columns")
        features = list(dict.fromkeys(setup.features))
    else:
        features = [c for c in table.columns if c != label]
    return label, features


def prepare(table: Table, setup: Setup, val_fraction: float, test_fraction: float,
            seed: int) -> Prepared:
    label, features = columns_used(table, setup)
    report = missing_report(table, [label] + features)
    frame, notes = table.frame, list(table.notes)
    if report.any:
        if not setup.drop_missing:
            raise TableProblem(report.sentence() + " Drop those rows, or fill the cells in.",
                               "drop_missing")
        keep = frame[[label] + features].notna().all(axis=1).to_numpy()
        frame = frame[keep].reset_index(drop=True)
        notes.append(f"Dropped {len(report.rows):,} rows with missing values "
                     f"(rows {listed(report.rows, 8)}).")
    n = len(frame)
    if n < MIN_ROWS:
        after = " after dropping rows with missing values" if report.any else ""
        raise TableProblem(f"only {n:,} rows{after}: at least {MIN_ROWS} are needed to split "
                           "into training, validation and test sets", "table")
    task = decide_task(frame[label], label, setup.task)
    tr, va, te = (t.numpy() for t in split_indices(n, val_fraction, test_fraction, seed))
    extra: dict = {}
    if task == "classification":
        values = class_values(frame[label], label)
        names = class_names(values)
        y = encode_classes(frame[label], values)
        extra["balance"] = class_balance(y, names)
    else:
        y, mean, std = standardised_target(frame[label].to_numpy(np.float64), tr)
        names = [label]
        extra.update(target_mean=mean, target_std=std)
    enc = encode(frame, features, tr, chosen=bool(setup.features))
    notes += enc.notes
    if enc.scaling:
        notes.append(f"Numeric features are standardised with the training split's mean and "
                     f"standard deviation ({len(tr):,} rows); validation and test rows use "
                     "the same numbers.")
    if task == "regression":
        notes.append(f"Regression on {quoted(label)}: the target is standardised the same way "
                     f"(mean {extra['target_mean']:.4g}, std {extra['target_std']:.4g}).")
    used = [f for f in features if f not in enc.left_out]
    return Prepared(table=table, task=task, label=label, features=used, x=enc.x, y=y,
                    input_names=enc.names, class_names=names, splits=(tr, va, te),
                    missing=report, scaling=enc.scaling, categories=enc.categories,
                    notes=tuple(notes), **extra)
