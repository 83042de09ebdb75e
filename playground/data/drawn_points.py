"""A drawn set of 2D points as text: short enough for a link, checked when read back.

Each point is quantised to a 1024 × 1024 grid over the drawing plane [-1.5, 1.5]² (a
step of 0.0029, far below a marker's width) and packed with its class into 3 bytes:
``x`` 10 bits, ``y`` 10 bits, class 4 bits (0–5 used). The bytes go into the link as
base64url, 4 characters a point: ``points=v1.<base64url>``, 400 points in 1,603
characters. A bigger set is kept on the server (``playground/data/user_data.py``) and
the link names it by its content key: ``points=h:<16 hex digits>``; a server that never
saw it says so (UnknownUserData).
"""
from __future__ import annotations

import base64
import re

import numpy as np

from . import user_data

PLANE = (-1.5, 1.5)                 # the drawing plane, both axes
GRID = 1024                         # levels per axis (10 bits)
STEP = (PLANE[1] - PLANE[0]) / (GRID - 1)
MAX_CLASSES = 6                     # the class picker's colours
MAX_IN_LINK = 400                   # points carried by the link itself (1,603 characters)
MAX_POINTS = 20_000                 # points kept on the server for one set
INLINE, KEPT = "v1.", "h:"
_MAGIC = b"playground-points-v1\n"  # a kept set's bytes start with this
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")


def quantise(xy: np.ndarray) -> np.ndarray:
    """Grid indices [N, 2] (0..1023) of points, clipped onto the plane."""
    q = np.rint((np.asarray(xy, dtype=np.float64) - PLANE[0]) / STEP)
    return np.clip(q, 0, GRID - 1).astype(np.int64)


def on_grid(q: np.ndarray) -> np.ndarray:
    """Plane coordinates [N, 2] (float32) of grid indices."""
    return (PLANE[0] + np.asarray(q, dtype=np.float64) * STEP).astype(np.float32)


def pack(xy: np.ndarray, labels: np.ndarray) -> bytes:
    """3 bytes a point, big-endian: x (10 bits) | y (10 bits) | class (4 bits)."""
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) and (labels.min() < 0 or labels.max() >= MAX_CLASSES):
        raise ValueError(f"classes must be 0 to {MAX_CLASSES - 1}")
    q = quantise(np.asarray(xy).reshape(-1, 2))
    word = (q[:, 0] << 14) | (q[:, 1] << 4) | labels           # [N] 24-bit words
    return np.stack([word >> 16, (word >> 8) & 255, word & 255], 1).astype(np.uint8).tobytes()


def unpack(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(points [N, 2] float32, labels [N] int64) from :func:`pack`'s bytes; ValueError
    names what is wrong."""
    if len(data) % 3:
        raise ValueError(f"is cut short: 3 bytes a point, got {len(data)} bytes")
    b = np.frombuffer(data, dtype=np.uint8).reshape(-1, 3).astype(np.int64)
    word = (b[:, 0] << 16) | (b[:, 1] << 8) | b[:, 2]
    labels = word & 15
    bad = np.flatnonzero(labels >= MAX_CLASSES)
    if len(bad):
        raise ValueError(f"point {bad[0] + 1} has class {labels[bad[0]]}; there are at "
                         f"most {MAX_CLASSES} classes (0 to {MAX_CLASSES - 1})")
    q = np.stack([word >> 14, (word >> 4) & (GRID - 1)], 1)
    return on_grid(q), labels


def encode(xy: np.ndarray, labels: np.ndarray) -> str:
    """The link's text for a drawn set: inline up to MAX_IN_LINK points, else kept on
    this server under its content key. No points: the empty text."""
    n = len(labels)
    if n == 0:
        return ""
    if n > MAX_POINTS:
        raise ValueError(f"{n:,} points are more than the {MAX_POINTS:,} a drawn set holds")
    data = pack(xy, labels)
    if n <= MAX_IN_LINK:
        return INLINE + base64.urlsafe_b64encode(data).decode().rstrip("=")
    return KEPT + user_data.put(_MAGIC + data)


def decode(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(points [N, 2] float32, labels [N] int64) of a link's text. ValueError says what
    is wrong with the text; UnknownUserData that a kept set is not on this server."""
    text = (text or "").strip()
    if not text:
        return np.zeros((0, 2), np.float32), np.zeros(0, np.int64)
    if text.startswith(KEPT):
        data = user_data.get(text[len(KEPT):])
        if not data.startswith(_MAGIC):
            raise ValueError(f"the data {text[len(KEPT):]} on this server is not a drawn set "
                             "(an uploaded table?)")
        xy, labels = unpack(data[len(_MAGIC):])
    elif text.startswith(INLINE):
        body = text[len(INLINE):]
        if not _BASE64URL.match(body):
            odd = next(c for c in body if not _BASE64URL.match(c))
            raise ValueError(f"contains {odd!r}; only base64url letters (A–Z a–z 0–9 - _) "
                             "follow 'v1.'")
        if len(body) % 4:
            raise ValueError(f"is cut short: 4 characters a point, got {len(body)} "
                             "characters after 'v1.'")
        if len(body) // 4 > MAX_IN_LINK:
            raise ValueError(f"has {len(body) // 4:,} points; a link holds at most "
                             f"{MAX_IN_LINK} (bigger sets are kept on the server: 'h:<key>')")
        xy, labels = unpack(base64.urlsafe_b64decode(body))
    else:
        raise ValueError(f"must start with 'v1.' (points in the link) or 'h:' (a set kept "
                         f"on this server), got {text[:12]!r}")
    if len(labels) > MAX_POINTS:
        raise ValueError(f"has {len(labels):,} points; a drawn set holds at most "
                         f"{MAX_POINTS:,}")
    return xy, labels


def problem(text: str) -> str | None:
    """Why ``text`` cannot be read back (None when it can)."""
    try:
        decode(text)
    except (ValueError, user_data.UnknownUserData) as exc:
        return str(exc)
    return None


def travels(text: str) -> str:
    """How the set travels: "in the link" or "kept on this server"."""
    return "kept on this server" if (text or "").startswith(KEPT) else "in the link"
