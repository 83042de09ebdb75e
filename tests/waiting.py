"""Waiting for a background thread without sleeping longer than it needs."""
from __future__ import annotations

import time


def wait_until(predicate, timeout: float = 20.0, every: float = 0.02) -> bool:
    """Poll ``predicate`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False
