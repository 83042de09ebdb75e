"""The Compare page: 2–6 runs side by side, fair by construction."""
from . import page  # noqa: F401  (registers the page)
