"""A table as read: typed columns, where it came from, and what the user should know."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

MISSING_TEXT = ("", "na", "n/a", "nan", "null", "none", "?")   # cells read as missing


@dataclass(frozen=True, eq=False)
class Table:
    """``frame``: numeric columns as float64 (NaN = missing), text columns as objects
    (None = missing), rows in file order. ``notes``: what the reader decided or found
    that the user should hear (the delimiter used, cells that look like formulas)."""

    name: str                       # "iris", or the upload's file name
    frame: pd.DataFrame
    source: str                     # "CSV (comma-separated)", "Parquet", "scikit-learn"
    notes: tuple[str, ...] = ()
    default_label: str = ""         # the label column when the setup names none
    delimiter: str = ""             # a text file's cell separator ("" for other sources)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def is_numeric(self, column: str) -> bool:
        return pd.api.types.is_float_dtype(self.frame[column].dtype)

    def __len__(self) -> int:
        return len(self.frame)


def typed_column(cells: pd.Series) -> pd.Series:
    """Text cells → float64 when every present cell is a finite number, else text with
    None for the missing cells (an infinite number counts as missing)."""
    stripped = cells.astype(str).str.strip()
    missing = stripped.str.lower().isin(MISSING_TEXT) | cells.isna()
    numbers = pd.to_numeric(stripped.where(~missing), errors="coerce")
    finite = numbers.abs() < float("inf")
    if (finite | missing | numbers.abs().eq(float("inf"))).all():
        return numbers.where(finite).astype("float64")
    return stripped.where(~missing, None).astype(object)
