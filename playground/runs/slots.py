"""Compute share: runs are admitted by the CPU they need, not counted.

The server has ``capacity`` cores. A *paced* run (Slow, Watch) needs only its pace × its
step cost of a core: twenty Watch runs of a small MLP (150 steps/s × ~0.3 ms) need well
under one core between them. A *full-speed* run wants whatever is left; full-speed runs
take turns on the cores left over (time slices of ``SLICE_S``, the run that has had the
least CPU goes next), so a long one cannot starve short ones. Jobs and comparison groups
still hold whole cores (:meth:`ComputeSlots.acquire`).

Step costs are measured (CPU seconds per step, ``time.thread_time``, an EMA) by the
thread that drives each run and reported here. When demand exceeds the machine, every
paced run is slowed by the same factor (:func:`pace_factor`); a new run waits in the
FIFO queue only when even then the cores cannot give everyone its floor: half its pace
for a paced run, ``FULL_SPEED_FLOOR`` of a core for a full-speed one, a core for a job.
When the machine delivers less than its cores (other programs, the GIL), the paced runs'
budget shrinks to what they were seen to get (:func:`adapt_budget`): slowed alike again.

The arithmetic is pure functions of the demands (tested with a fake clock); the class
adds only the lock, the queue and the turns.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

from playground.runs.share import (
    ADAPT_EVERY_S,
    PRIOR_STEP_COST_S,
    SLOWED_BELOW,
    Consumer,
    _admit_into,
    adapt_budget,
    expected_wait,
    full_speed_lanes,
    pace_factor,
    paced_room,
    update_cost,
)


@dataclass(frozen=True)
class ShareRow:
    """One consumer on the Server page."""

    id: str
    kind: str
    pace_asked: float | None        # steps/s (None: full speed)
    pace_given: float | None        # after the overload slow-down
    achieved: float                 # steps/s lately
    cpu_share: float                # cores lately
    step_cost_ms: float | None      # measured CPU ms per step (None: not yet)


@dataclass(frozen=True)
class ShareView:
    """The whole server's compute, immutable (the Server page's numbers)."""

    capacity: float
    rows: tuple[ShareRow, ...]
    queued: int
    factor: float                   # paced runs' slow-down (1 = none)
    lanes: int                      # full-speed runs computing at once
    paced_budget: float | None = None   # cores the machine was seen to give paced runs

    @property
    def used(self) -> float:
        return sum(r.cpu_share for r in self.rows)

    @property
    def headroom(self) -> float:
        """Cores nobody used lately."""
        return max(0.0, self.capacity - self.used)


# ------------------------------------------------------------------ the scheduler
class ComputeSlots:
    """The cores of one process, shared by need; safe to call from any thread."""

    def __init__(self, capacity: float, clock: Callable[[], float] = time.monotonic):
        if capacity < 1:
            raise ValueError("need at least one core of compute")
        self.capacity = float(capacity)
        self._clock = clock
        self._admitted: dict[str, Consumer] = {}
        self._waiting: list[Consumer] = []
        self._turns: set[str] = set()       # full-speed runs computing right now
        self._paced_budget: float | None = None   # cores the paced runs were seen to get
        self._adapted_at = clock()
        self._cond = threading.Condition()

    # ---------------------------------------------------------- runs
    def join(self, run_id: str, pace: float | None, timeout: float) -> bool:
        """Admit a run as paced (``pace`` steps/s) or full speed (None), waiting at most
        ``timeout`` s; the caller keeps its queue place. An admitted run that changes
        pace is updated at once (it never loses its place for that)."""
        kind = "paced" if pace else "full"
        with self._cond:
            c = self._admitted.get(run_id)
            if c is not None:
                if (c.kind, c.pace) != (kind, pace):
                    c.kind, c.pace = kind, pace
                    if kind == "full":
                        c.cpu_used = self._least_cpu_used(run_id)
                    self._cond.notify_all()
                return True
            return self._enter(run_id, kind, pace, timeout)

    def leave(self, run_id: str) -> None:
        """The run paused or ended: give back its share (or its queue place)."""
        self.release(run_id)

    def measure(self, run_id: str, steps: int, cpu_s: float, wall_s: float,
                remaining_steps: int | None = None) -> None:
        """What a run did lately: ``steps`` steps costing ``cpu_s`` CPU s in ``wall_s``."""
        with self._cond:
            c = self._admitted.get(run_id)
            if c is None or wall_s <= 0:
                return
            if c.kind == "paced":
                c.given = c.pace * self._factor()
            c.cost_s = update_cost(c.cost_s, c.measured, cpu_s, steps)
            c.measured = c.measured or steps > 0
            c.cpu_share = cpu_s / wall_s
            c.achieved = steps / wall_s
            self._adapt()
            if remaining_steps is not None and c.achieved > 0:
                c.ends_at = self._clock() + remaining_steps / c.achieved
            self._cond.notify_all()        # a changed cost can change the lanes

    def pace_for(self, run_id: str) -> float | None:
        """The steps/s a paced run may train at now (its pace, slowed under overload)."""
        with self._cond:
            c = self._admitted.get(run_id)
            if c is None or c.kind != "paced":
                return None
            return c.pace * max(0.05, self._factor())

    def slowed(self, run_id: str) -> bool:
        with self._cond:
            c = self._admitted.get(run_id)
            return c is not None and c.kind == "paced" and self._factor() < SLOWED_BELOW

    def _factor(self) -> float:
        return pace_factor(list(self._admitted.values()), self.capacity, self._paced_budget)

    def _adapt(self) -> None:
        """Once a second: do the paced runs get the pace they were given?"""
        now = self._clock()
        if now - self._adapted_at < ADAPT_EVERY_S:
            return
        self._adapted_at = now
        admitted = list(self._admitted.values())
        paced = [c for c in admitted if c.kind == "paced" and c.measured]
        self._paced_budget = adapt_budget(self._paced_budget, paced,
                                          paced_room(admitted, self.capacity), self.capacity)

    def take_turn(self, run_id: str, timeout: float) -> bool:
        """A full-speed run waits (at most ``timeout`` s) for its turn on a core: the
        admitted full-speed run with the least CPU used so far goes first."""
        with self._cond:
            return self._cond.wait_for(lambda: self._my_turn(run_id), timeout)

    def end_turn(self, run_id: str, cpu_s: float) -> None:
        """The turn is over, having cost ``cpu_s`` CPU s; the next run may go."""
        with self._cond:
            self._turns.discard(run_id)
            c = self._admitted.get(run_id)
            if c is not None:
                c.cpu_used += cpu_s
            self._cond.notify_all()

    def _my_turn(self, run_id: str) -> bool:
        if run_id in self._turns:
            return True
        admitted = list(self._admitted.values())
        if run_id not in self._admitted:
            return False
        free = full_speed_lanes(admitted, self.capacity, self._paced_budget) - len(self._turns)
        if free <= 0:
            return False
        ready = sorted((c for c in admitted if c.kind == "full" and c.id not in self._turns),
                       key=lambda c: c.cpu_used)
        if run_id in [c.id for c in ready[:free]]:
            self._turns.add(run_id)
            return True
        return False

    def _least_cpu_used(self, but: str) -> float:
        """A newcomer to the turns starts level with the least served (no catching up)."""
        used = [c.cpu_used for c in self._admitted.values() if c.kind == "full" and c.id != but]
        return min(used, default=0.0)

    # ---------------------------------------------------------- jobs and groups (whole cores)
    def acquire(self, holder_id: str, timeout: float) -> bool:
        """Take a whole core, waiting at most ``timeout`` s; the caller keeps its queue place."""
        with self._cond:
            if holder_id in self._admitted:
                return True
            return self._enter(holder_id, "whole", None, timeout)

    def leave_queue(self, holder_id: str) -> None:
        with self._cond:
            self._waiting = [w for w in self._waiting if w.id != holder_id]
            self._cond.notify_all()

    def release(self, holder_id: str) -> None:
        with self._cond:
            self._admitted.pop(holder_id, None)
            self._turns.discard(holder_id)
            self._waiting = [w for w in self._waiting if w.id != holder_id]
            self._cond.notify_all()

    # ---------------------------------------------------------- the queue
    def _enter(self, cid: str, kind: str, pace: float | None, timeout: float) -> bool:
        me = next((w for w in self._waiting if w.id == cid), None)
        if me is None:
            me = Consumer(cid, kind, pace, cost_s=self._prior_cost(), since=self._clock())
            self._waiting.append(me)
        me.kind, me.pace = kind, pace
        ok = self._cond.wait_for(lambda: self._can_enter(me), timeout)
        if ok:
            self._waiting.remove(me)
            if kind == "full":
                me.cpu_used = self._least_cpu_used(cid)
            me.since = self._clock()
            if kind == "whole":
                me.cpu_share = 1.0          # a job computes flat out on its core
            self._admitted[cid] = me
            self._cond.notify_all()
        return ok

    def _can_enter(self, me: Consumer) -> bool:
        """FIFO: everyone ahead of ``me`` must fit too."""
        room = list(self._admitted.values())
        for w in self._waiting:
            if not _admit_into(room, w, self.capacity):
                return False
            if w is me:
                return True
        return False

    def _prior_cost(self) -> float:
        """Before a run is measured, assume the median measured run's step cost."""
        costs = sorted(c.cost_s for c in self._admitted.values() if c.measured)
        return costs[len(costs) // 2] if costs else PRIOR_STEP_COST_S

    # ---------------------------------------------------------- reading
    def position(self, cid: str) -> int | None:
        """1-based place in the queue, or None when not waiting."""
        with self._cond:
            ids = [w.id for w in self._waiting]
            return ids.index(cid) + 1 if cid in ids else None

    def queue_note(self, cid: str) -> tuple[int, float | None] | None:
        """(place in the queue, expected wait in s or None) of a waiting run, else None."""
        with self._cond:
            ids = [w.id for w in self._waiting]
            if cid not in ids:
                return None
            place = ids.index(cid) + 1
            wait = expected_wait(list(self._admitted.values()), self._waiting[:place],
                                 self.capacity, self._clock())
            return place, wait

    def busy(self) -> int:
        """Runs and jobs admitted (computing or allowed to)."""
        with self._cond:
            return len(self._admitted)

    def queued(self) -> int:
        with self._cond:
            return len(self._waiting)

    def view(self) -> ShareView:
        with self._cond:
            admitted = list(self._admitted.values())
            factor = self._factor()
            rows = tuple(ShareRow(
                c.id, c.kind, c.pace, c.pace * factor if c.kind == "paced" else None,
                c.achieved, c.cpu_share, c.cost_s * 1e3 if c.measured else None)
                for c in admitted)
            return ShareView(self.capacity, rows, len(self._waiting), factor,
                             full_speed_lanes(admitted, self.capacity, self._paced_budget),
                             self._paced_budget)
