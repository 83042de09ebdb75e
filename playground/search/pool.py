"""A warm pool of worker processes that run trials, one torch thread each.

Why not ``concurrent.futures.ProcessPoolExecutor``: when one of its workers dies, the
whole pool breaks and every pending trial fails with it. Here each worker has its own
pipe and its own cancel event, so a worker that dies fails only the trial it held (and
is replaced), and Cancel stops the running trials at their next check (every few
steps) without throwing the warm workers away; a worker that does not answer within
``CANCEL_GRACE_S`` is killed and replaced.

Workers start with ``spawn``: each is a fresh interpreter that imports torch (seconds:
the cold start the benchmark prints), never a fork of a process whose torch already
started its thread pools. They are daemons and also watch their parent, so no worker
outlives the server.
"""
from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
import threading
import time
import types
from multiprocessing.connection import wait as wait_any

from playground.search.backends import failed

CANCEL_GRACE_S = 5.0
CONTEXT = "spawn"


def _serve(conn, cancel, parent_pid: int) -> None:
    """A worker's loop: receive (key, spec), run it, send (key, outcome)."""
    import torch

    torch.set_num_threads(1)   # one core per worker: N workers use N cores, no oversubscription
    from playground.search.trial import run_trial

    while True:
        if not conn.poll(1.0):
            if os.getppid() != parent_pid:   # the server went away: so does the worker
                return
            continue
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        key, spec = message
        try:
            outcome = run_trial(spec, cancel)
        except Exception as exc:   # a bad trial fails itself, the worker goes on
            outcome = failed(f"{type(exc).__name__}: {exc}")
        try:
            conn.send((key, outcome))
        except (BrokenPipeError, OSError):
            return


_start_lock = threading.Lock()


@contextlib.contextmanager
def _without_main():
    """``spawn`` re-runs the parent's main module in the child (Streamlit's is app.py,
    AppTest's a generated script): a worker only needs this module, so for the moment
    of ``Process.start`` the parent shows it an empty ``__main__``."""
    with _start_lock:
        saved = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = saved


class _Worker:
    def __init__(self, ctx) -> None:
        self.conn, child = ctx.Pipe()
        self.cancel = ctx.Event()
        self.process = ctx.Process(target=_serve, args=(child, self.cancel, os.getpid()),
                                   daemon=True, name="playground-search-worker")
        with _without_main():
            self.process.start()
        child.close()
        self.key = None           # the trial it runs, or None when idle
        self.started = 0.0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    name = "process pool"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._ctx = mp.get_context(CONTEXT)
        self._pool: list[_Worker] = []
        self._queue: list = []
        self._lock = threading.RLock()
        self.lease = threading.Lock()   # one search at a time drives the pool
        self.cold_start_s: float | None = None

    def describe(self) -> str:
        return f"process pool, {self.workers} worker processes on {os.cpu_count()} CPU cores"

    # -------------------------------------------------------------- lifecycle
    def start(self) -> float:
        """Start the missing workers and wait until each has imported torch; returns
        the seconds it took (0 when the pool is already warm)."""
        with self._lock:
            t0 = time.perf_counter()
            fresh = [_Worker(self._ctx) for _ in range(self.workers - len(self._pool))]
            self._pool += fresh
            for w in fresh:   # a warm-up trial of 1 step: imports, data cache, first kernels
                w.conn.send(("warm-up", _WARM_UP))
            for w in fresh:
                try:
                    if not w.conn.poll(120):
                        raise EOFError("no answer in 120 s")
                    w.conn.recv()
                except (EOFError, OSError) as exc:
                    self.close()
                    raise RuntimeError(
                        f"a search worker process did not start ({exc})") from None
            seconds = time.perf_counter() - t0
            if fresh:
                self.cold_start_s = seconds
            return seconds

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._pool if w.process.is_alive()]

    def close(self) -> None:
        with self._lock:
            for w in self._pool:
                try:
                    w.conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
            for w in self._pool:
                w.process.join(2)
                w.kill()
            self._pool.clear()
            self._queue.clear()

    # ------------------------------------------------------------------ trials
    @property
    def idle(self) -> int:
        with self._lock:
            return max(0, self.workers - sum(w.key is not None for w in self._pool)
                       - len(self._queue))

    def submit(self, key, spec: dict) -> None:
        with self._lock:
            self._queue.append((key, spec))
            self._dispatch()

    def _dispatch(self) -> None:
        if len(self._pool) < self.workers:
            self.start()
        for w in self._pool:
            if not self._queue:
                return
            if w.key is None:
                key, spec = self._queue.pop(0)
                w.cancel.clear()
                w.key, w.started = key, time.perf_counter()
                w.conn.send((key, spec))

    def wait(self, timeout: float = 0.5) -> list:
        """Outcomes of the trials that ended within ``timeout`` seconds."""
        with self._lock:
            busy = [w for w in self._pool if w.key is not None]
        if not busy:
            return []
        ready = wait_any([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
        out = []
        with self._lock:
            for w in busy:
                if w.conn in ready:
                    try:
                        key, outcome = w.conn.recv()
                    except (EOFError, OSError):
                        out.append(self._replace(w))
                        continue
                    w.key = None
                    out.append((key, outcome))
                elif w.process.sentinel in ready:
                    out.append(self._replace(w))
            self._dispatch()
        return out

    def _replace(self, w: _Worker):
        """A worker died mid-trial: that trial fails, a fresh worker takes its place."""
        key = w.key
        w.process.join(1)
        code = w.process.exitcode
        w.kill()
        self._pool.remove(w)
        self._pool.append(_Worker(self._ctx))
        return key, failed(f"the worker process running it died (exit code {code})")

    def cancel(self) -> list:
        """Stop every queued and running trial; returns their outcomes ("cancelled")."""
        with self._lock:
            out = [(key, failed("cancelled before it started") | {"state": "cancelled"})
                   for key, _ in self._queue]
            self._queue.clear()
            busy = [w for w in self._pool if w.key is not None]
            for w in busy:
                w.cancel.set()
        deadline = time.monotonic() + CANCEL_GRACE_S
        while time.monotonic() < deadline and any(w.key is not None for w in busy):
            out += self.wait(0.2)
        with self._lock:
            for w in busy:
                if w.key is not None:   # did not stop in time: kill it, start a new one
                    key, _ = self._replace(w)
                    out.append((key, failed("killed on cancel") | {"state": "cancelled"}))
        return out


_WARM_UP = {"config": {"dataset": "digits", "length": 1, "length_unit": "steps"},
            "objective": "final_val_loss", "seeds": 1, "checkpoints": 1}
