"""RunRegistry: the process-wide, thread-safe owner of every run.

One Streamlit process serves many browser sessions; they all share this registry
(through ``st.cache_resource``). It creates workers, enforces the compute-slot cap and
the per-session limit, and runs a reaper that pauses runs nobody has looked at for a
while and stops them after longer, so a closed tab cannot burn CPU forever. Ended
runs stay readable (their history is never thrown away while the registry keeps
them), up to a bounded number per owner.
"""
from __future__ import annotations

import logging
import os
import threading
import time
import uuid
import dataclasses
from dataclasses import dataclass
from typing import Any, Callable

import torch

from playground.config import InvalidConfig
from playground.jobs import Job, JobSnapshot, Progress
from playground.slots import ComputeSlots
from playground.worker import ACTIVE, RunWorker, Snapshot, Status


log = logging.getLogger(__name__)


class RunLimitError(RuntimeError):
    """Raised when a session already has as many live runs as it may."""


@dataclass(frozen=True)
class Limits:
    max_concurrent: int = max(1, os.cpu_count() or 1)
    max_live_per_owner: int = 8
    keep_ended_per_owner: int = 24
    max_ended_total: int = 300       # ended runs kept for all sessions together
    pause_after_s: float = 120.0     # unpolled this long -> paused
    stop_after_s: float = 600.0      # unpolled this long -> stopped
    # A session whose tab closed (or whose connection dropped): pause its runs after a
    # short grace, so a network blip costs nothing, and stop them after the TTL.
    released_pause_after_s: float = 15.0
    released_stop_after_s: float = 120.0
    forget_released_after_s: float = 3600.0  # then drop their ended runs' histories
    reap_every_s: float = 1.0

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Limits":
        """Limits with overrides from ``PLAYGROUND_<FIELD>`` environment variables
        (e.g. ``PLAYGROUND_MAX_CONCURRENT=4``); bad values fail loudly at start-up."""
        env = os.environ if env is None else env
        values = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"PLAYGROUND_{f.name.upper()}")
            if raw is None:
                continue
            try:
                value = type(f.default)(raw)      # int or float, like the default
            except ValueError:
                raise ValueError(f"PLAYGROUND_{f.name.upper()} must be a "
                                 f"{type(f.default).__name__}, got {raw!r}") from None
            if value <= 0:
                raise ValueError(f"PLAYGROUND_{f.name.upper()} must be positive, got {raw!r}")
            values[f.name] = value
        return cls(**values)


def configure_torch_threads() -> None:
    """One intra-op thread per run: K concurrent runs then use K cores, not K×cores."""
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def _warm_up() -> None:
    """Pay torch's lazy imports (torch._dynamo via the optimizers: ~2 s) once, in the
    background when the app starts, instead of on the first student's Start click."""
    try:
        opt = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])
        opt.zero_grad()
        opt.step()
    except Exception:  # only a speed-up; a failure here is harmless
        pass


