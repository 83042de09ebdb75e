"""Runs on lanes (real worker processes): the same training, the same commands, the same
record the pages and the store read, as a run on a thread."""
import os
import signal

import numpy as np
import pytest
import torch

from playground.config import RunConfig
from playground.runs.registry import Limits, RunRegistry
from playground.runs.status import Status
from tests.waiting import wait_until

SHORT = RunConfig(dataset="spiral", optimizer="adam", lr=0.01, batch_size=32, length=300)
LONG = SHORT.replace(length=10_000_000)


class Heard:
    """A tap like the run store's: every point and event a run reports."""

    def __init__(self):
        self.steps, self.evals, self.events, self.ended = [], [], [], []

    def step(self, step, loss, lr):
        self.steps.append((step, loss))

    def evaluation(self, step, *values):
        self.evals.append((step, values))

    def event(self, step, kind, detail):
        self.events.append(kind)


@pytest.fixture(scope="module")
def lanes():
    reg = RunRegistry(Limits(lanes=2, reap_every_s=600))
    heard = {}

    def listen(record):
        heard[record.run_id] = Heard()
        record.taps.add(heard[record.run_id])
        record.on_end(lambda r: heard[r.run_id].ended.append(r.status))
    reg.on_run_start(listen)
    reg.heard = heard
    yield reg
    reg.shutdown()


@pytest.mark.parametrize("dataset", ["spiral", "plane"])     # classification, regression
def test_a_run_on_a_lane_trains_exactly_as_on_a_thread(lanes, registry, dataset):
    config = SHORT.replace(dataset=dataset)
    on_lane, on_thread = lanes.start(config, owner="a"), registry.start(config, owner="a")
    lanes.join(on_lane, 60)
    registry.join(on_thread, 60)
    a, b = lanes.snapshot(on_lane), registry.snapshot(on_thread)
    assert a.status == b.status == Status.FINISHED and a.step == b.step == 300
    np.testing.assert_array_equal(a.history["train"]["loss"], b.history["train"]["loss"])
    assert a.history["eval"].keys() == b.history["eval"].keys()
    for name in set(b.history["eval"]) - {"time"}:  # val loss and accuracy, or RMSE and R²
        np.testing.assert_array_equal(a.history["eval"][name], b.history["eval"][name])
    assert (a.val_acc, a.test_acc, a.val_rmse, a.val_r2, a.target) == \
        (b.val_acc, b.test_acc, b.val_rmse, b.val_r2, b.target)
    for name in b.weights:
        assert torch.equal(a.weights[name], b.weights[name]), name
    heard = lanes.heard[on_lane]
    assert [s for s, _ in heard.steps] == list(range(1, 301))   # every point, once
    assert heard.evals[0][0] == 0 and heard.evals[-1][0] == 300
    assert len(heard.evals[0][1]) == (3 if dataset == "plane" else 2)   # + RMSE, R²
    assert heard.ended == [Status.FINISHED]


def test_commands_are_applied_before_the_call_returns(lanes):
    rid = lanes.start(LONG, owner="b", pace=50)
    assert wait_until(lambda: lanes.snapshot(rid).step > 5, 30)
    lanes.pause(rid)
    paused = lanes.snapshot(rid)
    assert paused.status == Status.PAUSED        # in the same rerun, as on a thread
    lanes.step(rid, 7)
    assert wait_until(lambda: lanes.snapshot(rid).step == paused.step + 7, 10)
    assert lanes.snapshot(rid).status == Status.PAUSED
    lanes.set_lr(rid, 0.5)
    assert lanes.snapshot(rid).lr == 0.5
    lanes.set_pace(rid, None)
    assert lanes.snapshot(rid).pace is None
    lanes.resume(rid)
    assert lanes.snapshot(rid).status == Status.RUNNING
    lanes.stop(rid)
    done = lanes.snapshot(rid)
    assert done.status == Status.STOPPED and "stopped at step" in done.message
    assert lanes.heard[rid].events == ["pause", "step", "lr", "resume", "stop"]


