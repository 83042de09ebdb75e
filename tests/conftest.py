"""Shared fixtures: isolated run registries and a clean Streamlit cache per test."""
from __future__ import annotations

import threading

import pytest

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
    finally:
        st.cache_resource.clear()


@pytest.fixture
def thread_baseline():
    return threading.active_count()