class RunRegistry:
    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        configure_torch_threads()
        self.slots = ComputeSlots(self.limits.max_concurrent)
        self._runs: dict[str, RunWorker] = {}
        self._released: dict[str, float] = {}   # owner -> when its session went away
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._reaper = threading.Thread(target=self._reap_loop, name="run-reaper", daemon=True)
        self._reaper.start()
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()

    # ------------------------------------------------------------ lifecycle
    def start(self, config, owner: str = "", task=None, start_paused: bool = False,
              pace: float | None = None) -> str:
        """Validate, create and start a run; returns its id.

        Raises :class:`InvalidConfig` (every bad field) or :class:`RunLimitError`.
        """
        errors = config.validate()
        if errors:
            raise InvalidConfig(errors)
        with self._lock:
            if self._closed.is_set():
                raise RuntimeError("the run registry has been shut down")
            live = [w for w in self._runs.values() if w.owner == owner and w.status in ACTIVE]
            if owner and len(live) >= self.limits.max_live_per_owner:
                raise RunLimitError(
                    f"this session already has {len(live)} live runs (the limit is "
                    f"{self.limits.max_live_per_owner}); stop one before starting another")
            run_id = uuid.uuid4().hex[:10]
            worker = RunWorker(run_id, config, self.slots, owner=owner, task=task,
                               start_paused=start_paused, pace=pace)
            self._runs[run_id] = worker
            self._forget_old(owner)
        worker.start()
        return run_id

    def adopt(self, workers: list, owner: str = "") -> list[str]:
        """Register runs that something else drives (the Compare page's group runner
        steps its members itself). They count against the owner's live-run limit,
        answer ``snapshot``/``command`` like any run and are reaped like any run; the
        registry never starts their threads. Returns their run ids."""
        with self._lock:
            if self._closed.is_set():
                raise RuntimeError("the run registry has been shut down")
            live = [w for w in self._runs.values() if w.owner == owner and w.status in ACTIVE]
            if owner and len(live) + len(workers) > self.limits.max_live_per_owner:
                raise RunLimitError(
                    f"this session already has {len(live)} live runs and this group adds "
                    f"{len(workers)} (the limit is {self.limits.max_live_per_owner}); "
                    "stop some runs first")
            for w in workers:
                self._runs[w.run_id] = w
            self._forget_old(owner)
        return [w.run_id for w in workers]

    @staticmethod
    def new_run_id() -> str:
        return uuid.uuid4().hex[:10]

    def get(self, run_id: str | None) -> RunWorker | None:
        if not run_id:
            return None
        with self._lock:
            return self._runs.get(run_id)

    def claim(self, run_id: str, owner: str) -> None:
        """Make ``owner`` (a session id) look after a run and its group, e.g. after a
        reload (a new session): limits, the reaper and "my runs" lists follow it."""
        worker = self.get(run_id)
        if worker is None:
            raise KeyError(f"no run {run_id!r}")
        members = worker.group.members if getattr(worker, "group", None) else [worker]
        with self._lock:
            self._released.pop(owner, None)
            for w in members:
                w.owner = owner

    def group_of(self, run_id: str):
        """The comparison group a run belongs to, or None for a run of its own."""
        return getattr(self.get(run_id), "group", None)

    def group(self, group_id: str | None):
        """The comparison group with this id (while the registry holds its members)."""
        if not group_id:
            return None
        for w in self.runs():
            group = getattr(w, "group", None)
            if group is not None and group.group_id == group_id:
                return group
        return None

    def snapshot(self, run_id: str | None, **kwargs) -> Snapshot | None:
        worker = self.get(run_id)
        return worker.snapshot(**kwargs) if worker else None

    def command(self, run_id: str, name: str, *args) -> bool:
        """Send pause/resume/step/stop/set_lr to a run; False if it does not exist."""
        worker = self.get(run_id)
        if worker is None:
            return False
        getattr(worker, name)(*args)
        return True

    # ------------------------------------------------------------ jobs
    def start_job(self, fn: Callable[[Progress], Any], owner: str = "", label: str = "") -> str:
        """Run ``fn(progress)`` in the background (a sweep, a surface); returns its id."""
        with self._lock:
            if self._closed.is_set():
                raise RuntimeError("the run registry has been shut down")
            job_id = uuid.uuid4().hex[:10]
            job = Job(job_id, fn, self.slots, owner=owner, label=label)
            self._jobs[job_id] = job
            mine = sorted((j for j in self._jobs.values() if j.owner == owner and not
                           (j.status in ("queued", "running"))), key=lambda j: j.created)
            for old in mine[: max(0, len(mine) - self.limits.keep_ended_per_owner)]:
                self._jobs.pop(old.job_id, None)
        job.start()
        return job_id

    def job(self, job_id: str | None) -> Job | None:
        if not job_id:
            return None
        with self._lock:
            return self._jobs.get(job_id)

    def job_snapshot(self, job_id: str | None) -> JobSnapshot | None:
        job = self.job(job_id)
        return job.snapshot() if job else None

    def jobs(self, owner: str | None = None) -> list[Job]:
        with self._lock:
            jobs = list(self._jobs.values())
        return [j for j in jobs if owner is None or j.owner == owner]

    def runs(self, owner: str | None = None) -> list[RunWorker]:
        with self._lock:
            workers = list(self._runs.values())
        return [w for w in workers if owner is None or w.owner == owner]

    def touch(self, owner: str) -> None:
        """Mark every run of a session as watched (its page is open somewhere)."""
        now = time.monotonic()
        with self._lock:
            self._released.pop(owner, None)
        for w in [*self.runs(owner), *self.jobs(owner)]:
            w.last_polled = now

    def release(self, owner: str) -> None:
        """The session went away (tab closed, or its connection dropped): its runs are
        paused after a short grace and stopped after the TTL unless it comes back."""
        with self._lock:
            self._released.setdefault(owner, time.monotonic())

    def watched_sessions(self) -> int:
        """How many connected sessions have a live run (pages poll less when many do)."""
        with self._lock:
            released = set(self._released)
            owners = {w.owner for w in self._runs.values() if w.status in ACTIVE}
        return len(owners - released)

    def overview(self) -> list[dict]:
        """One row per run for the admin view: no personal data, only random ids."""
        now = time.time()
        rows = []
        with self._lock:
            released = set(self._released)
        for w in self.runs():
            snap = w.snapshot(poll=False, max_points=2, with_weights=False)
            rows.append({
                "run": w.run_id, "label": snap.label,
                "group": w.group.group_id if getattr(w, "group", None) else "",
                "session": w.owner or "–", "status": snap.status.value,
                "step": snap.step, "of": snap.total_steps, "queue": snap.queue_position,
                "age_s": round(now - w.created), "memory_kb": round(snap.memory_bytes / 1024),
                "dataset": w.config.dataset, "optimizer": w.config.optimizer,
                "disconnected": w.owner in released,
            })
        return rows

    def remove(self, run_id: str) -> None:
        worker = self.get(run_id)
        if worker is None:
            return
        worker.stop()
        with self._lock:
            self._runs.pop(run_id, None)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop every run and the reaper, and wait for their threads to end."""
        self._closed.set()
        for w in self.runs():
            w.stop()
        for j in self.jobs():
            j.cancel()
        deadline = time.monotonic() + timeout
        for t in [*self.runs(), *self.jobs()]:
            if t.is_alive():
                t.join(max(0.0, deadline - time.monotonic()))
        self._reaper.join(max(0.0, deadline - time.monotonic()))

    # ------------------------------------------------------------ internals
    def _forget_old(self, owner: str) -> None:
        """Bound what ended runs cost: per session and for the whole server."""
        ended = [w for w in self._runs.values() if w.owner == owner and w.status not in ACTIVE]
        ended.sort(key=lambda w: w.created)
        for w in ended[: max(0, len(ended) - self.limits.keep_ended_per_owner)]:
            self._runs.pop(w.run_id, None)
        everyone = sorted((w for w in self._runs.values() if w.status not in ACTIVE),
                          key=lambda w: w.created)
        for w in everyone[: max(0, len(everyone) - self.limits.max_ended_total)]:
            self._runs.pop(w.run_id, None)

    def _reap_one(self, w, now: float, released: dict) -> str | None:
        lim = self.limits
        idle = now - w.last_polled
        gone = w.owner in released
        if gone:
            idle = min(idle, now - released[w.owner])
        pause_after = lim.released_pause_after_s if gone else lim.pause_after_s
        stop_after = lim.released_stop_after_s if gone else lim.stop_after_s
        if w.status in ACTIVE and idle > stop_after:
            w.stop()
            return "stopped"
        if w.status in (Status.RUNNING, Status.QUEUED) and idle > pause_after:
            why = "its tab was closed" if gone else f"nobody watched it for {idle:.0f} s"
            w.pause(f"{why} (press Resume to go on)")
            return "paused"
        if gone and w.status not in ACTIVE and idle > lim.forget_released_after_s:
            with self._lock:
                self._runs.pop(w.run_id, None)
            return "forgotten"
        return None

    def _reap_loop(self) -> None:
        # Nothing a run can throw may end this loop: without it no run on the server is
        # ever paused, stopped or forgotten again. Log and go on.
        while not self._closed.wait(self.limits.reap_every_s):
            try:
                self.reap()
            except Exception:
                log.exception("the reaper's pass failed; trying again in %.1f s",
                              self.limits.reap_every_s)

    def reap(self, now: float | None = None) -> list[tuple[str, str]]:
        """Pause or stop runs nobody polled recently; returns (run_id, action) pairs."""
        now = time.monotonic() if now is None else now
        actions = []
        with self._lock:
            released = dict(self._released)
        for w in self.runs():
            try:
                action = self._reap_one(w, now, released)
            except Exception:     # one broken run must not spare the others
                log.exception("could not reap run %s", w.run_id)
                continue
            if action:
                actions.append((w.run_id, action))
        with self._lock:   # owners with nothing left need no bookkeeping
            owners = {w.owner for w in self._runs.values()}
            for owner in [o for o in self._released if o not in owners]:
                self._released.pop(owner, None)
        for j in self.jobs():
            if j.status in ("queued", "running") and now - j.last_polled > self.limits.stop_after_s:
                j.cancel()
                actions.append((j.job_id, "cancelled"))
        return actions
