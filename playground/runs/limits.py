"""How much one app process lets its runs use: concurrency, per-session caps, lifetimes.

Every field can be set per deployment as ``PLAYGROUND_<FIELD>`` (e.g.
``PLAYGROUND_MAX_CONCURRENT=4``); bad values fail loudly at start-up.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

import torch


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
    # Worker processes that train single runs, each on one thread in turns (runs/lanes):
    # 0 = every run on a thread of this process. The app uses cores − 1 (from_env).
    lanes: int = 0

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Limits":
        """Limits with overrides from ``PLAYGROUND_<FIELD>`` environment variables
        (e.g. ``PLAYGROUND_MAX_CONCURRENT=4``); bad values fail loudly at start-up. The
        app trains single runs on lanes unless ``PLAYGROUND_LANES`` says otherwise (0: on
        threads of the app process): one per core but one, which is left to the pages —
        the app process's Python runs on one core at a time anyway. On 2 cores, one lane
        against two: rerun p95 0.30–0.41 s against 0.29–0.75 s for the same pace
        (bench/classroom_load.py, 20 Watch runs, 144–149 against 143–154 steps/s)."""
        env = os.environ if env is None else env
        values = {"lanes": max(1, (os.cpu_count() or 1) - 1)}
        for f in dataclasses.fields(cls):
            raw = env.get(f"PLAYGROUND_{f.name.upper()}")
            if raw is None:
                continue
            try:
                value = type(f.default)(raw)      # int or float, like the default
            except ValueError:
                kind = "whole number" if isinstance(f.default, int) else "number"
                raise ValueError(f"PLAYGROUND_{f.name.upper()} must be a {kind}, "
                                 f"got {raw!r}") from None
            if value < 0 or (value == 0 and f.name != "lanes"):
                least = "0 or more (0: runs on threads)" if f.name == "lanes" else "positive"
                raise ValueError(f"PLAYGROUND_{f.name.upper()} must be {least}, got {raw!r}")
            values[f.name] = value
        return cls(**values)


def configure_torch_threads() -> None:
    """One intra-op thread per run: K concurrent runs then use K cores, not K×cores."""
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def warm_up() -> None:
    """Pay torch's lazy imports (torch._dynamo via the optimizers: ~2 s) once, in the
    background when the app starts, instead of on the first student's Start click."""
    try:
        opt = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])
        opt.zero_grad()
        opt.step()
    except Exception:  # only a speed-up; a failure here is harmless
        pass
