"""Read an uploaded table: CSV or TSV (the delimiter sniffed and named), or Parquet.

Never unpickled (Parquet is read by pyarrow as columns of plain values), capped in size
and rows, and every refusal names the problem and where it is: binary junk, an empty
file, one column only (a delimiter this reader does not split on), no header row, a
column without a name or two with the same one, a row with too many cells.
"""
from __future__ import annotations

import csv
import io
import re

import pandas as pd

from .cells import is_number, looks_like_formula
from .problems import TableProblem, listed, quoted
from .table import Table, typed_column

MAX_BYTES = 20 * 1024 * 1024      # the app's upload limit (.streamlit/config.toml)
MAX_ROWS = 200_000                # more does not train in a lesson's minutes on 2 cores
MAX_COLUMNS = 1_000               # a wider file is not a feature table (and parses slowly)
DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "vertical bar"}
_SNIFF_LINES = 50
_FORMULA_NOTES = 5                # formula-looking cells named one by one, then counted


def read_table(data: bytes, name: str = "the upload") -> Table:
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise TableProblem(f"{name} is {len(data) / 2**20:,.1f} MB; the limit is "
                           f"{MAX_BYTES // 2**20} MB (take a sample of the rows)")
    if data[:4] == b"PAR1":
        return _read_parquet(data, name)
    return _read_text(data, name)


# ----------------------------------------------------------------------- CSV / TSV
def _read_text(data: bytes, name: str) -> Table:
    head = data[:65536]
    if b"\x00" in head:
        at = head.index(b"\x00")
        raise TableProblem(f"{name} is not a text table: byte {at:,} is 0x00 (a binary "
                           "file?). Upload a CSV, TSV or Parquet file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TableProblem(f"{name}, line {line} (byte {exc.start:,}): not UTF-8 text "
                           f"(byte 0x{data[exc.start]:02x}); save the file as UTF-8 CSV, "
                           "or upload Parquet") from None
    if not text.strip():
        raise TableProblem(f"{name} is empty: expected a header row naming the columns, "
                           "then one row per example")
    delimiter = sniff_delimiter(text)
    first = next(csv.reader([text.lstrip().split("\n", 1)[0]], delimiter=delimiter))
    if len(first) > MAX_COLUMNS:
        raise TableProblem(f"{name}: the first row has {len(first):,} columns; the limit is "
                           f"{MAX_COLUMNS:,}")
    try:
        raw = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str,
                          keep_default_na=False, na_filter=False, skip_blank_lines=True,
                          nrows=MAX_ROWS + 2, engine="c")
    except pd.errors.ParserError as exc:
        raise TableProblem(_parser_message(str(exc), name)) from None
    except pd.errors.EmptyDataError:
        raise TableProblem(f"{name} is empty") from None
    if raw.shape[1] < 2:
        raise TableProblem(
            f"{name}: only one column was found (looked for {', '.join(DELIMITERS.values())}"
            " between the cells); a table needs a label and at least one feature. Is it "
            "separated by spaces or another character? Save it as CSV.")
    if len(raw) - 1 > MAX_ROWS:
        raise TableProblem(f"{name} has more than {MAX_ROWS:,} rows; the limit is "
                           f"{MAX_ROWS:,} (take a sample of the rows)")
    header = [str(c).strip() for c in raw.iloc[0]]
    _check_header(header, name)
    if len(raw) < 2:
        raise TableProblem(f"{name} has a header row but no data rows")
    frame = frame_from_cells(raw)
    kind = "TSV (tab-separated)" if delimiter == "\t" else f"CSV ({DELIMITERS[delimiter]}-separated)"
    notes = [f"Read as {kind}: {len(frame):,} rows × {len(header)} columns."]
    notes += formula_notes(frame, header)
    return Table(name=name, frame=frame, source=kind, notes=tuple(notes),
                 default_label=header[-1], delimiter=delimiter)


def frame_from_cells(raw: pd.DataFrame) -> pd.DataFrame:
    """Text cells, row 0 naming the columns → the typed table (exported scripts copy
    this function, so they read a file exactly as the app did)."""
    header = [str(c).strip() for c in raw.iloc[0]]
    body = raw.iloc[1:].reset_index(drop=True)
    body.columns = header
    return pd.DataFrame({c: typed_column(body[c]) for c in header})