def test_a_paused_run_on_a_lane_can_be_drawn_as_a_loss_surface(lanes):
    rid = lanes.start(SHORT.replace(length=200), owner="c")
    lanes.join(rid, 60)
    trace = lanes.capture(rid)
    assert trace.steps[0] == 0 and trace.steps[-1] == 200
    assert trace.points.shape[1] == lanes.snapshot(rid).n_params
    assert lanes.task(rid).n_classes == 3


def test_weights_it_continues_from_reach_the_lane(lanes, registry):
    source = registry.start(SHORT.replace(length=50), owner="d")
    registry.join(source, 60)
    saved = registry.snapshot(source).weights
    rid = lanes.start(SHORT.replace(length=10_000_000), owner="d", start_paused=True,
                      init_state=saved)
    assert wait_until(lambda: lanes.snapshot(rid).weights is not None, 30)
    for name, value in saved.items():
        assert torch.equal(lanes.snapshot(rid).weights[name], value), name
    lanes.stop(rid)


def test_a_run_that_cannot_be_built_fails_with_its_reason(lanes):
    wrong = {"not.a.layer": torch.zeros(3)}
    rid = lanes.start(SHORT, owner="e", init_state=wrong)
    assert wait_until(lambda: lanes.snapshot(rid).status == Status.FAILED, 30)
    assert "state_dict" in lanes.snapshot(rid).hint or "Unexpected" in lanes.snapshot(rid).hint


def test_full_speed_runs_on_one_lane_take_fair_turns():
    reg = RunRegistry(Limits(lanes=1, reap_every_s=600))
    try:
        ids = [reg.start(LONG, owner=f"f{i}") for i in range(2)]
        assert wait_until(lambda: all(reg.snapshot(i).step > 200 for i in ids), 60)
        first = [reg.snapshot(i).step for i in ids]
        assert wait_until(lambda: sum(reg.snapshot(i).step for i in ids) > sum(first) + 4000,
                          60)
        gained = [reg.snapshot(i).step - s for i, s in zip(ids, first)]
        assert 0.6 < gained[0] / gained[1] < 1.6, gained
    finally:
        reg.shutdown()


def test_a_lane_that_dies_fails_its_runs_only_and_the_next_run_gets_a_new_lane():
    reg = RunRegistry(Limits(lanes=1, reap_every_s=600))
    try:
        rid = reg.start(LONG, owner="g")
        assert wait_until(lambda: reg.snapshot(rid).step > 100, 60)
        pid = reg.lanes()[0]["pid"]
        os.kill(pid, signal.SIGKILL)
        assert wait_until(lambda: reg.snapshot(rid).status == Status.FAILED, 30)
        dead = reg.snapshot(rid)
        assert "training process stopped" in dead.message and "-9" in dead.message
        assert dead.step > 100 and len(dead.history["train"]["loss"]) > 0   # history kept
        again = reg.start(SHORT, owner="g")
        reg.join(again, 60)
        assert reg.snapshot(again).status == Status.FINISHED
        assert reg.lanes()[0]["pid"] != pid
    finally:
        reg.shutdown()
    assert wait_until(lambda: not _alive(pid), 10)


def test_shutdown_leaves_no_lane_process_behind():
    reg = RunRegistry(Limits(lanes=1, reap_every_s=600))
    rid = reg.start(LONG, owner="h")
    assert wait_until(lambda: reg.snapshot(rid).step > 0, 60)
    pids = [lane["pid"] for lane in reg.lanes()]
    reg.shutdown()
    assert reg.snapshot(rid).status == Status.STOPPED
    assert wait_until(lambda: not any(_alive(p) for p in pids), 10)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:   # a zombie (exited, not yet reaped) counts as gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[1].split()[0] != "Z"
    except OSError:
        return False
