"""The label column: classification or regression, its classes, and its balance.

"auto" makes a numeric label with many distinct values a regression target (house
prices, disease progression) and anything else classes (species, 0/1 outcomes).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .problems import TableProblem, listed, quoted

TASKS = ("auto", "classification", "regression")
REGRESSION_FROM = 20        # auto: a numeric label with more distinct values is a target
MAX_CLASSES = 50            # more classes than this is not a classroom table


def decide_task(label: pd.Series, name: str, task: str) -> str:
    numeric = pd.api.types.is_float_dtype(label.dtype)
    if task == "regression":
        if not numeric:
            sample = listed([quoted(v, 20) for v in label.dropna().unique()[:3]], 3)
            raise TableProblem(
                f"the label {quoted(name)} is text ({sample}, …): regression needs a numeric "
                "label. Choose classification, or a numeric column as the label.",
                "table_task")
        return "regression"
    if task == "classification":
        return "classification"
    return ("regression" if numeric and label.nunique() > REGRESSION_FROM
            else "classification")


def class_values(label: pd.Series, name: str) -> list:
    """The classes in a stable order: numbers ascending, text alphabetically."""
    values = sorted(label.dropna().unique().tolist())
    if len(values) < 2:
        only = quoted(_text(values[0])) if values else "none"
        raise TableProblem(f"the label {quoted(name)} has one class only ({only}): a "
                           "classifier needs at least two. Choose another label column.",
                           "label_column")
    if len(values) > MAX_CLASSES:
        hint = (" Choose regression for a numeric target." if
                pd.api.types.is_float_dtype(label.dtype) else "")
        raise TableProblem(f"the label {quoted(name)} has {len(values):,} distinct values; "
                           f"at most {MAX_CLASSES} classes can be learned here.{hint}",
                           "label_column")
    return values


def class_names(values: list) -> list[str]:
    """How the classes are shown: as the file wrote them, except that < and > become
    ‹ › (chart labels read a few HTML tags; a class called <a href=…> stays text)."""
    return [_text(v).replace("<", "‹").replace(">", "›") for v in values]


def encode_classes(label: pd.Series, values: list) -> np.ndarray:
    index = {v: i for i, v in enumerate(values)}
    return label.map(index).to_numpy(dtype=np.int64)


def class_balance(y: np.ndarray, names: list[str]) -> dict[str, int]:
    """Examples per class, in class order (for a bar chart)."""
    counts = np.bincount(y, minlength=len(names))
    return {n: int(c) for n, c in zip(names, counts)}


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))            # 1.0 → "1": how the file wrote it
    return str(value)
