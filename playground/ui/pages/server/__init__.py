"""The Server page: what this app process is running, for whoever looks after it."""
from . import page  # noqa: F401  (registers the page)
