"""The same trial function as Ray tasks, for a cluster (or a local Ray).

``PLAYGROUND_RAY_ADDRESS`` points the app at a cluster: ``auto`` (this machine joined
one with ``ray start``) or ``ray://host:10001`` (Ray Client). ``ray.init`` is called
once per process (guarded: Streamlit reruns and several sessions share it), with the
dashboard off and Ray's own logging kept out of the app's. For a remote cluster the
``playground`` package travels with the tasks (``runtime_env.py_modules``); a local
Ray's workers import it from this checkout.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from playground.search.backends import failed, traceback_text

ADDRESS_ENV = "PLAYGROUND_RAY_ADDRESS"
_init_lock = threading.Lock()


def configured_address() -> str | None:
    return os.environ.get(ADDRESS_ENV) or None


def connect(address: str | None = None, num_cpus: int | None = None):
    """``ray.init`` once for this process; later calls reuse the connection."""
    import ray

    with _init_lock:
        if ray.is_initialized():
            return ray
        kwargs = dict(include_dashboard=False, log_to_driver=False, configure_logging=False,
                      ignore_reinit_error=True)
        if address and address.startswith("ray://"):
            import playground

            kwargs["runtime_env"] = {"py_modules": [str(Path(playground.__file__).parent)]}
        if address:
            ray.init(address=address, **kwargs)
        else:
            repo = str(Path(__file__).resolve().parents[2])
            ray.init(num_cpus=num_cpus, runtime_env={"env_vars": {
                "PYTHONPATH": os.pathsep.join(p for p in (repo, os.environ.get(
                    "PYTHONPATH", "")) if p)}}, **kwargs)
        return ray


def _ray_trial(spec: dict) -> dict:
    import torch

    torch.set_num_threads(1)
    from playground.search.trial import run_trial

    return run_trial(spec)


class RayBackend:
    name = "Ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        self.address = address
        self.ray = connect(address, num_cpus)
        self._remote = self.ray.remote(num_cpus=1, max_retries=0)(_ray_trial)
        self._running: dict = {}     # ObjectRef -> key
        self.lease = threading.Lock()   # one search at a time drives it

    @property
    def workers(self) -> int:
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def describe(self) -> str:
        where = self.address or "a local Ray started by this server"
        return f"Ray at {where}, {self.workers} CPUs in the cluster"

    @property
    def idle(self) -> int:
        return max(0, self.workers - len(self._running))

    def submit(self, key, spec: dict) -> None:
        self._running[self._remote.remote(spec)] = key

    def wait(self, timeout: float = 0.5) -> list:
        if not self._running:
            return []
        ready, _ = self.ray.wait(list(self._running), num_returns=1, timeout=timeout)
        out = []
        for ref in ready:
            key = self._running.pop(ref)
            try:
                out.append((key, self.ray.get(ref)))
            except Exception as exc:   # the task raised, or its worker died
                out.append((key, failed(traceback_text(exc)[:500])))
        return out

    def cancel(self) -> list:
        out = []
        for ref, key in list(self._running.items()):
            self.ray.cancel(ref, force=True)
            out.append((key, failed("cancelled (its Ray task was killed)")
                        | {"state": "cancelled"}))
        self._running.clear()
        return out

    def close(self) -> None:
        self.cancel()
