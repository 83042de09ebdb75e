"""Comparison groups: 2–6 runs trained side by side, in lockstep, on both cores.

A :class:`Group` owns one coordinator thread and up to ``lanes - 1`` helper threads.
Each tick the coordinator picks the members that are *due* (lockstep: the ones
furthest behind on the group's clock, steps or examples seen), splits them over the
lanes and waits for all lanes before the next tick, so no running member is ever more
than one of its own steps ahead of another. Members that draw the same minibatch at
the same moment can be stepped together in one batched pass (:mod:`playground.compare.packed.pack`);
whether one or two cores and batched or not is fastest is measured, not guessed
(:mod:`playground.compare.tuning`).

Members are :class:`~playground.compare.member.Member` objects: a run record and its
command inbox, which the registry holds like any run, so snapshots, commands
(pause/resume/step/stop/set_lr per member), the reaper and the Loss surface page all
work on them. A member that diverges or fails is marked and stops; the others go on.
Packing is the group's fast path; ``pack=False`` (or ``step.FAST = False``) steps every
member through its own trainer, the plain path, with the same results (tested).
"""
from __future__ import annotations

import math
import os
import threading
import time

from playground.compare.fairness import Fairness, verify_fairness
from playground.compare.lanes import Lane, split, step_on_lanes
from playground.compare.member import Member
from playground.compare.packed.pack import Pack
from playground.compare.tuning import ModeTuner
from playground.runs.slots import ComputeSlots
from playground.runs.snapshot import GroupSnapshot
from playground.runs.status import ACTIVE, TERMINAL
from playground.training import step as one_step

MIN_RUNS, MAX_RUNS = 2, 6
IDLE_WAIT_S = 0.2          # how long the coordinator sleeps when nothing is runnable
EXTRA_LANE_RETRY_S = 1.0   # how often it tries to get a second core when it has one


def default_lanes() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def due_members(members: list[Member], clock: str) -> list[Member]:
    """Lockstep: only the members furthest behind take a step this tick."""
    if not members:
        return []
    after = [m.clock_after_next(clock) for m in members]
    lowest = min(after)
    return [m for m, c in zip(members, after) if c <= lowest]


def group_clock(configs) -> str:
    """Steps when every run takes the same batch size, else examples seen."""
    return "steps" if len({c.batch_size for c in configs}) == 1 else "examples"


