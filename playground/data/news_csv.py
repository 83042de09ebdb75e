"""Reader for AG_NEWS-format CSV files (the torchtext/Kaggle layout).

No header; three quoted columns: class index 1–4, title, description. Every problem
raises :class:`CsvFormatError` whose message names the line (and column) at fault,
so an upload with one bad row tells the user exactly where to look.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from .text import AG_NEWS_CLASSES

MAX_BYTES = 64 * 1024 * 1024   # AG_NEWS train.csv is ~30 MB; more is not a lesson upload
MAX_FIELD = 100_000            # characters in one field; longer means a broken quote
MIN_ROWS = 20                  # fewer cannot be split into train/validation/test


class CsvFormatError(ValueError):
    """A malformed news CSV; the message says what and where."""


def read_news_csv(source: str | os.PathLike | bytes) -> list[tuple[int, str]]:
    """Parse a file path or uploaded bytes into (class 0–3, "title description") rows."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        where = "the upload"
    else:
        path = Path(source)
        if not path.is_file():
            raise CsvFormatError(f"{path}: no such file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CsvFormatError(_too_big(size))
        data = path.read_bytes()
        where = path.name
    if len(data) > MAX_BYTES:
        raise CsvFormatError(_too_big(len(data)))
    text = _decode(data)
    if not text.strip():
        raise CsvFormatError(f"{where} is empty: expected rows of class,title,description")
    return parse_news_text(text)


def parse_news_text(text: str) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvFormatError(f"line {reader.line_num}: {exc} (check the quotes)") from None
        line = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue  # blank lines are harmless
        if len(row) != 3:
            raise CsvFormatError(
                f"line {line}: expected 3 columns (class, title, description), found "
                f"{len(row)}" + (" — is the text quoted?" if len(row) > 3 else ""))
        if any(len(c) > MAX_FIELD for c in row):
            col = next(i for i, c in enumerate(row, 1) if len(c) > MAX_FIELD)
            raise CsvFormatError(f"line {line}, column {col}: field is longer than "
                                 f"{MAX_FIELD:,} characters (a missing closing quote?)")
        raw = row[0].strip()
        if raw not in ("1", "2", "3", "4"):
            hint = " (the file must not have a header row)" if line == 1 else ""
            raise CsvFormatError(f"line {line}, column 1: class must be 1–4 "
                                 f"({', '.join(AG_NEWS_CLASSES)}), got {raw[:30]!r}{hint}")
        title, description = row[1].strip(), row[2].strip()
        if not title and not description:
            raise CsvFormatError(f"line {line}, columns 2–3: title and description are both empty")
        rows.append((int(raw) - 1, f"{title} {description}".strip()))
    if len(rows) < MIN_ROWS:
        raise CsvFormatError(f"only {len(rows)} rows; at least {MIN_ROWS} are needed to "
                             "split into training, validation and test sets")
    return rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # tolerate the BOM that spreadsheet exports add
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CsvFormatError(f"line {line}, column {column} (byte {exc.start:,}): not UTF-8 "
                             f"text (byte 0x{data[exc.start]:02x}); save the file as "
                             "UTF-8") from None


def _too_big(size: int) -> str:
    return (f"the file is {size / 2**20:,.1f} MB; the limit is {MAX_BYTES / 2**20:,.0f} MB "
            "(take a sample of the rows)")
