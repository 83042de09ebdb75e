"""The LR sweep page: a range test or short runs on the sidebar's setup."""
from . import page  # noqa: F401  (registers the page)
