"""When a new run must wait: only when the lanes are really saturated.

A paced run (Slow, Watch) needs its pace × its step cost of a core; a full-speed run
takes whatever is left. When more is asked than the cores give, every paced run is
slowed alike (:mod:`.scheduler`); a new run waits in the queue only when even then the
runs already training could not keep their *floor*: half their pace for a paced run,
``FULL_SPEED_FLOOR`` of a core for a full-speed one. Twenty Watch runs of the classroom
MLP (150 steps/s × ~0.3 ms) need under one core between them, so on two cores a class
of a hundred trains before anyone waits. Pure arithmetic, tested on its own.
"""
from __future__ import annotations

import statistics

MIN_PACE_FRACTION = 0.5   # a new run waits only if paced runs would fall below half pace
FULL_SPEED_FLOOR = 0.1    # cores every full-speed run keeps, however busy the lanes
PRIOR_STEP_COST_S = 0.5e-3  # CPU s per step assumed before a run is measured (MLP ~0.3 ms)


def floor(pace: float | None, cost_s: float | None) -> float:
    """Cores a run cannot do without."""
    if pace:
        return min(1.0, pace * (cost_s or PRIOR_STEP_COST_S)) * MIN_PACE_FRACTION
    return FULL_SPEED_FLOOR


def prior_cost(measured: list[float]) -> float:
    """A new run's step cost before it is measured: the median of the measured runs."""
    return statistics.median(measured) if measured else PRIOR_STEP_COST_S


def fits(floors: list[float], newcomer: float, cores: float) -> bool:
    """Can a run with floor ``newcomer`` join? The first always can."""
    return not floors or sum(floors) + newcomer <= cores + 1e-9


def expected_wait(remaining: list[tuple[int, float]]) -> float | None:
    """Seconds until the first training run ends, from (steps left, steps/s) pairs;
    None when no run is moving."""
    ends = [left / rate for left, rate in remaining if rate > 0]
    return min(ends) if ends else None
