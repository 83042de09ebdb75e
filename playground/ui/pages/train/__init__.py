"""The Train page: set up a network in the sidebar, press Start, watch it learn."""
from . import page  # noqa: F401  (registers the page)
