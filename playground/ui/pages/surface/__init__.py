"""The Loss surface page: toy landscapes raced by real optimizers, and a network's own."""
from . import page  # noqa: F401  (registers the page)
