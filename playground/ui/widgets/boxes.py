"""Number boxes for whole numbers that say what was typed.

The browser's integer box reads "1e12" as 1 (``parseInt``), silently. A float box keeps
what was typed; :func:`whole` turns a whole float back into an int and leaves anything
else (2.5, inf) as it is, so validation can say "must be a whole number, got 2.5".
"""
from __future__ import annotations

INT_FORMAT = "%.12g"       # 600 → "600", 2147483647 → "2147483647", 1e12 → "1e+12"


def whole(value):
    """An integer box's value: an int when it is whole, else as typed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def as_box_value(value, default: float):
    """What a float box holds for an int value (``default`` when it cannot be shown)."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:          # an absurd link value; the box shows the default
            return float(default)
    return value
