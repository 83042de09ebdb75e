"""The run store keeps every run the app makes: points, events, weights, groups."""
from __future__ import annotations

import math
import time

import pytest
import torch

from playground.config import RunConfig
from playground.store import RunFilter, RunStore
from playground.store import series as store_series
from tests.waiting import wait_until

FAST = RunConfig(dataset="spiral", n_samples=300, length=120, eval_every=40)


def test_a_train_run_keeps_every_point_its_events_and_its_final_weights(recorded):
    reg, store = recorded
    run_id = reg.start(FAST, owner="me", start_paused=True)
    assert wait_until(lambda: reg.snapshot(run_id).total_steps > 0, timeout=30)
    reg.step(run_id, 20)
    assert wait_until(lambda: reg.snapshot(run_id).step == 20, timeout=30)
    reg.set_lr(run_id, 0.05)
    reg.resume(run_id)
    reg.join(run_id, 60)
    assert store.flush()
    run = store.get_run(run_id)
    assert (run.status, run.step, run.owner, run.kind) == ("finished", 120, "me", "train")
    points = store.points([run_id])[run_id]
    assert points["loss"][0] == list(range(1, 121))                  # every step, in order
    assert points["val_loss"][0] == [0, 40, 80, 120]                   # no duplicate at the end
    assert points["lr"][1][0] == pytest.approx(0.01) and points["lr"][1][-1] == pytest.approx(0.05)
    kinds = [e["kind"] for e in store.events(run_id)]
    assert kinds[:3] == ["step", "lr", "resume"] and kinds[-1] == "finished"
    assert "0.01 → 0.05" in store.events(run_id)[1]["detail"]
    saved, step = store.weights(run_id)
    final = reg.snapshot(run_id).weights
    assert step == 120 and all(torch.equal(saved[k], final[k]) for k in final)
    assert run.best_val_acc is not None and run.final_val_loss == pytest.approx(
        points["val_loss"][1][-1])


def test_compare_members_are_stored_with_their_group(recorded):
    reg, store = recorded
    group_id = reg.start_group([FAST, FAST.replace(optimizer="sgd", lr=0.1)], ["A", "B"],
                               owner="me")
    for run_id in reg.group(group_id).run_ids:
        reg.join(run_id, 60)
    assert store.flush()
    members = store.list_runs(RunFilter(owner="me"))
    assert sorted(r.label for r in members) == ["A", "B"]
    assert {r.group_id for r in members} == {group_id} and {r.kind for r in members} == {"compare"}
    assert all(len(store.points([r.id])[r.id]["loss"][0]) == 120 for r in members)


def test_a_run_longer_than_the_cap_keeps_buckets_with_their_extremes(recorded, monkeypatch):
    monkeypatch.setattr(store_series, "POINT_CAP", 16)
    reg, store = recorded
    run_id = reg.start(FAST.replace(length=160, lr=2.0, optimizer="sgd"), owner="me")
    reg.join(run_id, 60)
    assert store.flush()
    raw = reg.history(run_id)["train"]                    # the record's own, every step
    points = store.points([run_id])[run_id]
    assert store.get_run(run_id).stride == 10
    assert points["loss"][0] == list(range(10, 161, 10))
    lo, mean, hi = (points[s][1] for s in ("loss_min", "loss", "loss_max"))
    assert all(a <= m <= b for a, m, b in zip(lo, mean, hi))
    assert max(hi) == pytest.approx(float(raw["loss"].max()))      # the worst step still shows
    assert min(lo) == pytest.approx(float(raw["loss"].min()))


def test_filters_sort_and_search(store):
    from playground.store.rows import NewRun

    runs = [NewRun(f"r{i}", "me", "train", label, {"dataset": ds, "optimizer": opt, "lr": lr},
                   tags=tags, created=1000.0 + i, metrics={"final_val_acc": acc})
            for i, (label, ds, opt, lr, tags, acc) in enumerate([
                ("spiral adam", "spiral", "adam", 0.01, ("best",), 0.9),
                ("spiral sgd", "spiral", "sgd", 0.1, (), None),
                ("digits adam", "digits", "adam", 0.001, ("best", "hw1"), 0.95),
                ("100% sure", "digits", "sgd", 0.5, (), 0.5)])]
    runs.append(NewRun("other", "someone else", "train", "theirs", {"dataset": "spiral"}))
    runs.append(NewRun("lesson", "me", "lesson", "a lesson", {"dataset": "digits"},
                       hidden=True))
    store.add_runs(runs)
    assert store.flush()
    ids = lambda **kw: [r.id for r in store.list_runs(RunFilter(owner="me", **kw))]  # noqa: E731
    assert ids() == ["r3", "r2", "r1", "r0"]                         # newest first, no lesson
    assert ids(datasets=("spiral",)) == ["r1", "r0"]
    assert ids(optimizers=("adam",), tag="best") == ["r2", "r0"]
    assert ids(sort="final_val_acc") == ["r2", "r0", "r3", "r1"]       # missing metric last
    assert ids(sort="final_val_acc", descending=False) == ["r3", "r0", "r2", "r1"]
    assert ids(search="%") == ["r3"] and ids(search="_") == []        # LIKE is escaped
    assert ids(search="HW1") == ["r2"]                                 # tags, any case
    assert ids(since=1001.0, until=1003.0) == ["r2", "r1"]
    assert "lesson" in ids(include_hidden=True)
    assert len(store.list_runs(RunFilter(owner=None))) == 5            # a teacher's view
    with pytest.raises(ValueError, match="cannot sort by"):
        store.list_runs(RunFilter(sort="label; DROP TABLE runs"))


