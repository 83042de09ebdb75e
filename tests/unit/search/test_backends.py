"""Trials on every core: a real pool of worker processes and a real local Ray.

A worker that dies fails only its trial, Cancel stops running trials and leaves no
process behind, and Ray runs the very same trial function.
"""
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from playground.config import RunConfig
from playground.runs.jobs import Cancelled, Progress
from playground.search.backends import InProcess
from playground.search.pool import WorkerPool
from playground.search.space import FieldRange, SearchSettings
from playground.search.study import run_search
from tests.waiting import wait_until

DIGITS = RunConfig(dataset="digits", width=16)


def children() -> set[int]:
    """Live (not zombie) processes whose parent is this test process."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            out.add(int(stat.parent.name))
    return out


@pytest.fixture(scope="module")
def pool():
    pool = WorkerPool(2)
    pool.start()
    yield pool
    pool.close()


def search_in_thread(settings, backend, progress=None):
    box = {}

    def go():
        try:
            box["result"] = run_search(DIGITS, settings, backend, progress)
        except Cancelled:
            box["cancelled"] = True
    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    return thread, box


def test_the_pool_runs_trials_in_other_processes_with_one_thread_each(pool):
    settings = SearchSettings(fields=(FieldRange("lr", 1e-3, 1e-1),), sampler="random",
                              trials=4, steps=100, checkpoints=2)
    _, records = run_search(DIGITS, settings, pool)
    assert [r.state for r in records] == ["complete"] * 4
    assert {r.config["lr"] for r in records} == {r.params["lr"] for r in records}
    assert pool.pids() and os.getpid() not in pool.pids()


def test_a_killed_worker_fails_only_its_trial(pool):
    settings = SearchSettings(fields=(FieldRange("lr", 1e-3, 1e-2),), sampler="random",
                              trials=2, steps=4000, checkpoints=2)
    victim = pool.pids()[0]
    thread, box = search_in_thread(settings, pool)
    assert wait_until(lambda: pool.idle == 0, 10)
    time.sleep(0.3)
    os.kill(victim, signal.SIGKILL)
    thread.join(120)
    states = sorted(r.state for r in box["result"][1])
    assert states == ["complete", "failed"]
    failed = next(r for r in box["result"][1] if r.state == "failed")
    assert "died" in failed.message
    assert len(pool.pids()) == 2 and victim not in pool.pids()


def test_cancel_stops_the_trials_and_leaves_no_orphan_process(pool):
    before = children()
    settings = SearchSettings(fields=(FieldRange("lr", 1e-3, 1e-2),), sampler="random",
                              trials=6, steps=20_000, checkpoints=2)
    progress = Progress()
    thread, box = search_in_thread(settings, pool, progress)
    assert wait_until(lambda: pool.idle == 0, 10)
    t0 = time.monotonic()
    progress.cancel_requested.set()
    thread.join(30)
    assert box.get("cancelled") and time.monotonic() - t0 < 20
    # As many processes as before: the warm workers (or, for one that did not stop
    # within the grace period, its replacement), nothing extra.
    assert len(children()) == len(before)
    assert pool.idle == 2
    workers = pool.pids()
    pool.close()
    assert not (set(workers) & children())


@pytest.fixture(scope="module")
def ray_backend():
    ray = pytest.importorskip("ray")
    from playground.search.ray_backend import RayBackend

    t0 = time.monotonic()
    backend = RayBackend(num_cpus=2)
    assert time.monotonic() - t0 < 90, "a local Ray took over 90 s to start"
    yield backend
    ray.shutdown()


def test_ray_runs_the_same_trial_function(ray_backend):
    settings = SearchSettings(fields=(FieldRange("lr", 1e-3, 1e-1),
                                      FieldRange("batch_size", choices=(16, 64))),
                              sampler="grid", grid_points=2, trials=4, steps=100, checkpoints=2)
    _, on_ray = run_search(DIGITS, settings, ray_backend)
    _, in_process = run_search(DIGITS, settings, InProcess())
    assert ray_backend.workers == 2
    assert ({(tuple(r.params.items()), round(r.value, 6)) for r in on_ray}
            == {(tuple(r.params.items()), round(r.value, 6)) for r in in_process})


def test_ray_connects_once_per_process(ray_backend):
    from playground.search.ray_backend import connect

    assert connect() is ray_backend.ray   # a second call reuses the running Ray
