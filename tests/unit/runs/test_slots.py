"""The compute share: admission by measured need, even slow-down, fair turns, the queue.

The scheduler is tested as a pure unit with a fake clock (every call non-blocking), then
with real training threads: ten Watch-paced runs all train at once on two cores (the
old cap of one run per core queued eight of them) and four full-speed runs share fairly.
"""
import time

import pytest

from playground.config import RunConfig
from playground.runs.registry import Limits, RunRegistry
from playground.runs.share import (
    FULL_SPEED_FLOOR,
    Consumer,
    expected_wait,
    fits,
    full_speed_lanes,
    pace_factor,
    update_cost,
)
from playground.runs.slots import ComputeSlots
from playground.runs.status import Status
from tests.waiting import wait_until

WATCH = 150.0
MLP_STEP_S = 0.3e-3


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def paced(cid, pace=WATCH, cost=MLP_STEP_S):
    return Consumer(cid, "paced", pace, cost_s=cost, measured=True)


def watched(slots: ComputeSlots, cid: str, pace=WATCH, cost=MLP_STEP_S, steps=1000) -> bool:
    """Admit a paced run without waiting and report a measurement of its step cost."""
    ok = slots.join(cid, pace, timeout=0)
    if ok:
        slots.measure(cid, steps=int(pace), cpu_s=int(pace) * cost, wall_s=1.0,
                      remaining_steps=steps)
    return ok


# ------------------------------------------------------------------ pure arithmetic
def test_twenty_watch_runs_need_under_one_core_and_all_fit_on_two():
    admitted = []
    for i in range(20):
        c = paced(f"r{i}")
        assert fits(admitted, c, capacity=2)
        admitted.append(c)
    assert sum(c.need for c in admitted) == pytest.approx(20 * WATCH * MLP_STEP_S)  # 0.9 core
    assert pace_factor(admitted, 2) == 1.0


def test_overload_slows_every_paced_run_by_the_same_factor():
    admitted = [paced(f"r{i}", cost=1e-3) for i in range(20)]     # need 3 cores of 2
    assert pace_factor(admitted, 2) == pytest.approx(2 / 3)
    admitted.append(Consumer("job", "whole"))                      # a job takes a core
    assert pace_factor(admitted, 2) == pytest.approx(1 / 3)


def test_a_run_is_refused_only_when_floors_no_longer_fit():
    admitted = [Consumer("job", "whole")]
    assert not fits(admitted, Consumer("j2", "whole"), capacity=1)
    assert fits([], Consumer("big", "whole"), capacity=1)         # the first always runs
    full = [Consumer(f"f{i}", "full") for i in range(int(2 / FULL_SPEED_FLOOR))]
    assert not fits(full, Consumer("one more", "full"), capacity=2)
    assert fits(full[:-1], Consumer("one more", "full"), capacity=2)


def test_full_speed_runs_get_the_whole_cores_paced_runs_leave():
    assert full_speed_lanes([Consumer("f", "full")], 2) == 2
    few_paced = [paced(f"r{i}") for i in range(20)] + [Consumer("f", "full")]   # 0.9 core
    assert full_speed_lanes(few_paced, 2) == 1
    assert full_speed_lanes([Consumer("j1", "whole"), Consumer("j2", "whole"),
                             Consumer("f", "full")], 2) == 1             # never zero


def test_step_cost_starts_from_the_first_measurement_then_moves_smoothly():
    first = update_cost(0.5e-3, measured=False, cpu_s=0.03, steps=100)
    assert first == pytest.approx(0.3e-3)
    later = update_cost(first, measured=True, cpu_s=0.1, steps=100)          # 1 ms steps
    assert first < later < 1e-3
    assert update_cost(first, measured=True, cpu_s=0.0, steps=0) == first


def test_expected_wait_is_when_enough_of_the_runs_ahead_have_ended():
    a = Consumer("a", "whole", ends_at=1030.0)
    b = Consumer("b", "whole", ends_at=1010.0)
    waiting = [Consumer("w1", "whole"), Consumer("w2", "whole")]
    assert expected_wait([a, b], waiting[:1], 2, now=1000.0) == pytest.approx(10.0)
    assert expected_wait([a, b], waiting, 2, now=1000.0) == pytest.approx(30.0)
    endless = Consumer("c", "whole")            # no end in sight: cannot tell
    assert expected_wait([endless, Consumer("d", "whole")], waiting[:1], 2, 1000.0) is None


