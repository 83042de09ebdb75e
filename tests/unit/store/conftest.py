"""The store's tests run against SQLite (a temp file) and, when a server is reachable,
a real PostgreSQL (``PLAYGROUND_TEST_PG_URL``, which ``.ci/run`` starts). No mocks.

Locally without a server the PostgreSQL cases are skipped with a message; in CI (``CI``
set) a missing server is a failure, so they can never silently stop running.
"""
from __future__ import annotations

import os

import pytest

from playground.runs.registry import Limits, RunRegistry
from playground.store import RunStore

PG_URL = os.environ.get("PLAYGROUND_TEST_PG_URL", "").strip()


def _postgres_or_skip() -> str:
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL store tests: PLAYGROUND_TEST_PG_URL is not "
                        "set (.ci/run starts a server and sets it)")
        pytest.skip("PostgreSQL store tests skipped: no server (set PLAYGROUND_TEST_PG_URL, "
                    "e.g. postgresql+psycopg://postgres@127.0.0.1:55432/postgres)")
    from sqlalchemy import create_engine

    from playground.store import schema

    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:       # a clean database for every test
            schema.metadata.drop_all(conn)
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at PLAYGROUND_TEST_PG_URL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL store tests skipped: server not reachable ({exc})")
    finally:
        engine.dispose()
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/runs.db"
    return _postgres_or_skip()


@pytest.fixture
def store(store_url):
    s = RunStore(store_url, flush_s=0.1)
    yield s
    s.close()


@pytest.fixture
def recorded(store):
    """A registry whose every run the store records."""
    reg = RunRegistry(Limits(max_concurrent=2, reap_every_s=60))
    store.connect(reg)
    yield reg, store
    reg.shutdown()
