"""Cells that a spreadsheet would run as a formula (CSV injection, OWASP).

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) that is
not a number is read as plain text and the user is told where it is; any CSV the app
writes back out prefixes such a cell with ``'`` so a spreadsheet shows it as text.
"""
from __future__ import annotations

import math

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def looks_like_formula(cell: object) -> bool:
    return (isinstance(cell, str) and cell.startswith(FORMULA_STARTS)
            and not is_number(cell.strip()))


def neutralise(cell: object) -> object:
    """The cell as a spreadsheet will show it, not run it: ``=1+1`` → ``'=1+1``."""
    return "'" + cell if looks_like_formula(cell) else cell


def safe_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV with every formula-looking cell (and column name) neutralised."""
    out = frame.map(neutralise) if len(frame) else frame
    out.columns = [neutralise(str(c)) for c in frame.columns]
    return out.to_csv(index=False).encode("utf-8")
