"""Tables: your own data (CSV, TSV, Parquet) or scikit-learn's example tables, read
safely, checked with messages that say where, and prepared for an MLP."""
from .cells import neutralise, safe_csv
from .encode import MAX_CATEGORIES
from .examples import EXAMPLES, example_table
from .labels import TASKS, class_balance
from .missing import MissingReport, missing_report
from .prepare import MIN_ROWS, Prepared, Setup, columns_used, prepare
from .problems import TableProblem
from .read import MAX_BYTES, MAX_ROWS, read_table
from .table import Table
from .task import build, is_upload, load_table, prepared, task_of, total_size

__all__ = ["EXAMPLES", "MAX_BYTES", "MAX_CATEGORIES", "MAX_ROWS", "MIN_ROWS", "MissingReport",
           "Prepared", "Setup", "TASKS", "Table", "TableProblem", "build", "class_balance",
           "columns_used", "example_table", "is_upload", "load_table", "missing_report",
           "neutralise", "prepare", "prepared", "read_table", "safe_csv", "task_of", "total_size"]
