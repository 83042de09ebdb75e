"""The Search page: several fields at once, on every core or a Ray cluster."""
from . import page  # noqa: F401  (registers the page)
