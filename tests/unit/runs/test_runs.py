import random
import threading
import time

import pytest

from playground.config import InvalidConfig, RunConfig
from playground.runs.registry import Limits, RunLimitError, RunRegistry
from playground.runs.status import Status
from tests.waiting import wait_until


def test_run_finishes_with_history_and_test_metrics(registry):
    run = registry.start(RunConfig(length=300, eval_every=50), owner="a")
    assert wait_until(lambda: registry.snapshot(run).status == Status.FINISHED)
    snap = registry.snapshot(run)
    assert snap.step == 300 and snap.progress == 1.0 and snap.test_acc is not None
    assert snap.history["train"]["step"][-1] == 300
    assert snap.history["eval"]["step"].tolist() == [0, 50, 100, 150, 200, 250, 300]
    assert snap.weights is not None and snap.weights_step == 300
    assert not snap.history["train"]["loss"].flags.writeable


def test_pause_step_resume_stop(registry):
    run = registry.start(RunConfig(length=100_000), owner="a", start_paused=True)
    assert wait_until(lambda: registry.snapshot(run).total_steps > 0)
    assert registry.snapshot(run).status == Status.PAUSED
    registry.step(run, 7)
    assert wait_until(lambda: registry.snapshot(run).step == 7)
    time.sleep(0.2)
    assert registry.snapshot(run).step == 7  # stays paused after stepping
    registry.resume(run)
    assert wait_until(lambda: registry.snapshot(run).step > 100)
    registry.pause(run)
    assert wait_until(lambda: registry.snapshot(run).status == Status.PAUSED)
    at = registry.snapshot(run).step
    time.sleep(0.2)
    assert registry.snapshot(run).step == at
    registry.stop(run)
    assert wait_until(lambda: registry.snapshot(run).status == Status.STOPPED)
    registry.join(run, timeout=5)


def test_live_lr_change_reaches_the_next_steps(registry):
    run = registry.start(RunConfig(length=100_000, optimizer="sgd", lr=0.01), owner="a",
                         start_paused=True)
    assert wait_until(lambda: registry.snapshot(run).total_steps > 0)
    registry.step(run, 5)
    assert wait_until(lambda: registry.snapshot(run).step == 5)
    registry.set_lr(run, 0.5)
    registry.step(run, 5)
    assert wait_until(lambda: registry.snapshot(run).step == 10)
    lrs = registry.snapshot(run).history["train"]["lr"].tolist()
    assert lrs == [0.01] * 5 + [0.5] * 5


def test_divergence_is_reported_with_step_and_hint(registry):
    run = registry.start(RunConfig(optimizer="sgd", lr=1e3, length=5000), owner="a")
    assert wait_until(lambda: registry.snapshot(run).status == Status.DIVERGED)
    snap = registry.snapshot(run)
    assert snap.diverged_at is not None and snap.diverged_at < 5000
    assert f"step {snap.diverged_at:,}" in snap.message
    assert "learning rate" in snap.hint
    assert len(snap.history["train"]["step"]) == snap.diverged_at  # history kept


def test_exception_becomes_failed_not_a_dead_thread(registry, monkeypatch):
    from playground.training import trainer as engine

    def boom(self):
        raise RuntimeError("out of cheese")

    monkeypatch.setattr(engine.Trainer, "step", boom)
    run = registry.start(RunConfig(), owner="a")
    assert wait_until(lambda: registry.snapshot(run).status == Status.FAILED)
    assert "out of cheese" in registry.snapshot(run).message


def test_invalid_config_is_refused_with_every_field(registry):
    with pytest.raises(InvalidConfig) as exc:
        registry.start(RunConfig(lr=-1.0, dropout=3.0), owner="a")
    assert {e.field for e in exc.value.errors} == {"lr", "dropout"}


