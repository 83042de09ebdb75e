"""What can be wrong with a table, said so the user can find it.

Every problem is a :class:`TableProblem` whose message names the column and row (or the
line of the file) at fault, and whose ``field`` is the setup control it belongs next to
(the file, the label, the features, the missing-value choice).
"""
from __future__ import annotations


class TableProblem(ValueError):
    """A table that cannot be used as it is; ``field`` is the RunConfig field to fix."""

    def __init__(self, message: str, field: str = "table"):
        super().__init__(message)
        self.field = field

    def __str__(self) -> str:
        return self.args[0]


def quoted(text: object, limit: int = 40) -> str:
    """A cell or column name as the user typed it, cut and quoted."""
    s = str(text)
    return repr(s if len(s) <= limit else s[:limit] + "…")


def listed(items, limit: int = 5) -> str:
    """``'a', 'b' and 3 more``: a short list for a message."""
    items = [str(i) for i in items]
    head = ", ".join(items[:limit])
    return head + (f" and {len(items) - limit:,} more" if len(items) > limit else "")
