"""A run waits only when the lanes are really saturated, and says why and how long."""
from playground.config import RunConfig
from playground.runs.lanes import admission
from playground.runs.registry import Limits, RunRegistry
from playground.runs.status import Status
from tests.waiting import wait_until

LONG = RunConfig(dataset="spiral", optimizer="adam", lr=0.01, batch_size=32, length=10_000_000)


def test_a_class_of_watch_runs_fits_where_a_count_of_slots_would_queue_them():
    cost = 0.3e-3                                   # the classroom MLP's step, CPU s
    floors = [admission.floor(150, cost) for _ in range(20)]
    assert sum(floors) < 1                          # twenty students: under one core
    assert admission.fits(floors, admission.floor(150, cost), cores=2)
    many = [admission.floor(150, cost)] * 88        # about 88 × 0.0225 = 1.98 cores
    assert not admission.fits(many, admission.floor(150, cost), cores=2)


def test_full_speed_runs_keep_a_floor_and_the_first_run_always_fits():
    assert admission.floor(None, None) == admission.FULL_SPEED_FLOOR
    assert admission.fits([], admission.floor(1e6, 1.0), cores=1)
    assert admission.floor(1e6, 1.0) == admission.MIN_PACE_FRACTION   # at most a core


def test_the_expected_wait_is_the_first_run_to_finish():
    assert admission.expected_wait([(1000, 100.0), (300, 150.0), (50, 0.0)]) == 2.0
    assert admission.expected_wait([(50, 0.0)]) is None


def test_a_saturated_lane_queues_the_next_run_and_starts_it_when_one_stops():
    reg = RunRegistry(Limits(lanes=1, reap_every_s=600))
    try:
        n = round(1 / admission.FULL_SPEED_FLOOR)      # full-speed runs one core keeps
        ids = [reg.start(LONG, owner=f"s{i}") for i in range(n)]
        assert wait_until(lambda: all(reg.snapshot(i).status == Status.RUNNING
                                      for i in ids), 60)
        late = reg.start(LONG, owner="late")
        spare = reg.start(LONG, owner="spare")
        snap = reg.snapshot(late)
        assert snap.status == Status.QUEUED and snap.queue_position == 1
        assert "saturated" in snap.message and "place 1 in line" in snap.message
        assert reg.snapshot(spare).queue_position == 2
        reg.stop(spare)                               # leaves the line, never trained
        assert reg.snapshot(spare).status == Status.STOPPED
        assert reg.snapshot(spare).message == "stopped before it started"
        reg.set_lr(late, 0.5)                         # kept for its lane
        reg.stop(ids[0])
        assert wait_until(lambda: reg.snapshot(late).status == Status.RUNNING, 30)
        assert wait_until(lambda: reg.snapshot(late).step > 0, 30)
        assert reg.snapshot(late).lr == 0.5
        paused = reg.start(LONG, owner="p")           # full again: it waits ...
        assert reg.snapshot(paused).status == Status.QUEUED
        reg.pause(paused)                             # ... until paused: that costs nothing
        assert reg.snapshot(paused).status == Status.PAUSED
        assert wait_until(lambda: reg.snapshot(paused).weights is not None, 30)
    finally:
        reg.shutdown()
