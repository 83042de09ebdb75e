"""Names for the makemore lesson: next character from a window of the previous ones.

Sources: the US-census first and last names shipped in the ``names`` PyPI package
(``site-packages/names/dist.*``), or an uploaded text file with one name per line.
Names are split into train/validation/test *by name* (not by window), so validation
measures how well the model handles names it never saw.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from .alphabet import ITOS, N_SYMBOLS, STOI

from .base import Split, TaskData, split_indices

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_NAME = 30
MIN_NAMES = 20
_ALLOWED = set(ITOS[1:])
# ASCII byte → symbol id ('.' → 0, 'a' → 1, ...); names are validated before use.
_CODE = np.zeros(256, dtype=np.int64)
for _ch, _ix in STOI.items():
    _CODE[ord(_ch)] = _ix


class NamesFileError(ValueError):
    """A names upload that cannot be used; the message names the offending lines."""


def _census_file(name: str) -> Path:
    import names as names_pkg  # the data ships inside the package; nothing is downloaded

    return Path(os.path.dirname(names_pkg.__file__)) / name


def _read_census(file_name: str) -> list[str]:
    out = []
    for line in _census_file(file_name).read_text(encoding="ascii").splitlines():
        word = line.split(" ", 1)[0].strip().lower()
        if word and set(word) <= _ALLOWED:
            out.append(word)
    return out


@lru_cache(maxsize=2)
def census_names(which: str = "first") -> tuple[str, ...]:
    """Unique census names, most frequent first ("first": female + male; "last")."""
    if which == "first":
        raw = _read_census("dist.female.first") + _read_census("dist.male.first")
    elif which == "last":
        raw = _read_census("dist.all.last")
    else:
        raise ValueError(f"unknown names list {which!r}; use 'first' or 'last'")
    return tuple(dict.fromkeys(raw))


def parse_names(data: bytes) -> list[str]:
    """One name per line → lowercase names; every problem raises :class:`NamesFileError`."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise NamesFileError(f"the file is {len(data) / 2**20:,.1f} MB; the limit is "
                             f"{MAX_UPLOAD_BYTES / 2**20:.0f} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NamesFileError(f"line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                             "save the file as UTF-8") from None
    names, bad = [], []
    for number, line in enumerate(text.splitlines(), 1):
        word = line.strip().lower()
        if not word:
            continue
        if not set(word) <= _ALLOWED:
            bad.append(f"line {number}: {word[:20]!r}")
        elif len(word) > MAX_NAME:
            bad.append(f"line {number}: longer than {MAX_NAME} letters")
        else:
            names.append(word)
    if bad:
        more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
        raise NamesFileError("names may use only the letters a–z (one name per line); "
                             f"problems at {'; '.join(bad[:3])}{more}")
    if len(names) < MIN_NAMES:
        raise NamesFileError(f"found {len(names)} names; at least {MIN_NAMES} are needed "
                             "(one name per line)")
    return names


def windows(names: list[str] | tuple[str, ...], context: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every (previous ``context`` symbols → next symbol) pair, '.'-padded at the start;
    the final target of each name is '.', so the model learns where names end.

    Vectorized (88,799 surnames make ~700,000 windows): each name becomes the block
    ``'.' * context + name + '.'`` of one long string, and every window is a slice of it
    that ends just before a target, so no window crosses into the previous name.
    """
    if not names:
        return torch.zeros(0, context, dtype=torch.long), torch.zeros(0, dtype=torch.long)
    pad = "." * context
    text = "".join(pad + n + "." for n in names).encode("ascii")
    codes = _CODE[np.frombuffer(text, dtype=np.uint8)]
    targets_per_name = np.fromiter((len(n) + 1 for n in names), dtype=np.int64,
                                   count=len(names))
    block_starts = np.concatenate([[0], np.cumsum(targets_per_name + context)[:-1]])
    first_target = np.repeat(block_starts + context, targets_per_name)
    within = np.arange(targets_per_name.sum()) - np.repeat(
        np.cumsum(targets_per_name) - targets_per_name, targets_per_name)
    target_pos = first_target + within
    window_pos = target_pos[:, None] + np.arange(-context, 0)
    return torch.from_numpy(codes[window_pos]), torch.from_numpy(codes[target_pos])


def window_count(names: list[str] | tuple[str, ...]) -> int:
    return sum(len(n) + 1 for n in names)


def build_task(names: list[str] | tuple[str, ...], config, name: str = "names",
               source: str = "") -> TaskData:
    tr, va, te = split_indices(len(names), config.val_fraction, config.test_fraction,
                               config.seed)

    def split(ix: torch.Tensor) -> Split:
        return Split(*windows([names[i] for i in ix.tolist()], config.context))

    return TaskData(name=name, kind="chars", n_features=config.context, n_classes=N_SYMBOLS,
                    class_names=list(ITOS), train=split(tr), val=split(va), test=split(te),
                    model_kind="window",
                    extra={"itos": ITOS, "source": source, "n_names": len(names),
                           "names": tuple(names)})


def build_census(which: str, config) -> TaskData:
    label = "US census first names" if which == "first" else "US census last names"
    return build_task(census_names(which), config, name="names" if which == "first"
                      else "surnames", source=label)
