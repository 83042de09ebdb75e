"""Plotly's check of every array for a dataframe, skipped for plain numpy arrays.

Plotly 7 hands every array a trace is given (each x, y, z, colour…) to narwhals to ask
whether it is a dataframe or a series; for a numpy array the answer is always "no, pass
it through", but finding that out walks the class with ``inspect.getattr_static`` many
times: 0.36 ms per array, measured — most of a ``go.Scatter``'s cost and ~15 ms of every
live refresh (about 50 arrays). Here plotly's validators see a narwhals whose
``from_native`` answers a numpy array at once, exactly as narwhals would
(``pass_through=True`` returns it unchanged); anything else goes to narwhals itself.
Only plotly's validator module is given this view; narwhals is not changed for anyone
else. ``tests/unit/figures/test_fast_arrays.py`` checks figures come out byte for byte
the same with and without it.
"""
from __future__ import annotations

import numpy as np
from _plotly_utils import basevalidators


class _NumpyFirst:
    """narwhals, except that ``from_native(ndarray, pass_through=True)`` is immediate."""

    def __init__(self, narwhals) -> None:
        self._narwhals = narwhals

    def from_native(self, native, *args, **kwargs):
        if type(native) is np.ndarray and kwargs.get("pass_through"):
            return native
        return self._narwhals.from_native(native, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._narwhals, name)


def install() -> None:
    if not isinstance(basevalidators.nw, _NumpyFirst):
        basevalidators.nw = _NumpyFirst(basevalidators.nw)


def uninstall() -> None:
    """Back to plotly's own path (the equality test uses it)."""
    if isinstance(basevalidators.nw, _NumpyFirst):
        basevalidators.nw = basevalidators.nw._narwhals


install()
