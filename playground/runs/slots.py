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

PRIOR_STEP_COST_S = 0.5e-3   # CPU s a step is assumed to cost until measured (MLP: ~0.3 ms)
COST_EMA = 0.3               # weight of each new measurement of a run's step cost
MIN_PACE_FRACTION = 0.5      # a new run queues only if paced runs would fall below half pace
FULL_SPEED_FLOOR = 0.1       # cores every full-speed run keeps, however busy the server
SLICE_S = 0.05               # one turn of a full-speed run (bounded work, then yield)
SLOWED_BELOW = 0.95          # a paced run slowed past this factor says so
# The cores may deliver less than their number (other programs on the machine, the GIL):
# when the paced runs together reach less than SHORT_BELOW of the pace they were given,
# their budget shrinks towards the cores they actually got (all slowed alike); while they
# keep up, it grows back.
ADAPT_EVERY_S = 1.0
SHORT_BELOW = 0.85
GROW_ABOVE = 0.9
GROW_BY = 1.1                # ... and grows back by a tenth (and a little) each second
SHRINK_AT_MOST = 0.8         # ... to 80% of the cores they were given, each second
PROBE_CORES = 0.1            # the least budget paced runs are ever given (cores)


# ------------------------------------------------------------------ the arithmetic
@dataclass
class Consumer:
    """One admitted (or waiting) user of the cores, as the scheduler sees it."""

    id: str
    kind: str                       # "paced", "full" (time-sliced) or "whole" (a job)
    pace: float | None = None       # steps/s asked (paced runs)
    cost_s: float = PRIOR_STEP_COST_S   # CPU s per step, EMA of measurements
    measured: bool = False
    cpu_share: float = 0.0          # cores it used lately (CPU s per wall s)
    achieved: float = 0.0           # steps/s it reached lately
    cpu_used: float = 0.0           # CPU s of its full-speed turns (who goes next)
    given: float = 0.0              # steps/s it was allowed when last measured (paced)
    ends_at: float | None = None    # clock time it should end at its current speed
    since: float = 0.0              # clock time it was admitted (or queued)

    @property
    def need(self) -> float:
        """Cores it asks for: pace × step cost for a paced run (at most one core)."""
        if self.kind == "paced":
            return min(1.0, self.pace * self.cost_s)
        return 1.0

    @property
    def floor(self) -> float:
        """Cores it cannot do without: what admission keeps for it."""
        if self.kind == "paced":
            return self.need * MIN_PACE_FRACTION
        return FULL_SPEED_FLOOR if self.kind == "full" else 1.0


def fits(admitted: list[Consumer], newcomer: Consumer, capacity: float) -> bool:
    """Can ``newcomer`` join and everyone still get its floor? The first always can."""
    if not admitted:
        return True
    return sum(c.floor for c in admitted) + newcomer.floor <= capacity + 1e-9


def paced_room(admitted: list[Consumer], capacity: float) -> float:
    """Cores the paced runs may use: what jobs and the full-speed floors leave."""
    return capacity - sum(c.floor for c in admitted if c.kind != "paced")


def pace_factor(admitted: list[Consumer], capacity: float,
                paced_budget: float | None = None) -> float:
    """How much every paced run is slowed (1 = not at all): the cores left after jobs
    and the full-speed floors (or the smaller ``paced_budget`` the machine was seen to
    deliver), over what the paced runs ask for."""
    paced = sum(c.need for c in admitted if c.kind == "paced")
    if paced <= 0:
        return 1.0
    left = paced_room(admitted, capacity)
    if paced_budget is not None:
        left = min(left, paced_budget)
    return max(0.0, min(1.0, left / paced))


def adapt_budget(budget: float | None, paced: list[Consumer], room: float,
                 capacity: float) -> float | None:
    """The paced runs' budget in cores after one more second of measurements: the cores
    they got when they fell short of their given pace, growing back while they keep
    up; None (no limit but ``room``) once it reaches the room again."""
    given = sum(c.given for c in paced)
    if given <= 0:
        return None
    reached = sum(c.achieved for c in paced) / given
    if reached < SHORT_BELOW:
        # At most a fifth less a second: when the runs fall short because the machine
        # wakes them late (not for want of CPU), a slower pace barely helps, and cutting
        # straight to the cores they got would spiral down.
        given_cores = sum(c.given * c.cost_s for c in paced)
        got = sum(c.cpu_share for c in paced)
        return max(PROBE_CORES, got, SHRINK_AT_MOST * given_cores)
    if budget is not None and reached >= GROW_ABOVE:
        budget = budget * GROW_BY + 0.01 * capacity
        return None if budget >= room else budget
    return budget


def full_speed_lanes(admitted: list[Consumer], capacity: float,
                     paced_budget: float | None = None) -> int:
    """How many full-speed runs compute at once: the whole cores left after jobs and
    paced runs (at their slowed pace), at least one."""
    factor = pace_factor(admitted, capacity, paced_budget)
    used = sum(c.need * factor if c.kind == "paced" else 1.0
               for c in admitted if c.kind != "full")
    return max(1, int(capacity - used + 0.5))


def expected_wait(admitted: list[Consumer], waiting: list[Consumer], capacity: float,
                  now: float) -> float | None:
    """Seconds until the last of ``waiting`` (the queue up to it, in order) fits, as the
    admitted runs end at their current speed; None when that cannot be told (a run
    ahead with no end in sight)."""
    if not waiting:
        return 0.0
    ending = sorted((c for c in admitted if c.ends_at is not None), key=lambda c: c.ends_at)
    still = list(admitted)
    t = now
    while True:
        room = list(still)
        if all(_admit_into(room, w, capacity) for w in waiting):
            return max(0.0, t - now)
        if not ending:
            return None
        gone = ending.pop(0)
        still.remove(gone)
        t = gone.ends_at


def _admit_into(room: list[Consumer], c: Consumer, capacity: float) -> bool:
    if fits(room, c, capacity):
        room.append(c)
        return True
    return False


def update_cost(old: float, measured: bool, cpu_s: float, steps: int) -> float:
    """A run's step cost after a new measurement of ``steps`` steps (EMA; the first
    measurement replaces the prior)."""
    if steps <= 0:
        return old
    new = cpu_s / steps
    return new if not measured else (1 - COST_EMA) * old + COST_EMA * new


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