# ------------------------------------------------------------------ the scheduler, fake clock
def test_scheduler_admits_by_need_where_a_count_would_have_queued():
    slots = ComputeSlots(2, clock=FakeClock())
    assert all(watched(slots, f"r{i}") for i in range(20))
    view = slots.view()
    assert view.queued == 0 and view.factor == 1.0
    assert all(slots.pace_for(f"r{i}") == WATCH and not slots.slowed(f"r{i}")
               for i in range(20))
    assert view.used == pytest.approx(20 * WATCH * MLP_STEP_S)
    assert view.headroom == pytest.approx(2 - 20 * WATCH * MLP_STEP_S)
    assert all(r.step_cost_ms == pytest.approx(0.3) for r in view.rows)


def test_measured_costs_that_outgrow_the_cores_slow_everyone_evenly():
    slots = ComputeSlots(2, clock=FakeClock())
    for i in range(20):
        watched(slots, f"r{i}")
    for i in range(20):          # the steps turn out to cost 1 ms: 3 cores of 2
        for _ in range(30):
            slots.measure(f"r{i}", steps=150, cpu_s=0.15, wall_s=1.0)
    paces = {round(slots.pace_for(f"r{i}"), 6) for i in range(20)}
    assert len(paces) == 1 and paces.pop() == pytest.approx(WATCH * 2 / 3, rel=0.01)
    assert all(slots.slowed(f"r{i}") for i in range(20))


def test_a_machine_that_delivers_less_than_its_cores_slows_paced_runs_evenly():
    clock = FakeClock()
    slots = ComputeSlots(2, clock=clock)
    ids = [f"r{i}" for i in range(10)]
    for i in ids:
        watched(slots, i)                    # 0.45 core asked, 2 cores on paper
    seen = []
    for second in range(6):                  # but each reaches only 75 steps/s
        for i in ids:
            slots.measure(i, steps=75, cpu_s=75 * MLP_STEP_S, wall_s=1.0)
        clock.t += 1.0                       # a second on: the next report adapts
        slots.measure(ids[0], steps=75, cpu_s=75 * MLP_STEP_S, wall_s=1.0)
        paces = [slots.pace_for(i) for i in ids]
        assert max(paces) == min(paces)      # every run alike
        seen.append(paces[0])
    # a fifth less a second at most, never below what they reach; then it probes upwards
    assert seen[:3] == pytest.approx([0.8 * WATCH, 0.64 * WATCH, 0.512 * WATCH])
    assert min(seen) == pytest.approx(75, rel=0.02) and max(seen[3:]) < 0.8 * WATCH
    assert all(slots.slowed(i) for i in ids)
    for second in range(1, 30):              # they keep up now: the budget grows back
        clock.t += 1.0
        for i in ids:
            given = slots.pace_for(i)
            slots.measure(i, steps=int(given), cpu_s=int(given) * MLP_STEP_S, wall_s=1.0)
        if not slots.slowed("r0"):
            break
    assert slots.pace_for("r0") == WATCH and second <= 5


def test_a_queued_run_knows_its_place_and_its_expected_wait():
    clock = FakeClock()
    slots = ComputeSlots(1, clock=clock)
    assert slots.acquire("sweep", timeout=0)
    slots.measure("sweep", steps=100, cpu_s=1.0, wall_s=1.0, remaining_steps=2000)  # 20 s
    assert not slots.join("late", WATCH, timeout=0)
    assert not slots.join("later", None, timeout=0)
    assert slots.queue_note("late") == (1, pytest.approx(20.0))
    assert slots.queue_note("later")[0] == 2
    clock.t += 5
    assert slots.queue_note("late") == (1, pytest.approx(15.0))
    slots.release("sweep")
    assert slots.join("late", WATCH, timeout=0) and slots.join("later", None, timeout=0)
    assert slots.queued() == 0 and slots.queue_note("late") is None


def test_the_queue_is_first_come_first_served():
    slots = ComputeSlots(1, clock=FakeClock())
    assert slots.acquire("job", timeout=0)
    assert not slots.acquire("job2", timeout=0)
    assert not slots.join("run", WATCH, timeout=0)
    slots.release("job")
    assert not slots.join("run", WATCH, timeout=0)      # job2 was first and does not fit
    assert slots.acquire("job2", timeout=0)


