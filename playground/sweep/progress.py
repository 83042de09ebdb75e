"""A slice of a job's progress bar for one of several sub-tasks."""
from __future__ import annotations


class Part:
    """A slice [k/n, (k+1)/n] of a job's progress bar, for one of n sub-tasks.

    ``Part(None, ...)`` is None-like: it has no ``cancel_requested``, so loops that
    look for one skip progress reporting entirely.
    """

    def __new__(cls, progress, k: int, n: int, message: str):
        if progress is None:
            return None
        return super().__new__(cls)

    def __init__(self, progress, k: int, n: int, message: str):
        self._p, self._k, self._n = progress, k, n
        self.cancel_requested = progress.cancel_requested
        progress.update(k / n, f"{message} ({k + 1}/{n})" if n > 1 else message)

    def update(self, fraction: float, message: str = "") -> None:
        self._p.update((self._k + fraction) / self._n, message)

    def check(self) -> None:
        self._p.check()
