"""Where an exported script gets its data: the same place the app got it.

Built-in datasets are re-created exactly (generated from the seed, loaded from
scikit-learn or the ``names`` package, or the app's generated news corpus rebuilt from
its word lists); an uploaded file cannot travel inside a script, so the script reads it
from a path the user fills in, with the same parsing rules the app used.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from playground import data as datasets

# How each built-in dataset is obtained, and what the script needs installed for it.
BUILT_IN = {"points2d": "generated", "points1d": "generated", "image": "scikit-learn",
            "tokens": "news corpus", "chars": "names package", "table": "scikit-learn"}
UPLOAD_FILES = {"tokens": "news.csv", "chars": "names.txt", "table": "table.csv"}  # placeholders


@dataclass(frozen=True)
class DataSource:
    kind: str               # "points2d" | "points1d" | "image" | "tokens" | "chars"
    origin: str             # a BUILT_IN value, or "file" for a user's upload
    file_name: str = ""     # the upload's name, read from next to the script

    @property
    def from_file(self) -> bool:
        return self.origin == "file"

    @property
    def packages(self) -> tuple[str, ...]:
        """What the script imports besides the standard library (pip names)."""
        extra = {"generated": ("numpy",), "scikit-learn": ("numpy", "scikit-learn"),
                 "names package": ("names",)}.get(self.origin, ())
        if self.kind == "table":      # tables are read with pandas (Parquet with pyarrow)
            extra = ("numpy", "pandas", *extra[1:],
                     *(("pyarrow",) if self.file_name.endswith(".parquet") else ()))
        return ("torch", *extra)


def source_for(config, upload_name: str | None = None) -> DataSource:
    """The source of ``config``'s data; ``upload_name`` when the run trains on an upload
    (only news and names tasks take uploads)."""
    kind = datasets.DATASETS[config.dataset].kind
    if kind == "table":               # an example, or an upload named by its content key
        if not datasets.tables.is_upload(config.table):
            return DataSource(kind, BUILT_IN[kind])
        fallback = ("table.parquet" if datasets.tables.load_table(config.table).source ==
                    "Parquet" else UPLOAD_FILES[kind])
        return DataSource(kind, "file", safe_file_name(upload_name or fallback, fallback))
    if upload_name is not None and kind in UPLOAD_FILES:
        return DataSource(kind, "file", safe_file_name(upload_name, UPLOAD_FILES[kind]))
    return DataSource(kind, BUILT_IN[kind])


def safe_file_name(name: str, fallback: str) -> str:
    """Only the base name, and only characters that are safe inside a Python string and
    a shell command: an upload's name is user text."""
    base = PurePath(str(name).replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isalnum() or c in "._- ")[:80].strip()
    return cleaned if cleaned and cleaned[0] != "." else fallback
