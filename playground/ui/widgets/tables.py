"""Tables as the app shows them: numbers formatted for reading, an en dash in every
empty cell.

``st.dataframe`` prints a missing value as a grey "None", which reads as a bug on a
projector ("diverged at step: None"); its ``placeholder`` puts "–" there instead (the
browser ignores a Styler's text for missing cells, so ``na_rep`` alone is not enough).
A pandas Styler carries the display text of the other cells (the numbers stay numbers,
so columns still sort). Formats are Python format strings per column ("{:.4f}",
"{:.1%}"); float columns without one get 4 significant digits, whole numbers commas.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

DASH = "–"


def styled(frame: pd.DataFrame, formats: dict[str, str] | None = None):
    """The Styler ``table`` draws (pure, testable without a page)."""
    formats = dict(formats or {})
    for col in frame.columns:
        if col in formats:
            continue
        kind = frame[col].dtype.kind
        if kind == "f":
            # whole-number columns that became floats only because of a gap ("step")
            values = frame[col].dropna()
            whole = len(values) and (values == values.round()).all() and values.abs().max() < 1e15
            formats[col] = "{:,.0f}" if whole else "{:.4g}"
        elif kind in "iu":
            formats[col] = "{:,}"
    style = frame.style.format(na_rep=DASH)          # every column, strings included
    return style.format({c: f for c, f in formats.items() if c in frame.columns}, na_rep=DASH)


def table(frame: pd.DataFrame, formats: dict[str, str] | None = None, styler=None, **kw):
    """``st.dataframe`` without index, full width, with ``styled``'s display text.
    ``styler`` adds styles (colours) to the Styler before it is drawn."""
    style = styled(frame, formats)
    if styler is not None:
        style = styler(style)
    kw.setdefault("hide_index", True)
    kw.setdefault("placeholder", DASH)
    kw.setdefault("width", "stretch")
    return st.dataframe(style, **kw)