class Group:
    """2–6 runs trained in lockstep. Start with :meth:`start`; read :meth:`view`."""

    def __init__(self, group_id: str, members: list[Member], slots: ComputeSlots,
                 owner: str = "", lanes: int | None = None, pace: float | None = None,
                 pack: bool | None = None):
        if not MIN_RUNS <= len(members) <= MAX_RUNS:
            raise ValueError(f"a comparison needs {MIN_RUNS}–{MAX_RUNS} runs, got {len(members)}")
        self.group_id = group_id
        self.owner = owner
        self.slots = slots
        self.members = list(members)
        self.clock = group_clock([m.config for m in members])
        self.max_lanes = max(1, lanes or default_lanes())
        self.pack = one_step.FAST if pack is None else pack
        self.pace = pace
        self.fairness: Fairness | None = None
        self.lanes_in_use = 0
        self.mode: tuple[int, bool] = (1, False)    # (lanes, batched) of the last tick
        self._tuner = ModeTuner()
        self.created = time.time()
        self._wake = threading.Event()
        self._held: list[str] = []
        self._extra_try = 0.0
        self._lanes: list[Lane] = []
        self._pack_ok: dict[tuple, bool] = {}
        self._packs: dict[tuple, Pack] = {}
        self._homes: dict[int, Pack] = {}            # which pack holds each trainer's weights
        self._busy = 0.0
        for m in members:
            m.record.queue_position = lambda: slots.position(self._lane_id(0))
            m.record.pace = pace
        self._thread = threading.Thread(target=self._run, name=f"group-{self.group_id}",
                                        daemon=True)

    # ------------------------------------------------------------- control
    def start(self) -> "Group":
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def wake(self) -> None:
        self._wake.set()

    @property
    def run_ids(self) -> list[str]:
        return [m.run_id for m in self.members]

    def set_pace(self, pace: float | None) -> None:
        """Cap lockstep ticks per second (None = as fast as possible) so people can watch."""
        if pace is not None and not (math.isfinite(pace) and pace > 0):
            raise ValueError(f"pace must be a positive number of steps/s or None, got {pace!r}")
        self.pace = pace
        for m in self.members:
            m.record.pace = pace
        self.wake()

    @property
    def active(self) -> bool:
        return any(m.status in ACTIVE for m in self.members)

    def view(self, **snapshot_options) -> GroupSnapshot:
        """The group as its page sees it (member snapshots taken one after another)."""
        return GroupSnapshot(
            group_id=self.group_id, owner=self.owner, created=self.created,
            run_ids=tuple(self.run_ids), labels=tuple(m.label for m in self.members),
            members=tuple(m.record.snapshot(**snapshot_options) for m in self.members),
            clock=self.clock, pace=self.pace, lanes_in_use=self.lanes_in_use,
            batched=self.mode[1], fairness=self.fairness)

    # ------------------------------------------------------------- the thread
    def _run(self) -> None:
        try:
            for m in self.members:
                m.build()
            built = [m for m in self.members if m.trainer is not None]
            if len(built) == len(self.members):
                self.fairness = verify_fairness([m.trainer for m in built],
                                                [m.record.trajectory.points[0] for m in built])
            self._loop()
        except Exception as exc:  # the coordinator never dies silently
            for m in self.members:
                if m.status not in TERMINAL:
                    m.fail(exc)
        finally:
            for lane in self._lanes:
                lane.close()
            self._release_slots()

    def _loop(self) -> None:
        mark = time.perf_counter()
        while True:
            for m in self.members:
                if m.trainer is not None:
                    m.apply_commands()
            live = [m for m in self.members if m.trainer is not None
                    and m.status not in TERMINAL]
            if not live:
                return
            runnable = [m for m in live if m.runnable]
            if not runnable:
                self._tuner.pause()
                self._release_slots()
                self._wake.wait(IDLE_WAIT_S)
                self._wake.clear()
                mark = time.perf_counter()
                continue
            if not self._held:
                if not self._acquire_first(runnable):
                    mark = time.perf_counter()
                    continue
                mark = time.perf_counter()
            self._maybe_more_lanes()
            t_tick = time.perf_counter()
            self._busy += t_tick - mark
            mark = t_tick
            due = due_members(runnable, self.clock)
            self.mode = self._tuner.choose(self._modes(due), t_tick)
            self._tick(due, *self.mode)
            self._tuner.done(len(due))
            if self.mode[0] == 1 and self._tuner.settled and len(self._held) > 1:
                self._release_slots(keep=1)   # one core is faster here: free the other
            if self.pace:
                wait = 1.0 / self.pace - (time.perf_counter() - t_tick)
                if wait > 0 and self._wake.wait(wait):
                    self._wake.clear()
                self._tuner.pause()

    def _modes(self, due: list[Member]) -> tuple:
        """Ways this tick could be stepped: (lanes, batched) pairs worth trying."""
        if self.pace or len(due) < 2:
            return ((1, False),)      # paced or alone: speed does not matter
        lanes = (1, 2) if min(len(self._held), self.max_lanes) >= 2 else (1,)
        packs = (True, False) if self.pack and self._packable(due) else (False,)
        return tuple((n, p) for n in lanes for p in packs)

    def _packable(self, due: list[Member]) -> bool:
        keys = [m.pack_key for m in due]
        return len(set(keys)) < len(keys)

    def _tick(self, due: list[Member], lanes: int = 1, batched: bool = False) -> None:
        units = self._units(due, lanes) if batched else list(due)
        n_lanes = min(lanes, len(self._held), len(units))
        self.lanes_in_use = n_lanes
        while len(self._lanes) < n_lanes - 1:
            lane = Lane(f"group-{self.group_id}-lane{len(self._lanes) + 1}")
            lane.start()
            self._lanes.append(lane)
        step_on_lanes(units, self._lanes[:max(0, n_lanes - 1)], self._busy)

    def _units(self, due: list[Member], lanes: int) -> list:
        """Lone members, or (Pack, members) for members sharing their batched pass."""
        buckets: dict[tuple, list[Member]] = {}
        for m in due:
            buckets.setdefault((m.pack_key, m.trainer.step_count), []).append(m)
        units: list = []
        for (key, _), members in buckets.items():
            if len(members) < 2:
                units.extend(members)
                continue
            ok = self._pack_ok.get(key)
            if ok is None:
                ok = self._pack_ok[key] = Pack([m.trainer for m in members], {}).works()
            if not ok:
                units.extend(members)
                continue
            # Split big packs so both lanes get work; pairs keep most of the gain.
            for part in split(members, lanes):
                units.append((self._pack(part), part) if len(part) > 1 else part[0])
        return units

    def _pack(self, members: list[Member]) -> Pack:
        ids = tuple(m.run_id for m in members)
        pack = self._packs.get(ids)
        if pack is None:
            pack = self._packs[ids] = Pack([m.trainer for m in members], self._homes)
        return pack

    # ------------------------------------------------------------- slots
    def _lane_id(self, i: int) -> str:
        return f"{self.group_id}/lane{i}"

    def _acquire_first(self, runnable: list[Member]) -> bool:
        lane = self._lane_id(0)
        if self.slots.acquire(lane, timeout=0.1):
            self._held.append(lane)
            for m in self.members:
                m.set_waiting(False)
            self._extra_try = 0.0
            return True
        position = self.slots.position(lane)
        for m in runnable:
            m.set_waiting(True, position)
        return False

    def _maybe_more_lanes(self) -> None:
        if len(self._held) >= self.max_lanes or self.pace:
            return
        now = time.monotonic()
        if now < self._extra_try or (self._tuner.settled and
                                     not self._tuner.retune_due(time.perf_counter())):
            return
        self._extra_try = now + EXTRA_LANE_RETRY_S
        lane = self._lane_id(len(self._held))
        if self.slots.acquire(lane, timeout=0.0):
            self._held.append(lane)
        else:
            self.slots.leave_queue(lane)   # never hold a queue place for a bonus core

    def _release_slots(self, keep: int = 0) -> None:
        for lane in self._held[keep:]:
            self.slots.release(lane)
        self._held = self._held[:keep]
        self.lanes_in_use = min(self.lanes_in_use, keep)


