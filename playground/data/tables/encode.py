"""Features as numbers: numeric columns standardised with the training split's mean and
standard deviation (validation and test rows never move them), text columns one-hot
encoded with the training split's categories, up to a cap."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .problems import TableProblem, listed, quoted

MAX_CATEGORIES = 20          # one-hot columns per text feature; more reads as an id


@dataclass(frozen=True)
class Encoded:
    x: np.ndarray                  # [rows, n_features] float32
    names: list[str]               # one per input: "age", "sex=male", ...
    scaling: dict                  # numeric column -> (train mean, train std)
    categories: dict               # text column -> its categories (training split)
    left_out: tuple[str, ...]      # text columns over the cap, not used
    notes: tuple[str, ...]


def over_cap(frame: pd.DataFrame, columns: list[str]) -> list[tuple[str, int]]:
    return [(c, int(frame[c].nunique())) for c in columns
            if not pd.api.types.is_float_dtype(frame[c].dtype)
            and frame[c].nunique() > MAX_CATEGORIES]


def encode(frame: pd.DataFrame, columns: list[str], train: np.ndarray,
           chosen: bool) -> Encoded:
    """``train``: row indices of the training split. ``chosen``: the user listed the
    columns (one over the cap is then an error naming it; otherwise it is left out)."""
    wide = over_cap(frame, columns)
    notes: list[str] = []
    if wide:
        text = ", ".join(f"{quoted(c)} ({n:,} values)" for c, n in wide)
        if chosen:
            raise TableProblem(f"text feature(s) with more than {MAX_CATEGORIES} different "
                               f"values cannot be one-hot encoded here: {text}. Leave them "
                               "out of the features.", "feature_columns")
        notes.append(f"Left out (text with more than {MAX_CATEGORIES} different values, "
                     f"like an id or free text): {text}.")
    skip = {c for c, _ in wide}
    parts, names, scaling, categories = [], [], {}, {}
    for c in columns:
        if c in skip:
            continue
        col = frame[c]
        if pd.api.types.is_float_dtype(col.dtype):
            values = col.to_numpy(dtype=np.float64)
            mean, std = float(values[train].mean()), float(values[train].std())
            if not std > 0:
                notes.append(f"{quoted(c)} is constant in the training split; it is "
                             "centred, not scaled.")
                std = 1.0
            parts.append(((values - mean) / std)[:, None])
            names.append(c)
            scaling[c] = (mean, std)
        else:
            cats = sorted(col.iloc[train].dropna().unique().tolist())
            categories[c] = cats
            parts.append(np.stack([(col == v).to_numpy(dtype=np.float64) for v in cats], 1)
                         if cats else np.zeros((len(col), 0)))
            names += [f"{c}={v}" for v in cats]
    if not names:
        raise TableProblem("no usable feature columns are left"
                           + (f" (left out: {listed(sorted(skip))})" if skip else ""),
                           "feature_columns")
    x = np.concatenate(parts, axis=1).astype(np.float32)
    return Encoded(x, names, scaling, categories, tuple(c for c, _ in wide), tuple(notes))


def standardised_target(values: np.ndarray, train: np.ndarray) -> tuple[np.ndarray, float, float]:
    mean, std = float(values[train].mean()), float(values[train].std())
    if not std > 0:
        raise TableProblem("the label is the same number in every training row: there is "
                           "nothing to predict. Choose another label column.", "label_column")
    return ((values - mean) / std).astype(np.float32), mean, std