def test_compute_slots_queue_extra_runs_visibly():
    reg = RunRegistry(Limits(max_concurrent=1))
    try:
        a = reg.start(RunConfig(length=1_000_000), owner="a")
        assert wait_until(lambda: reg.snapshot(a).status == Status.RUNNING)
        b = reg.start(RunConfig(length=10), owner="b")
        assert wait_until(lambda: reg.snapshot(b).queue_position == 1)
        assert reg.snapshot(b).status == Status.QUEUED and reg.snapshot(b).step == 0
        reg.pause(a)  # a paused run gives its slot away
        assert wait_until(lambda: reg.snapshot(b).status == Status.FINISHED)
        reg.resume(a)
        assert wait_until(lambda: reg.snapshot(a).status == Status.RUNNING)
    finally:
        reg.shutdown()


def test_per_session_live_run_limit():
    reg = RunRegistry(Limits(max_live_per_owner=2))
    try:
        for _ in range(2):
            reg.start(RunConfig(length=1_000_000), owner="s", start_paused=True)
        with pytest.raises(RunLimitError, match="limit is 2"):
            reg.start(RunConfig(), owner="s")
        reg.start(RunConfig(), owner="other", start_paused=True)  # others unaffected
    finally:
        reg.shutdown()


def test_unwatched_runs_are_paused_then_stopped():
    reg = RunRegistry(Limits(pause_after_s=0.3, stop_after_s=0.8, reap_every_s=0.05))
    try:
        run = reg.start(RunConfig(length=10_000_000), owner="a")
        status = lambda: reg.snapshot(run, poll=False).status  # noqa: E731 (unwatched read)
        reg.touch("a")
        assert wait_until(lambda: reg.touch("a") or status() == Status.RUNNING, 10)
        assert wait_until(lambda: status() == Status.PAUSED, 5)
        assert "nobody watched" in reg.snapshot(run, poll=False).message
        assert wait_until(lambda: status() == Status.STOPPED, 5)
        # a watched run is left alone
        watched = reg.start(RunConfig(length=10_000_000), owner="b")
        assert wait_until(lambda: reg.touch("b") or reg.snapshot(watched).step > 0, 10)
        for _ in range(15):
            reg.touch("b")
            time.sleep(0.05)
        assert reg.snapshot(watched).status == Status.RUNNING
    finally:
        reg.shutdown()


def test_pace_caps_steps_per_second(registry):
    run = registry.start(RunConfig(length=1_000_000), owner="a", pace=50.0)
    assert wait_until(lambda: registry.snapshot(run).step > 0)
    s0, t0 = registry.snapshot(run).step, time.monotonic()
    time.sleep(1.0)
    rate = (registry.snapshot(run).step - s0) / (time.monotonic() - t0)
    assert rate <= 60


