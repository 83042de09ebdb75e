"""Missing values: counted by column and by row, so the user can decide to drop rows."""
from __future__ import annotations

from dataclasses import dataclass

from .problems import listed, quoted
from .table import Table


@dataclass(frozen=True)
class MissingReport:
    by_column: dict          # column -> missing cells (only columns with some)
    rows: tuple[int, ...]    # 1-based row numbers with a missing cell in a used column
    n_rows: int              # rows in the table

    @property
    def any(self) -> bool:
        return bool(self.rows)

    def sentence(self) -> str:
        if not self.rows:
            return "No missing values in the columns used."
        cols = "; ".join(f"{quoted(c)}: {n:,}" for c, n in self.by_column.items())
        return (f"{len(self.rows):,} of {self.n_rows:,} rows have a missing value (by column: "
                f"{cols}); rows {listed(self.rows, 8)}.")


def missing_report(table: Table, columns: list[str]) -> MissingReport:
    used = table.frame[columns]
    holes = used.isna()
    by_column = {c: int(n) for c, n in holes.sum().items() if n}
    rows = tuple(int(i) + 1 for i in holes.any(axis=1).to_numpy().nonzero()[0])
    return MissingReport(by_column, rows, len(table))
