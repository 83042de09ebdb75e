"""Who hears a run as it goes: its points, its events and its end.

A record's :class:`Taps` holds the listeners that want more than snapshots: the run
store's sink (every training point, every evaluation, every command that changed the
run) and the ``on_end`` listeners. They are called on the training thread, so a sink
must only hand the values over (a ``deque.append``: about 0.1 µs, against a training
step of 100+ µs) and never wait for anything; an ``on_end`` listener that raises is
logged and never breaks the run.
"""
from __future__ import annotations

import logging
from typing import Callable, Protocol

log = logging.getLogger(__name__)


class Sink(Protocol):
    """What a point listener implements (the store's ``writer.RunSink``)."""

    def step(self, step: int, loss: float, lr: float) -> None: ...
    # values in the run's evaluation order: (val_loss, val_acc), or for a regression
    # run (val_loss, val_rmse, val_r2) (``record.history.evals.y_names``)
    def evaluation(self, step: int, *values: float) -> None: ...
    def event(self, step: int, kind: str, detail: str) -> None: ...


class Taps:
    def __init__(self) -> None:
        self.sinks: list[Sink] = []
        self.end_listeners: list[Callable] = []

    def add(self, sink: Sink) -> None:
        self.sinks.append(sink)

    def step(self, step: int, loss: float, lr: float) -> None:
        for sink in self.sinks:
            sink.step(step, loss, lr)

    def evaluation(self, step: int, *values: float) -> None:
        for sink in self.sinks:
            sink.evaluation(step, *values)

    def event(self, step: int, kind: str, detail: str = "") -> None:
        for sink in self.sinks:
            sink.event(step, kind, detail)

    def ended(self, record) -> None:
        for listener in self.end_listeners:
            try:
                listener(record)
            except Exception:       # a listener (the store) must never break a run
                log.exception("an on_end listener failed for run %s", record.run_id)
