"""Shared fixtures: isolated run registries and a clean Streamlit cache per test.

Every test process writes its run history to a throwaway SQLite file, never to the
user's data folder: ``PLAYGROUND_DB`` is set before anything opens the store, and
``PLAYGROUND_USER_DATA_DIR`` (uploads, drawn sets) before anything keeps data (the
browser tests' app server inherits both).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading

import pytest

_HISTORY_DIR = tempfile.mkdtemp(prefix="playground-test-history-")
os.environ["PLAYGROUND_DB"] = f"sqlite:///{_HISTORY_DIR}/runs.db"
os.environ["PLAYGROUND_USER_DATA_DIR"] = os.path.join(_HISTORY_DIR, "user-data")
# Page tests (AppTest) build the app's registry in this process, often: there, runs train
# on threads. The lanes have their own tests, and the browser tests' servers use them.
os.environ.setdefault("PLAYGROUND_LANES", "0")

from playground.runs.registry import Limits, RunRegistry, configure_torch_threads

# The app runs every training thread with one intra-op thread; test the same way.
configure_torch_threads()


@pytest.fixture
def registry():
    """A private registry whose threads are all gone when the test ends."""
    reg = RunRegistry(Limits(max_concurrent=2, reap_every_s=0.05))
    yield reg
    reg.shutdown()


@pytest.fixture
def clean_streamlit():
    """AppTest shares ``st.cache_resource`` across tests: start each with a fresh
    registry and stop every run it started afterwards."""
    import streamlit as st

    from playground.ui import runtime

    st.cache_resource.clear()
    yield
    try:
        runtime.registry().shutdown()
        runtime.store().close()
    finally:
        st.cache_resource.clear()


@pytest.fixture
def thread_baseline():
    return threading.active_count()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_HISTORY_DIR, ignore_errors=True)