def test_full_speed_turns_go_round_by_cpu_used():
    slots = ComputeSlots(2, clock=FakeClock())
    runs = [f"f{i}" for i in range(4)]
    for r in runs:
        assert slots.join(r, None, timeout=0)
    served = {r: 0 for r in runs}
    for _ in range(40):
        holding = [r for r in runs if slots.take_turn(r, timeout=0)]
        assert len(holding) == 2                           # two cores: two at a time
        for r in holding:
            served[r] += 1
            slots.end_turn(r, cpu_s=0.05)
    assert set(served.values()) == {20}


def test_a_full_speed_newcomer_starts_level_and_cannot_monopolise():
    slots = ComputeSlots(1, clock=FakeClock())
    slots.join("old", None, timeout=0)
    for _ in range(10):
        assert slots.take_turn("old", timeout=0)
        slots.end_turn("old", cpu_s=0.05)
    slots.join("new", None, timeout=0)
    turns = []
    for _ in range(6):
        who = next(r for r in ("old", "new") if slots.take_turn(r, timeout=0))
        turns.append(who)
        slots.end_turn(who, cpu_s=0.05)
    assert turns.count("new") == 3 and turns.count("old") == 3


def test_changing_pace_moves_a_run_between_paced_and_full_speed():
    slots = ComputeSlots(2, clock=FakeClock())
    watched(slots, "r")
    assert slots.pace_for("r") == WATCH
    assert slots.join("r", None, timeout=0)
    assert slots.pace_for("r") is None and slots.take_turn("r", timeout=0)
    slots.end_turn("r", 0.01)
    slots.leave("r")
    assert slots.busy() == 0


# ------------------------------------------------------------------ real threads
SPIRAL = RunConfig(dataset="spiral", optimizer="adam", lr=0.01, batch_size=32,
                   length=1_000_000)


def steps_over(reg, ids, seconds: float) -> list[float]:
    before = [reg.snapshot(i, poll=False, max_points=2).step for i in ids]
    t0 = time.perf_counter()
    time.sleep(seconds)
    after = [reg.snapshot(i, poll=False, max_points=2).step for i in ids]
    return [(b - a) / (time.perf_counter() - t0) for a, b in zip(before, after)]


def test_ten_watch_paced_runs_all_train_at_once_on_two_cores():
    reg = RunRegistry(Limits(max_concurrent=2, max_live_per_owner=100, reap_every_s=60))
    try:
        ids = [reg.start(SPIRAL, owner=f"student{i}", pace=WATCH) for i in range(10)]
        assert wait_until(lambda: all(reg.snapshot(i).step > 20 for i in ids), timeout=30)
        rates = steps_over(reg, ids, 1.5)
        assert all(r > 0 for r in rates), rates
        assert reg.usage() == (10, 0)            # the old cap of 2 queued 8 of them
        assert {reg.snapshot(i).status for i in ids} == {Status.RUNNING}
        share = reg.compute()
        assert all(r.step_cost_ms for r in share.rows)        # measured, not guessed
    finally:
        reg.shutdown()


def jain(xs: list[float]) -> float:
    return sum(xs) ** 2 / (len(xs) * sum(x * x for x in xs)) if any(xs) else 0.0


def test_four_full_speed_runs_share_the_cores_fairly():
    reg = RunRegistry(Limits(max_concurrent=2, max_live_per_owner=100, reap_every_s=60))
    try:
        ids = [reg.start(SPIRAL, owner="me") for _ in range(4)]
        assert wait_until(lambda: all(reg.snapshot(i).step > 50 for i in ids), timeout=30)
        rates = steps_over(reg, ids, 2.0)
        # Turns go to the run with the least CPU so far, so CPU is split within one
        # 50 ms slice; 0.8 (one run at half the others' speed still scores 0.94)
        # leaves room for a machine busy with other work.
        assert jain(rates) >= 0.8, rates
    finally:
        reg.shutdown()


def test_a_paused_run_gives_its_share_back():
    reg = RunRegistry(Limits(max_concurrent=2, reap_every_s=60))
    try:
        run = reg.start(SPIRAL, owner="me", pace=WATCH)
        assert wait_until(lambda: reg.snapshot(run).step > 10)
        assert reg.usage()[0] == 1
        reg.pause(run)
        assert wait_until(lambda: reg.usage()[0] == 0)
        reg.resume(run)
        assert wait_until(lambda: reg.usage()[0] == 1)
    finally:
        reg.shutdown()


def test_bad_capacity_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="at least one core"):
        ComputeSlots(0)