def test_hostile_text_is_stored_as_typed_and_never_runs_as_sql(store):
    from playground.store.rows import NewRun

    evil = "'); DROP TABLE runs; --"
    store.add_runs([NewRun("x", "me", "train", "x", {"dataset": "spiral"})])
    assert store.flush()
    assert store.rename("x", evil, owner="me")
    assert store.set_tags("x", [evil, "<script>alert(1)</script>", "a|b"], owner="me")
    assert store.set_notes("x", "**bold** <img src=x onerror=alert(1)> $x$", owner="me")
    run = store.get_run("x")
    assert run.label == evil and run.notes.startswith("**bold** <img")
    assert run.tags == (evil, "<script>alert(1)</script>", "a/b")     # '|' is the separator
    assert [r.id for r in store.list_runs(RunFilter(search="drop table"))] == ["x"]


def test_only_the_owner_or_a_teacher_changes_a_run_and_delete_takes_everything(recorded):
    reg, store = recorded
    run_id = reg.start(FAST.replace(length=30), owner="me")
    reg.join(run_id, 60)
    assert store.flush()
    assert not store.rename(run_id, "mine now", owner="intruder")
    assert store.rename(run_id, "renamed by the teacher", owner=None)
    assert store.delete([run_id], owner="intruder") == 0
    assert store.delete([run_id], owner="me") == 1
    assert store.get_run(run_id) is None and store.points([run_id]) == {run_id: {}}
    assert store.events(run_id) == [] and store.weights(run_id) is None


def test_a_live_run_cannot_be_deleted(recorded):
    reg, store = recorded
    run_id = reg.start(FAST.replace(length=100_000), owner="me", pace=50)
    assert wait_until(lambda: run_id in store.writer.live, timeout=30)
    with pytest.raises(ValueError, match="still training"):
        store.delete([run_id], owner="me")
    reg.stop(run_id)


def test_continue_training_starts_from_the_stored_weights(recorded):
    reg, store = recorded
    first = reg.start(FAST.replace(length=60), owner="me")
    reg.join(first, 60)
    assert store.flush()
    saved, _ = store.weights(first)
    second = reg.start(FAST.replace(length=5), owner="me", init_state=saved, parent_id=first,
                       start_paused=True)
    assert wait_until(lambda: reg.snapshot(second).total_steps > 0, timeout=30)
    start = reg.snapshot(second)                 # paused before its first step
    assert start.step == 0 and all(torch.equal(start.weights[k], saved[k]) for k in saved)
    fresh = reg.start(FAST.replace(length=5), owner="me", start_paused=True)
    assert wait_until(lambda: reg.snapshot(fresh).total_steps > 0, timeout=30)
    assert not all(torch.equal(reg.snapshot(fresh).weights[k], saved[k]) for k in saved)
    reg.stop(fresh)
    reg.stop(second)
    reg.join(second, 30)
    assert store.flush() and store.get_run(second).parent_id == first


def test_a_database_of_a_newer_schema_is_refused_and_left_untouched(store_url):
    from sqlalchemy import update

    from playground.store import schema

    first = RunStore(store_url, flush_s=0.1)
    with first.engine.begin() as conn:
        conn.execute(update(schema.schema_version).values(version=schema.SCHEMA_VERSION + 1))
    first.close()
    second = RunStore(store_url, flush_s=0.1)
    try:
        assert not second.health().ok and "newer version" in second.health().problem
        assert second.list_runs() == []
    finally:
        second.close()
    from sqlalchemy import create_engine

    engine = create_engine(store_url)                  # nothing was rewritten
    try:
        with engine.connect() as conn:
            assert schema.stored_version(conn) == schema.SCHEMA_VERSION + 1
    finally:
        engine.dispose()


def test_runs_of_a_dead_process_are_interrupted_at_their_last_step(store_url):
    from sqlalchemy import insert

    from playground.store import schema
    from playground.store.recovery import HOST

    first = RunStore(store_url, flush_s=0.1)
    with first.engine.begin() as conn:
        conn.execute(insert(schema.writers).values(id="dead", host=HOST, pid=2**22 + 12345,
                                                   started=0.0, heartbeat=time.time()))
        conn.execute(insert(schema.writers).values(id="alive", host="elsewhere", pid=1,
                                                   started=0.0, heartbeat=time.time()))
        for run_id, writer in (("orphan", "dead"), ("replica", "alive")):
            conn.execute(insert(schema.runs).values(
                id=run_id, owner="me", kind="train", writer_id=writer, label=run_id,
                status="running", created=time.time(), step=42, config="{}"))
    first.close()
    second = RunStore(store_url, flush_s=0.1)
    try:
        assert second.interrupted_on_open == 1
        orphan, replica = second.get_runs(["orphan", "replica"])
        assert orphan.status == "interrupted" and "interrupted at step 42" in orphan.message
        assert replica.status == "running"          # another live replica's run: left alone
    finally:
        second.close()


def test_nan_and_infinite_losses_are_kept_as_such(recorded):
    reg, store = recorded
    run_id = reg.start(FAST.replace(optimizer="sgd", lr=1e4, length=200), owner="me")
    reg.join(run_id, 60)
    assert store.flush()
    run = store.get_run(run_id)
    assert run.status == "diverged"
    values = store.points([run_id])[run_id]["loss"][1]
    assert not math.isfinite(values[-1]) or values[-1] > 100     # the blow-up is stored
    assert any(e["kind"] == "diverged" for e in store.events(run_id))
