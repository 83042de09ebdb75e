"""Whose turn it is on a lane: paced runs when their next step is due, full-speed runs
in the time left, in turns.

Pure arithmetic over :class:`Turns` (one per run), tested with a made-up clock:

- A *paced* run (Slow, Watch) has a due time for its next step, one step per
  ``1 / pace`` seconds. The earliest due goes first. A run that fell more than
  ``BEHIND_STEPS`` behind (the lane was busy) starts its schedule again from now rather
  than racing to catch up: the pace is a ceiling, never a burst. So when the lane cannot
  keep up, every paced run falls behind the same way: all slowed alike.
- A *full-speed* run (or a paused run asked for some Steps) gets turns of ``SLICE_S``
  when no paced step is due: the one that has had the least CPU goes next, and a
  newcomer starts level with the least served, so a long run cannot starve a short one
  and a short one does not monopolise the lane to catch up.
"""
from __future__ import annotations

from dataclasses import dataclass

SLICE_S = 0.01          # one full-speed turn (bounded work, then the next one's turn)
BEHIND_STEPS = 2.0      # a paced run this many steps late restarts its schedule
SLOWED_BELOW = 0.9      # a paced run reaching less than this share of its pace says so
RATE_WINDOW_S = 2.0     # achieved pace is measured over this long


@dataclass
class Turns:
    """One run's place in the lane's turns."""

    pace: float | None = None     # steps/s asked (None: full speed)
    due: float = 0.0              # clock time its next paced step is due
    cpu_used: float = 0.0         # CPU s of its full-speed turns (who goes next)
    window_start: float | None = None   # the window its achieved pace is measured over
    window_steps: int = 0
    achieved: float | None = None  # steps/s over the last window


def next_run(turns: dict[str, Turns], runnable: set[str], now: float
             ) -> tuple[str | None, str, float]:
    """(run id, "paced" | "full", seconds until then) of whoever goes next: a due paced
    step first, else the least-served full-speed run; (None, "", wait) when nothing is
    ready (wait: until the next paced step, or None when there is none)."""
    paced = [(t.due, rid) for rid, t in turns.items() if rid in runnable and t.pace]
    if paced:
        due, rid = min(paced)
        if due <= now:
            return rid, "paced", 0.0
    full = [(t.cpu_used, rid) for rid, t in turns.items() if rid in runnable and not t.pace]
    if full:
        return min(full)[1], "full", 0.0
    return None, "", (min(paced)[0] - now) if paced else None


def after_paced_step(t: Turns, now: float) -> None:
    """Schedule the next paced step (or restart the schedule when far behind)."""
    t.due += 1.0 / t.pace
    if t.due < now - BEHIND_STEPS / t.pace:
        t.due = now


def join_full_speed(turns: dict[str, Turns], rid: str) -> None:
    """A run that starts (or goes back to) full speed starts level with the least
    served full-speed run: it gets no turns owed from before."""
    others = [t.cpu_used for r, t in turns.items() if r != rid and not t.pace]
    turns[rid].cpu_used = min(others, default=0.0)


def count_step(t: Turns, now: float) -> None:
    """One more step done; once a window is over, its achieved pace is known."""
    if t.window_start is None:
        t.window_start = now
    t.window_steps += 1
    if now - t.window_start >= RATE_WINDOW_S:
        t.achieved = t.window_steps / (now - t.window_start)
        t.window_start, t.window_steps = now, 0


def is_slowed(t: Turns) -> bool:
    """A paced run that reached clearly less than its pace over the last window."""
    return bool(t.pace and t.achieved is not None and t.achieved < SLOWED_BELOW * t.pace)
