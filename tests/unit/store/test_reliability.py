"""The store under stress: a killed process, 20 runs at once, a broken database.

Each case checks the promise made to users: training never waits for or fails because
of the database; what was written survives a crash; when history cannot be saved the
store says so in plain words instead of raising.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from playground.config import RunConfig
from playground.runs.registry import Limits, RunRegistry
from playground.store import RunFilter, RunStore, schema
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[3]
SMALL = RunConfig(dataset="spiral", n_samples=300, length=150, eval_every=50)


CHILD = textwrap.dedent("""
    import sys, time
    from playground.config import RunConfig
    from playground.runs.registry import Limits, RunRegistry
    from playground.store import RunStore
    store = RunStore(sys.argv[1], flush_s=0.3)
    reg = RunRegistry(Limits(max_concurrent=1))
    store.connect(reg)
    run_id = reg.start(RunConfig(dataset="spiral", n_samples=300, length=19_000,
                                 eval_every=100), owner="killed", pace=400)
    print(run_id, flush=True)
    time.sleep(600)
""")


def test_a_killed_server_leaves_its_run_interrupted_with_every_flushed_point(store_url):
    child = subprocess.Popen([sys.executable, "-c", CHILD, store_url], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    engine = create_engine(store_url)
    try:
        run_id = child.stdout.readline().strip()
        assert run_id, "the child process did not start its run"
        points = schema.points

        def written() -> int:
            with engine.connect() as conn:
                return conn.execute(select(func.count()).select_from(points).where(
                    points.c.run_id == run_id, points.c.series == "loss")).scalar()

        assert wait_until(lambda: written() >= 300, timeout=60), "no points were flushed"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        with engine.connect() as conn:
            steps = [s for (s,) in conn.execute(select(points.c.step).where(
                points.c.run_id == run_id, points.c.series == "loss").order_by(points.c.step))]
    finally:
        if child.poll() is None:
            child.kill()
        engine.dispose()
    assert steps == list(range(1, len(steps) + 1))          # nothing missing up to the last flush
    store = RunStore(store_url, flush_s=0.1)
    try:
        assert store.interrupted_on_open == 1
        run = store.get_run(run_id)
        assert run.status == "interrupted" and run.step == steps[-1]
        assert f"interrupted at step {steps[-1]:,}" in run.message
        assert store.points([run_id])[run_id]["loss"][0] == steps
        assert [e["kind"] for e in store.events(run_id)][-1] == "interrupted"
        if store_url.startswith("sqlite"):
            with store.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        store.close()


def test_twenty_runs_at_once_lose_no_point_and_never_report_a_locked_database(
        store_url, caplog):
    caplog.set_level(logging.WARNING)
    store = RunStore(store_url, flush_s=0.2)
    reg = RunRegistry(Limits(max_concurrent=4, max_live_per_owner=20, reap_every_s=60))
    store.connect(reg)
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:           # a page listing and overlaying while runs write
        try:
            while not done.is_set():
                found = store.list_runs(RunFilter(owner="class"))
                store.curves([r.id for r in found[:5]])
                for r in found[:3]:
                    if not r.live:
                        store.rename(r.id, f"checked {r.id}", owner="class")
        except BaseException as exc:    # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        ids = [reg.start(SMALL.replace(seed=i), owner="class") for i in range(20)]
        for run_id in ids:
            reg.join(run_id, 120)
        done.set()
        for t in threads:
            t.join(30)
        assert store.flush()
        assert not errors, errors
        for run_id in ids:
            points = store.points([run_id])[run_id]
            assert points["loss"][0] == list(range(1, 151)), run_id
            assert points["val_loss"][0] == [0, 50, 100, 150], run_id
            assert store.get_run(run_id).status == "finished"
        assert store.health().ok
        assert "locked" not in caplog.text
    finally:
        done.set()
        reg.shutdown()
        store.close()


def test_two_processes_sharing_one_sqlite_file_both_keep_every_point(tmp_path):
    url = f"sqlite:///{tmp_path}/shared.db"
    stores = [RunStore(url, flush_s=0.1) for _ in range(2)]
    regs = [RunRegistry(Limits(max_concurrent=2, reap_every_s=60)) for _ in range(2)]
    for store, reg in zip(stores, regs):
        store.connect(reg)
    try:
        ids = [(reg, reg.start(SMALL.replace(seed=i), owner="x")) for i in range(5)
               for reg in regs]
        for reg, run_id in ids:
            reg.join(run_id, 120)
        assert all(s.flush() for s in stores)
        for _, run_id in ids:
            assert stores[0].points([run_id])[run_id]["loss"][0] == list(range(1, 151))
        assert all(s.health().ok for s in stores)
    finally:
        for reg in regs:
            reg.shutdown()
        for s in stores:
            s.close()


def trains_anyway(store: RunStore, length: int = 150) -> str:
    """A run with a broken store still trains to its end; its id."""
    reg = RunRegistry(Limits(max_concurrent=1, reap_every_s=60))
    store.connect(reg)
    try:
        run_id = reg.start(SMALL.replace(length=length), owner="me")
        reg.join(run_id, 120)
        snap = reg.snapshot(run_id)
        assert snap.status.value == "finished" and snap.step == length
        return run_id
    finally:
        reg.shutdown()


def test_a_corrupted_database_file_is_reported_and_training_goes_on(tmp_path):
    path = tmp_path / "runs.db"
    path.write_bytes(b"this is not an SQLite database, just bytes" * 100)
    store = RunStore(f"sqlite:///{path}", flush_s=0.1)
    try:
        trains_anyway(store)
        store.flush()
        health = store.health()
        assert not health.ok and "damaged" in health.problem
        assert "not being saved" in health.warning
        assert store.list_runs() == []                     # reads answer nothing, no raise
    finally:
        store.close()


def test_a_read_only_database_is_reported_and_training_goes_on(tmp_path):
    path = tmp_path / "runs.db"
    RunStore(f"sqlite:///{path}", flush_s=0.1).close()     # a good database, then read-only
    store = RunStore(f"sqlite:///file:{path}?mode=ro&uri=true", flush_s=0.1)
    try:
        run_id = trains_anyway(store)
        store.flush()
        health = store.health()
        assert not health.ok and "read-only" in health.problem
        assert health.pending_points >= 150                # kept in memory, retried
        assert store.get_run(run_id) is None
    finally:
        store.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through file permissions")
def test_a_file_without_write_permission_is_reported(tmp_path):
    path = tmp_path / "runs.db"
    RunStore(f"sqlite:///{path}", flush_s=0.1).close()
    for p in (path, tmp_path):
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        store = RunStore(f"sqlite:///{path}", flush_s=0.1)
        trains_anyway(store)
        store.flush()
        assert not store.health().ok
        store.close()
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)


def test_a_full_database_is_reported_and_training_goes_on(tmp_path):
    # PLAYGROUND_DB_MAX_MB's cap: 0.1 MB holds the empty tables, not 3,000 steps.
    store = RunStore(f"sqlite:///{tmp_path}/runs.db", max_mb=0.1, flush_s=0.1)
    try:
        trains_anyway(store, length=3000)
        store.flush()
        health = store.health()
        assert not health.ok and "full" in health.problem
    finally:
        store.close()


def _mount_tiny_filesystem(where: Path) -> bool:
    if os.geteuid() != 0:
        return False
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(where)],
                            capture_output=True)
    return result.returncode == 0


def test_a_full_disk_is_reported_and_training_goes_on(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount_tiny_filesystem(disk):
        pytest.skip("cannot mount a tiny tmpfs here (needs root and mount rights); the "
                    "size-cap test above covers the same path")
    try:
        store = RunStore(f"sqlite:///{disk}/runs.db", flush_s=0.1)
        try:
            trains_anyway(store, length=8000)
            store.flush()
            health = store.health()
            assert not health.ok and "full" in health.problem, health
        finally:
            store.close()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
