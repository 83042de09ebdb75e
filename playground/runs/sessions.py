"""Which browser sessions have gone away (a closed tab, or a dropped connection)."""
from __future__ import annotations

import threading
import time


class Sessions:
    def __init__(self) -> None:
        self._released: dict[str, float] = {}   # owner -> when its session went away
        self._lock = threading.Lock()

    def release(self, owner: str) -> None:
        with self._lock:
            self._released.setdefault(owner, time.monotonic())

    def back(self, owner: str) -> None:
        """The session is here (it polled, or a reload claimed its runs)."""
        with self._lock:
            self._released.pop(owner, None)

    def released(self) -> dict[str, float]:
        """owner -> monotonic time it went away (a copy)."""
        with self._lock:
            return dict(self._released)

    def keep_only(self, owners: set[str]) -> None:
        """Forget the sessions that own nothing any more."""
        with self._lock:
            for owner in [o for o in self._released if o not in owners]:
                self._released.pop(owner, None)
