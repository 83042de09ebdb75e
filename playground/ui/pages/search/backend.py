"""The process-wide backend searches run on: a warm pool of worker processes (kept
between searches: starting a worker imports torch, seconds), or Ray when
``PLAYGROUND_RAY_ADDRESS`` names a cluster. ``PLAYGROUND_SEARCH_WORKERS`` sets the
pool's size (0: run trials on the search's own thread, no worker processes)."""
from __future__ import annotations

import atexit
import os

import streamlit as st

from playground.search.backends import InProcess
from playground.search.pool import WorkerPool
from playground.search.ray_backend import configured_address


WORKERS_ENV = "PLAYGROUND_SEARCH_WORKERS"   # worker processes (default: CPU cores; 0 = none)


@st.cache_resource(show_spinner=False)
def backend():
    address = configured_address()
    if address:
        from playground.search.ray_backend import RayBackend

        return RayBackend(address)
    workers = os.environ.get(WORKERS_ENV, "")
    if workers.strip() == "0":   # no worker processes: trials on the job's own thread
        return InProcess()
    pool = WorkerPool(int(workers) if workers.strip().isdigit() else None)
    atexit.register(pool.close)
    return pool


def describe() -> str:
    address = configured_address()
    if address:   # connecting is slow: only say where until a search starts it
        return f"Ray at {address} (set by PLAYGROUND_RAY_ADDRESS)"
    pool = backend()
    return pool.describe()
