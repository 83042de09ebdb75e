"""Regression runs in the store: RMSE (target units) and R² as columns and series, and a
database of the first layout (no such columns) upgraded in place."""
from __future__ import annotations

import pytest

from playground.config import RunConfig
from playground.store import RunFilter, RunStore

SIN = RunConfig(dataset="sin", n_samples=200, length=200, eval_every=50)


def test_a_regression_run_keeps_rmse_and_r2_columns_and_series(recorded):
    reg, store = recorded
    run_id = reg.start(SIN, owner="me")
    reg.join(run_id, 60)
    assert store.flush()
    snap, run = reg.snapshot(run_id), store.get_run(run_id)
    assert run.is_regression and run.final_val_acc is None and run.best_val_acc is None
    assert run.final_val_rmse == pytest.approx(snap.val_rmse)
    assert run.final_val_r2 == pytest.approx(snap.val_r2)
    assert run.best_val_rmse <= run.final_val_rmse and run.best_val_r2 >= run.final_val_r2
    ev = store.curves([run_id])[run_id]["eval"]
    assert list(ev["step"]) == [0, 50, 100, 150, 200]
    assert ev["val_rmse"][-1] == pytest.approx(snap.val_rmse)
    assert store.list_runs(RunFilter(sort="best_val_rmse"))[0].id == run_id


def test_a_first_layout_database_gets_the_regression_columns(store_url):
    from sqlalchemy import create_engine, inspect, update

    from playground.store import schema

    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:          # the v1 layout: no regression columns
            schema.metadata.create_all(conn)
            conn.execute(schema.schema_version.insert().values(version=1))
            for name in schema.REGRESSION_COLUMNS:
                conn.exec_driver_sql(f"ALTER TABLE runs DROP COLUMN {name}")
            conn.execute(update(schema.schema_version).values(version=1))
    finally:
        engine.dispose()
    store = RunStore(store_url, flush_s=0.1)
    try:
        assert store.health().ok and store.list_runs() == []
        with store.engine.connect() as conn:
            assert schema.stored_version(conn) == schema.SCHEMA_VERSION == 2
            names = {c["name"] for c in inspect(conn).get_columns("runs")}
        assert set(schema.REGRESSION_COLUMNS) <= names
    finally:
        store.close()
