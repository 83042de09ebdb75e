"""The run store: every run's history, kept in a database that outlives the server."""
from playground.store.diff import Difference, config_diff, sentence
from playground.store.health import Health
from playground.store.queries import SORTABLE, RunFilter
from playground.store.rows import NewRun, StoredRun
from playground.store.series import POINT_CAP
from playground.store.store import RunStore, StoreError

__all__ = ["POINT_CAP", "SORTABLE", "Difference", "Health", "NewRun", "RunFilter", "RunStore",
           "StoreError", "StoredRun", "config_diff", "sentence"]
