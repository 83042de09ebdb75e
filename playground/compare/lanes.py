"""Stepping one tick of a comparison on one or more cores ("lanes").

The coordinator steps its share itself; each helper :class:`Lane` thread steps the share
it is handed and signals when done, so the tick ends when every lane has finished. A unit
is a lone member or ``(Pack, members)``: members sharing one batched pass.
"""
from __future__ import annotations

import threading
import time


class Lane(threading.Thread):
    """A helper thread that steps the units it is handed, one tick at a time."""

    def __init__(self, name: str):
        super().__init__(name=name, daemon=True)
        self.work: list | None = None
        self.go = threading.Event()
        self.done = threading.Event()

    def run(self) -> None:
        while True:
            self.go.wait()
            self.go.clear()
            work = self.work
            if work is None:
                return
            try:
                step_units(*work)
            finally:
                self.done.set()

    def close(self) -> None:
        self.work = None
        self.go.set()


def step_units(units: list, busy: float) -> None:
    """Step each unit (a Pack or a lone member); a failing unit fails only its members."""
    for unit in units:
        members = unit[1] if isinstance(unit, tuple) else [unit]
        try:
            if isinstance(unit, tuple):
                results = unit[0].step()
            else:
                results = [unit.trainer.step()]
        except Exception as exc:
            for m in members:
                m.fail(exc)
            continue
        now = time.perf_counter()
        for m, r in zip(members, results):
            m.after_step(r, busy, now)


def step_on_lanes(units: list, helpers: list[Lane], busy: float) -> None:
    """Step every unit once, shared over this thread and ``helpers``; balanced by member
    count (a pack of k costs more than a lone member)."""
    if not helpers:
        step_units(units, busy)
        return
    shares: list[list] = [[] for _ in range(len(helpers) + 1)]
    load = [0] * len(shares)
    for unit in sorted(units, key=lambda u: -_size(u)):
        i = load.index(min(load))
        shares[i].append(unit)
        load[i] += _size(unit)
    for lane, share in zip(helpers, shares[1:]):
        lane.done.clear()
        lane.work = (share, busy)
        lane.go.set()
    step_units(shares[0], busy)
    for lane in helpers:
        lane.done.wait()


def _size(unit) -> int:
    return len(unit[1]) if isinstance(unit, tuple) else 1


def split(items: list, parts: int) -> list[list]:
    parts = max(1, min(parts, len(items) // 2 or 1))
    return [items[i::parts] for i in range(parts)]
