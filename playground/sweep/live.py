"""The points of a running sweep, for drawing it while it runs."""
from __future__ import annotations

import numpy as np


class LiveCurves:
    """The points of a running sweep, for drawing it while it runs.

    Written by the job thread, read by the page. ``list.append`` is atomic in CPython
    and the reader only takes the prefix both lists already have, so no lock (and no
    cost for the sweep beyond two appends per step).
    """

    def __init__(self) -> None:
        self._curves: list[tuple[str, list, list]] = []

    def begin(self, optimizer: str) -> None:
        self._curves.append((optimizer, [], []))

    def add(self, step: int, lr: float, loss: float) -> None:
        _, lrs, losses = self._curves[-1]
        lrs.append(lr)
        losses.append(loss)

    def view(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        out = []
        for name, lrs, losses in list(self._curves):
            n = min(len(lrs), len(losses))
            out.append((name, np.array(lrs[:n]), np.array(losses[:n])))
        return out

    def curves(self, settings) -> list:
        """The partial curves as SweepCurve objects (no stop yet), for the same figure."""
        from playground.sweep.range_test import SweepCurve

        return [SweepCurve(name, lrs, losses, settings.lrs(), settings.smoothing,
                           settings.stop_factor, None, "", 0.0, 0)
                for name, lrs, losses in self.view() if len(lrs) > 1]
