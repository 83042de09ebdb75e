"""Data a user brought (an uploaded table, a large drawn set), kept by its content.

A link cannot carry a file, so a config names such data by a hash of its bytes. The
bytes are kept in this process (a bounded cache) and written to ``user-data/`` in the
app's data folder, so the search's worker processes, another page of the same server
and a restarted server all find them by the same name; a link opened on a server that
never saw the data gets :class:`UnknownUserData`, whose message says so.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

KEY_PATTERN = re.compile(r"^[0-9a-f]{16}$")
MAX_BYTES = 32 * 1024 * 1024        # one item; uploads are capped well below this
_MEMORY_ITEMS = 64                  # in-process copies kept (the disk keeps all)


class UnknownUserData(KeyError):
    """The named data is not on this server (the link came from another one)."""

    def __str__(self) -> str:      # KeyError would quote the message
        return self.args[0] if self.args else "unknown data"


def content_key(data: bytes) -> str:
    """16 hex digits of SHA-256: short enough for a link, collisions out of reach."""
    return hashlib.sha256(data).hexdigest()[:16]


def folder() -> Path:
    """``PLAYGROUND_USER_DATA_DIR``, else ``user-data/`` in the run store's data folder."""
    explicit = os.environ.get("PLAYGROUND_USER_DATA_DIR")
    if explicit:
        return Path(explicit)
    from playground.store.location import data_dir
    return data_dir() / "user-data"


_memory: "OrderedDict[str, bytes]" = OrderedDict()
_lock = threading.Lock()


def put(data: bytes) -> str:
    """Keep ``data``; return its key. Writing the file is atomic (temp file + rename),
    so a reader in another process never sees half of it. A disk that cannot be written
    leaves the data in memory only (this server still has it)."""
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ValueError(f"{len(data) / 1e6:.1f} MB is more than the {MAX_BYTES // 2**20} MB "
                         "kept per file")
    key = content_key(data)
    with _lock:
        _memory[key] = data
        _memory.move_to_end(key)
        while len(_memory) > _MEMORY_ITEMS:
            _memory.popitem(last=False)
    target = folder() / key
    if not target.exists():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        except OSError:
            pass
    return key


def get(key: str) -> bytes:
    """The bytes kept under ``key``; :class:`UnknownUserData` if this server has none."""
    if not KEY_PATTERN.match(key or ""):
        raise UnknownUserData(f"{key!r} is not a data name (16 hex digits expected)")
    with _lock:
        hit = _memory.get(key)
    if hit is not None:
        return hit
    try:
        data = (folder() / key).read_bytes()
    except OSError:
        raise UnknownUserData(
            f"the data {key} is not on this server: it was uploaded or drawn on another "
            "one (or its files were removed). Upload the file or draw the points again."
        ) from None
    if content_key(data) != key:       # a damaged file is as good as none
        raise UnknownUserData(f"the data {key} on this server is damaged; upload it again")
    with _lock:
        _memory[key] = data
    return data
