"""The Lessons page: the course's claims, each with a preset and measured evidence."""
from . import page  # noqa: F401  (registers the page)