def frame_from_arrow(arrow) -> pd.DataFrame:
    """A pyarrow table → the typed table: numbers, integers and booleans as float64
    (infinite = missing), anything else as its text (also copied into scripts)."""
    import pyarrow as pa

    columns = {}
    for n, col in zip(arrow.column_names, arrow.columns):
        kind = col.type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
            numbers = pd.Series([None if v is None else float(v) for v in col.to_pylist()],
                                dtype="float64")
            columns[str(n).strip()] = numbers.where(numbers.abs() < float("inf"))
        else:   # dates, strings, anything else: its text
            values = [None if v is None else str(v) for v in col.to_pylist()]
            columns[str(n).strip()] = typed_column(pd.Series(values, dtype=object))
    return pd.DataFrame(columns)


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the same number (> 1) of cells
    most often; ties go to more cells. Quotes are respected (csv.reader)."""
    lines = [ln for ln in text.splitlines()[:_SNIFF_LINES * 2] if ln.strip()][:_SNIFF_LINES]
    best, best_score = ",", (0.0, 0)
    for d in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=d)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) / len(counts), mode) if mode > 1 else (0.0, 0)
        if score > best_score:
            best, best_score = d, score
    return best


def _check_header(header: list[str], name: str) -> None:
    numbers = [h for h in header if is_number(h)]
    if numbers:     # a column named by a bare number is almost always a row of data
        raise TableProblem(
            f"{name}: the first row ({listed(header, 4)}) looks like data, not column "
            f"names ({numbers[0]} is a number). A table needs a header row naming each "
            "column: add one as line 1.")
    for i, h in enumerate(header, 1):
        if not h:
            raise TableProblem(f"{name}: column {i} has no name in the header row (line 1)")
    seen: dict[str, int] = {}
    for i, h in enumerate(header, 1):
        if h in seen:
            raise TableProblem(f"{name}: columns {seen[h]} and {i} are both named "
                               f"{quoted(h)}; give every column its own name")
        seen[h] = i


def _parser_message(text: str, name: str) -> str:
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if m:
        expected, line, saw = m.groups()
        return (f"{name}, line {line}: {saw} cells, but the first row has {expected} "
                "(an unquoted delimiter inside a cell, or a misplaced quote?)")
    return f"{name} could not be read as a table: {text.strip()[:200]}"


def formula_notes(frame: pd.DataFrame, header: list[str]) -> list[str]:
    """Where cells (and column names) start like a spreadsheet formula."""
    found = [(c, None, c) for c in header if looks_like_formula(c)]
    for c in header:
        col = frame[c]
        if col.dtype != object:
            continue
        hits = col.map(looks_like_formula)
        found += [(c, int(i) + 1, col.iat[int(i)]) for i in hits[hits].index[:_FORMULA_NOTES]]
        if len(found) >= _FORMULA_NOTES:
            break
    if not found:
        return []
    where = "; ".join(f"column {quoted(c)}, " + (f"row {r}" if r else "the header")
                      + f": {quoted(v, 30)}" for c, r, v in found[:_FORMULA_NOTES])
    return [f"Cells that start like a spreadsheet formula (=, +, -, @) are read as text, "
            f"never run: {where}. Any CSV this app writes puts a ' before them."]


# ------------------------------------------------------------------------- Parquet
def _read_parquet(data: bytes, name: str) -> Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(io.BytesIO(data))
        n_rows = pf.metadata.num_rows
        names = [n for n in pf.schema_arrow.names if not n.startswith("__index_level_")]
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise TableProblem(f"{name} starts like Parquet but cannot be read: "
                           f"{str(exc)[:160]}") from None
    if n_rows > MAX_ROWS:
        raise TableProblem(f"{name} has {n_rows:,} rows; the limit is {MAX_ROWS:,} "
                           "(take a sample of the rows)")
    if len(names) < 2:
        raise TableProblem(f"{name} has {len(names)} column(s); a table needs a label "
                           "and at least one feature")
    _check_header([str(n).strip() for n in names], name)
    try:
        arrow = pf.read(columns=names)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise TableProblem(f"{name}: its columns cannot be read: {str(exc)[:160]}") from None
    if n_rows == 0:
        raise TableProblem(f"{name} has columns but no rows")
    frame = frame_from_arrow(arrow)
    header = list(frame.columns)
    notes = [f"Read as Parquet: {len(frame):,} rows × {len(header)} columns."]
    notes += formula_notes(frame, header)
    return Table(name=name, frame=frame, source="Parquet", notes=tuple(notes),
                 default_label=header[-1])
