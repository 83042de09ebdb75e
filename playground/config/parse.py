"""Loosely typed values (link text, JSON, widget values) in, typed values out.

A link says ``lr=0.05`` and a box returns ``600.0``; :func:`coerce` turns them into the
field's type or says why it cannot, and :func:`format_value` writes a value back as the
shortest text that reads back the same.
"""
from __future__ import annotations

import math
from typing import Any


def coerce(kind: Any, raw: Any) -> Any:
    """``raw`` as a value of the field type ``kind`` (ValueError/TypeError says why not)."""
    if isinstance(kind, str):       # annotations are strings under `from __future__`
        kind = {"int": int, "float": float, "str": str}.get(kind, kind)
    if kind is str:
        if not isinstance(raw, str):
            raise TypeError(f"expected text, got {raw!r}")
        return raw.strip()
    if isinstance(raw, bool):
        raise TypeError(f"expected a number, got {raw!r}")
    if kind is int:
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float):
            if raw.is_integer():
                return int(raw)
            raise ValueError(f"expected a whole number, got {raw!r}")
        text = str(raw).strip()
        try:
            return int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"expected a whole number, got {text[:40]!r}") from None
            if value.is_integer():
                return int(value)
            raise ValueError(f"expected a whole number, got {text[:40]!r}") from None
    if kind is float:
        if isinstance(raw, (int, float)):
            try:
                return float(raw)
            except OverflowError:  # an int beyond float range (about 1e308)
                raise ValueError(f"expected a number, got {int_text(raw)}") from None
        text = str(raw).strip()
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {text[:40]!r}") from None
    raise TypeError(f"unsupported field type {kind!r}")


def int_text(value: int) -> str:
    """``1,234`` for ordinary ints; a digit count for huge ones (Python refuses to print
    ints over 4,300 digits, and nobody wants to read them)."""
    if value.bit_length() <= 64:
        return f"{value:,}"
    return f"a {int(value.bit_length() * 0.30103) + 1:,}-digit number"


def format_value(value: Any) -> str:
    """Shortest faithful text for a value (1e-05 → '1e-05', 0.1 → '0.1')."""
    if isinstance(value, float) and math.isfinite(value):
        short = f"{value:g}"
        return short if float(short) == value else repr(value)
    return str(value)
