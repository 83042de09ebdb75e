"""The arithmetic of sharing cores by need: pure functions of the runs' demands.

What a run needs (:class:`Consumer`), whether a newcomer fits, how much paced runs are
slowed when demand exceeds the machine, how many full-speed runs compute at once, how
long a queued run should expect to wait, and a run's measured step cost. No clock, no
lock and no threads here: :class:`playground.runs.slots.ComputeSlots` adds those, and
tests call these directly.
"""
from __future__ import annotations

from dataclasses import dataclass

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