def test_random_commands_from_many_threads_do_not_deadlock():
    baseline = threading.active_count()
    reg = RunRegistry(Limits(max_concurrent=2, max_live_per_owner=100))
    runs = [reg.start(RunConfig(length=2000, width=8), owner=f"s{i}",
                      start_paused=i % 2 == 0) for i in range(6)]
    commands = ["pause", "resume", "step", "stop", "set_lr", "snapshot"]

    def hammer(seed):
        rnd = random.Random(seed)
        for _ in range(1000 // 4):
            run, cmd = rnd.choice(runs), rnd.choice(commands)
            if cmd == "snapshot":
                reg.snapshot(run)
            elif cmd == "step":
                reg.step(run, rnd.randint(1, 20))
            elif cmd == "set_lr":
                reg.set_lr(run, 10 ** rnd.uniform(-4, -1))
            else:
                getattr(reg, cmd)(run)

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
        assert not t.is_alive(), "a client thread is stuck"
    for run in runs:  # everything still answers
        assert reg.snapshot(run) is not None
    reg.shutdown(timeout=10)
    assert wait_until(lambda: threading.active_count() <= baseline, 10), \
        [t.name for t in threading.enumerate()]


def test_closed_session_runs_pause_after_grace_then_stop_and_come_back_on_touch():
    reg = RunRegistry(Limits(released_pause_after_s=0.2, released_stop_after_s=0.8,
                             reap_every_s=0.05))
    try:
        a = reg.start(RunConfig(length=10_000_000), owner="gone")
        b = reg.start(RunConfig(length=10_000_000), owner="blip")
        assert wait_until(lambda: (reg.touch("gone") or reg.touch("blip")
                                   or reg.snapshot(a).step > 0 and reg.snapshot(b).step > 0))
        reg.release("gone")
        reg.release("blip")
        gone = lambda: reg.snapshot(a, poll=False)  # noqa: E731 (nobody is watching it)
        assert wait_until(lambda: gone().status == Status.PAUSED, 5)
        assert "tab was closed" in gone().message
        reg.touch("blip")                  # the connection came back: nothing happens
        reg.resume(b)
        assert wait_until(lambda: gone().status == Status.STOPPED, 5)
        for _ in range(10):
            reg.touch("blip")
            time.sleep(0.1)
        assert reg.snapshot(b).status == Status.RUNNING
        assert reg.disconnected() == {"gone"}
    finally:
        reg.shutdown()


def test_limits_from_environment():
    lim = Limits.from_env({"PLAYGROUND_MAX_CONCURRENT": "4", "PLAYGROUND_PAUSE_AFTER_S": "5"})
    assert lim.max_concurrent == 4 and lim.pause_after_s == 5.0
    with pytest.raises(ValueError, match="PLAYGROUND_MAX_CONCURRENT"):
        Limits.from_env({"PLAYGROUND_MAX_CONCURRENT": "many"})
    with pytest.raises(ValueError, match="positive"):
        Limits.from_env({"PLAYGROUND_STOP_AFTER_S": "-1"})


def test_ended_runs_are_bounded_for_the_whole_server():
    reg = RunRegistry(Limits(max_ended_total=3, keep_ended_per_owner=100))
    try:
        ids = []
        for i in range(6):
            ids.append(reg.start(RunConfig(length=5), owner=f"s{i}"))
            assert wait_until(lambda: reg.snapshot(ids[-1]).status == Status.FINISHED)
        reg.start(RunConfig(length=5), owner="last")
        kept = [r for r in ids if reg.snapshot(r) is not None]
        assert kept == ids[-3:]
    finally:
        reg.shutdown()


def test_pages_poll_less_as_more_sessions_watch_and_never_for_idle_runs():
    from playground.ui.widgets.live import poll_intervals

    reg = RunRegistry(Limits(max_concurrent=1))
    try:
        a = reg.start(RunConfig(length=10_000_000), owner="s1")
        assert wait_until(lambda: reg.snapshot(a).status == Status.RUNNING)
        running = reg.snapshot(a)
        assert poll_intervals(running, 1) == (0.5, 0.5)
        assert poll_intervals(running, 12) == (2.0, 2.0)
        assert poll_intervals(running, 20) == (3.0, 3.0)
        # a session's own spread stretches its period by up to a quarter, never less
        assert poll_intervals(running, 20, spread=0.99)[1] == 3.0 * (1 + 0.99 / 4)
        b = reg.start(RunConfig(length=10), owner="s2")
        assert wait_until(lambda: reg.snapshot(b).status == Status.QUEUED)
        status_every, charts_every = poll_intervals(reg.snapshot(b), 2)
        assert status_every >= 3.0 and charts_every is None       # queued: status only
        assert reg.watched_sessions() == 2
        reg.release("s2")
        assert reg.watched_sessions() == 1
        reg.stop(a)
        assert wait_until(lambda: not reg.snapshot(a).active)
        assert poll_intervals(reg.snapshot(a), 1) == (None, None)
    finally:
        reg.shutdown()


def test_a_closed_comparison_tab_leaves_a_reaper_that_still_works():
    """The reaper pauses comparison members like any run (the same commands), and a
    run that breaks while being reaped does not stop it reaping the others."""
    reg = RunRegistry(Limits(released_pause_after_s=0.1, released_stop_after_s=60,
                             reap_every_s=0.05))
    try:
        cfgs = [RunConfig(length=10_000_000, optimizer="sgd", lr=0.1), RunConfig(length=10_000_000)]
        group = reg.start_group(cfgs, ["sgd", "adam"], owner="compare-tab")
        members = lambda: reg.group(group, poll=False).members  # noqa: E731
        assert wait_until(lambda: all(s.step > 0 for s in members()))
        reg.release("compare-tab")           # the tab closed
        assert wait_until(lambda: all(s.status == Status.PAUSED for s in members()), 5)
        assert all("tab was closed" in s.message for s in members())
        assert reg._reaper.is_alive()
        # Later a broken run: reaping it raises, the reaper logs it and goes on.
        broken = reg.start(RunConfig(length=10_000_000), owner="tab-2")
        reg._table.get(broken).record.last_polled = "not a time"     # reap_action raises on it
        other = reg.start(RunConfig(length=10_000_000), owner="tab-3")
        assert wait_until(lambda: reg.snapshot(other, poll=False).status == Status.RUNNING)
        reg.release("tab-2")
        reg.release("tab-3")
        assert wait_until(lambda: reg.snapshot(other, poll=False).status == Status.PAUSED, 5)
        assert reg._reaper.is_alive()
    finally:
        reg.shutdown()


def test_the_status_line_says_where_a_paused_run_is_now(registry):
    run = registry.start(RunConfig(length=100_000), owner="a", start_paused=True)
    assert wait_until(lambda: registry.snapshot(run).total_steps > 0)
    assert registry.snapshot(run).message == "paused before the first step"
    registry.step(run, 1)
    assert wait_until(lambda: registry.snapshot(run).step == 1)
    assert registry.snapshot(run).message == "paused at step 1"
    registry.resume(run)
    assert wait_until(lambda: registry.snapshot(run).step > 50)
    registry.pause(run)
    assert wait_until(lambda: registry.snapshot(run).status == Status.PAUSED)
    at = registry.snapshot(run).step
    registry.step(run, 15)
    assert wait_until(lambda: registry.snapshot(run).step == at + 15)
    assert registry.snapshot(run).message == f"paused at step {at + 15:,}"


def test_a_runs_path_is_recorded_from_its_initial_weights(registry):
    import torch

    from playground.training.trainer import Trainer

    cfg = RunConfig(length=600)
    run = registry.start(cfg, owner="a")
    registry.join(run, timeout=30)
    trace = registry.capture(run)
    assert trace.steps[0] == 0 and trace.steps[-1] == 600 and len(trace.steps) <= 200
    assert trace.points.shape == (len(trace.steps), Trainer(cfg).n_params)
    assert torch.equal(trace.points[0], Trainer(cfg).flat_params())     # where it started
    final = registry.snapshot(run).weights
    assert torch.equal(trace.points[-1], torch.cat([v.reshape(-1) for v in final.values()]))


def test_a_surface_capture_of_a_stepping_paused_run_is_one_consistent_moment(registry):
    """Step commands move a paused run while its path is captured: the captured final
    point must be the weights at the captured final step (replayed from the seed), never
    weights from the middle of the steps."""
    import torch

    from playground.training.trainer import Trainer

    cfg = RunConfig(length=100_000, width=32)
    run = registry.start(cfg, owner="a", start_paused=True)
    assert wait_until(lambda: registry.snapshot(run).total_steps > 0)
    registry.step(run, 20)
    assert wait_until(lambda: registry.snapshot(run).step == 20)
    registry.step(run, 400)                   # pending steps: the run moves while paused
    traces = []
    while registry.snapshot(run).step < 420:
        traces.append(registry.capture(run))
    traces.append(registry.capture(run))
    for trace in {t.steps[-1]: t for t in traces}.values():
        replay = Trainer(cfg)
        for _ in range(trace.steps[-1]):
            replay.step()
        assert torch.equal(trace.points[-1], replay.flat_params()), trace.steps[-1]


def test_the_server_rows_hold_up_while_sessions_come_and_go(registry):
    from playground.ui.pages.server.page import run_rows

    runs = [registry.start(RunConfig(length=100_000), owner=f"s{i}", start_paused=True)
            for i in range(4)]
    stop = threading.Event()
    errors = []

    def churn():
        i = 0
        while not stop.is_set():
            registry.release(f"s{i % 4}")
            registry.touch(f"s{(i + 1) % 4}")
            i += 1

    def read():
        try:
            while not stop.is_set():
                assert {r["run"] for r in run_rows(registry)} == set(runs)
        except Exception as exc:   # noqa: BLE001 - the failure is what is tested
            errors.append(exc)

    threads = [threading.Thread(target=f) for f in (churn, churn, read)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    stop.set()
    for t in threads:
        t.join(5)
    assert not errors, errors
