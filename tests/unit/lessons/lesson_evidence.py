"""Each lesson's evidence measured once per test session (shared by the lesson tests)."""
from __future__ import annotations

from functools import lru_cache

from playground.runs.jobs import Progress
from playground.lessons import BY_KEY


@lru_cache(maxsize=None)
def measured(key: str):
    progress = Progress()
    return BY_KEY[key].evidence(progress), progress.fraction
