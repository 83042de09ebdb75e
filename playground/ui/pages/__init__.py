"""The app's pages, one package each; importing this registers them all with nav."""
from . import compare, lessons, runs, search, server, surface, sweep, train  # noqa: F401
