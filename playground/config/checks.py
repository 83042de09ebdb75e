"""The rules a setup must satisfy, field by field; every broken rule is reported.

``validate`` never raises: it returns every problem at once, each naming its field, so
the sidebar can show each message next to the control that caused it.
"""
from __future__ import annotations

import math

from .choices import (ACTIVATIONS, INITS, LENGTH_UNITS, MAX_SEED, MAX_STEPS, OPTIMIZERS,
                      REGRESSION_LOSSES, SCHEDULERS)
from .errors import ConfigError
from .parse import format_value, int_text


def validate(config) -> list[ConfigError]:
    """Every problem with this config, one entry per bad field."""
    from playground.data import DATASETS  # local: data imports config for typing

    errs: list[ConfigError] = []

    def bad(name: str, reason: str) -> None:
        errs.append(ConfigError(name, reason))

    def number(name: str, lo: float | None = None, hi: float | None = None,
               lo_open: bool = False, hi_open: bool = False) -> bool:
        v = getattr(config, name)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            bad(name, f"must be a number, got {v!r}")
            return False
        if not math.isfinite(v):
            bad(name, f"must be finite, got {v}")
            return False
        lo_ok = lo is None or (v > lo if lo_open else v >= lo)
        hi_ok = hi is None or (v < hi if hi_open else v <= hi)
        if not (lo_ok and hi_ok):
            left = "(" if lo_open else "["
            right = ")" if hi_open else "]"
            lo_s = "-∞" if lo is None else format_value(lo)
            hi_s = "∞" if hi is None else format_value(hi)
            bad(name, f"must be in {left}{lo_s}, {hi_s}{right}, got {format_value(v)}")
            return False
        return True

    def integer(name: str, lo: int, hi: int) -> bool:
        v = getattr(config, name)
        if isinstance(v, bool) or not isinstance(v, int):
            bad(name, f"must be a whole number, got {v!r}")
            return False
        if not lo <= v <= hi:
            bad(name, f"must be between {lo:,} and {hi:,}, got {int_text(v)}")
            return False
        return True

    def choice(name: str, options) -> bool:
        v = getattr(config, name)
        if v not in options:
            bad(name, f"unknown value {v!r}; choose one of {', '.join(options)}")
            return False
        return True

    dataset_ok = choice("dataset", tuple(DATASETS))
    integer("n_samples", 50, 100_000)
    number("noise", 0.0, 1.0)
    integer("classes", 2, 5)
    fr_ok = number("val_fraction", 0.05, 0.5) & number("test_fraction", 0.0, 0.5)
    if fr_ok and config.val_fraction + config.test_fraction > 0.8:
        bad("test_fraction", "validation + test fractions leave less than 20% to train on")
    from playground.models.features import problems as feature_problems

    if not isinstance(config.features, str):
        bad("features", f"must be text such as 'x1,x2', got {config.features!r}")
    elif (why := feature_problems(config.features)) is not None:
        bad("features", why)
    integer("hidden_layers", 0, 8)
    integer("width", 1, 1024)
    choice("activation", ACTIVATIONS)
    number("dropout", 0.0, 1.0, hi_open=True)
    choice("init", tuple(INITS))
    number("init_std", 0.0, 100.0, lo_open=True)
    integer("embed_dim", 1, 256)
    integer("context", 1, 16)
    choice("optimizer", tuple(OPTIMIZERS))
    number("lr", 0.0, 1e4, lo_open=True)
    number("momentum", 0.0, 1.0, hi_open=True)
    number("beta1", 0.0, 1.0, hi_open=True)
    number("beta2", 0.0, 1.0, hi_open=True)
    number("alpha", 0.0, 1.0, hi_open=True)
    number("eps", 0.0, 1.0, lo_open=True)
    number("weight_decay", 0.0, 10.0)
    number("rmsprop_momentum", 0.0, 1.0, hi_open=True)
    number("adamw_decay", 0.0, 10.0)
    # The training-set size comes from the data fields: judged only when all of
    # them are valid, so no message quotes a size computed from a bad value.
    sizes_ok = dataset_ok and not any(
        e.field in ("n_samples", "classes", "val_fraction", "test_fraction", "context")
        for e in errs)
    if integer("batch_size", 0, 1_000_000) and sizes_ok:
        try:
            n_train = DATASETS[config.dataset].train_size(config)
        except Exception:  # sizes are reported by their own fields
            n_train = None
        if n_train and n_train > 0 and config.batch_size > n_train:
            bad("batch_size", f"is {config.batch_size:,} but the training set has only "
                f"{n_train:,} examples (use 0 for full batch)")
    choice("length_unit", LENGTH_UNITS)
    integer("length", 1, MAX_STEPS)
    choice("scheduler", tuple(SCHEDULERS))
    integer("step_size", 1, MAX_STEPS)
    number("gamma", 0.0, 1.0, lo_open=True)
    number("clip", 0.0, 1e6)
    integer("seed", 0, MAX_SEED)
    integer("eval_every", 1, MAX_STEPS)
    if dataset_ok and config.dataset == "table" and sizes_ok:
        errs.extend(table_checks(config))
    if dataset_ok:
        errs.extend(DATASETS[config.dataset].check(config))
    drawn_checks(number)
    errs.extend(regression_problems(config))
    return errs


def regression_problems(config) -> list[ConfigError]:
    """The regression loss fields (read by regression tasks only, checked always so a
    link with a bad value is told, whatever its dataset)."""
    errs = []
    if config.regression_loss not in REGRESSION_LOSSES:
        errs.append(ConfigError("regression_loss", f"unknown value {config.regression_loss!r}; "
                                f"choose one of {', '.join(REGRESSION_LOSSES)}"))
    d = config.huber_delta
    if isinstance(d, bool) or not isinstance(d, (int, float)) or not math.isfinite(d):
        errs.append(ConfigError("huber_delta", f"must be a finite number, got {d!r}"))
    elif not 0 < d <= 100:
        errs.append(ConfigError("huber_delta", f"must be in (0, 100], got {format_value(d)}"))
    return errs


def table_checks(config) -> list[ConfigError]:
    """"Your table": the fields' form, then the table itself (read, prepared, cached),
    each problem named with the field it belongs to (issue #18, part TAB)."""
    from playground.data import tables

    errs: list[ConfigError] = []
    for name in ("table", "label_column", "feature_columns", "table_task"):
        if not isinstance(getattr(config, name), str):
            errs.append(ConfigError(name, f"must be text, got {getattr(config, name)!r}"))
    if config.drop_missing not in (0, 1) or isinstance(config.drop_missing, bool):
        errs.append(ConfigError("drop_missing", f"must be 0 or 1, got {config.drop_missing!r}"))
    if isinstance(config.table_task, str) and config.table_task not in tables.TASKS:
        errs.append(ConfigError("table_task", f"unknown value {config.table_task!r}; choose "
                                f"one of {', '.join(tables.TASKS)}"))
    if errs:
        return errs
    try:
        tables.prepared(config)
    except tables.TableProblem as exc:
        errs.append(ConfigError(exc.field, str(exc)))
    return errs


def drawn_checks(number) -> None:
    """Your own data, drawn points: the label noise (any 2D set; ``number`` reports a
    value out of range). The points are checked by the "draw" dataset, which reads them."""
    number("label_noise", 0.0, 0.5)
