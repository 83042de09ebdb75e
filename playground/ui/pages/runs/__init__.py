"""The Runs page: every stored run, compared, reopened, run again, exported."""
from . import page  # noqa: F401  (registers the page)
