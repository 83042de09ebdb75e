"""The "Your table" dataset: a config's table (an example's name or an upload's content
key) read, prepared and split into the TaskData the engine trains on.

Reading and preparing are cached by what they depend on, so the sidebar's checks, the
preview and a run share one parse of a 20 MB upload; a refusal is cached too (its
message is shown on every rerun without reading the file again).
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import torch

from .. import user_data
from ..base import Split, TaskData
from .examples import EXAMPLES, example_table
from .labels import decide_task
from .prepare import Prepared, Setup, columns_used, prepare
from .problems import TableProblem
from .read import read_table
from .table import Table

_CACHE_ITEMS = 8           # a prepared 200,000-row table can hold ~100 MB of inputs
_tables: "OrderedDict[str, Table | tuple]" = OrderedDict()       # tuple: a refusal
_prepared: "OrderedDict[tuple, Prepared | tuple]" = OrderedDict()
_lock = threading.Lock()


def _cached(cache: OrderedDict, key, make):
    with _lock:
        hit = cache.get(key)
    if hit is None:
        try:
            hit = make()
        except TableProblem as exc:
            hit = (str(exc), exc.field)      # kept as words: a raised exception grows
        with _lock:
            cache[key] = hit
            while len(cache) > _CACHE_ITEMS:
                cache.popitem(last=False)
    if isinstance(hit, tuple):
        raise TableProblem(*hit)
    return hit


def is_upload(name: str) -> bool:
    return bool(user_data.KEY_PATTERN.match(name or ""))


def load_table(name: str) -> Table:
    """An example by name, or an upload by its content key (UnknownUserData if this
    server does not have it: the link came from another one)."""
    if name in EXAMPLES:
        return example_table(name)
    if not is_upload(name):
        raise TableProblem(f"{name!r} is neither an example ({', '.join(EXAMPLES)}) nor "
                           "an uploaded file's name (16 hex digits)")

    def read() -> Table:
        try:
            data = user_data.get(name)
        except user_data.UnknownUserData as exc:
            raise TableProblem(str(exc)) from None
        return read_table(data, name="the uploaded file")

    return _cached(_tables, name, read)


def prepared(config) -> Prepared:
    setup = Setup.from_config(config)
    key = (config.table, setup, config.val_fraction, config.test_fraction, config.seed)
    return _cached(_prepared, key, lambda: prepare(
        load_table(config.table), setup, config.val_fraction, config.test_fraction,
        config.seed))


def total_size(config) -> int:
    return len(prepared(config).y)


def build(config) -> TaskData:
    p = prepared(config)
    x, y = torch.from_numpy(p.x.copy()), torch.from_numpy(p.y.copy())
    train, val, test = (Split(x[torch.from_numpy(i)], y[torch.from_numpy(i)])
                        for i in p.splits)
    extra = {"table": p.table.name, "label": p.label, "features": p.features,
             "input_names": p.input_names, "scaling": p.scaling, "notes": p.notes}
    if p.task == "regression":
        extra.update(target_mean=p.target_mean, target_std=p.target_std)
        return TaskData(name="table", kind="table", n_features=p.x.shape[1], n_classes=1,
                        class_names=[p.label], train=train, val=val, test=test,
                        model_kind="mlp", extra=extra, task="regression")
    extra["balance"] = p.balance
    return TaskData(name="table", kind="table", n_features=p.x.shape[1],
                    n_classes=len(p.class_names), class_names=p.class_names, train=train,
                    val=val, test=test, model_kind="mlp", extra=extra)


def task_of(config) -> str:
    """"classification" or "regression" for this config, known before building it (what
    the label column and the Predict choice say; "classification" while they are not
    usable). For ``DatasetSpec.task`` (issue #18's regression part)."""
    try:
        setup = Setup.from_config(config)
        table = load_table(config.table)
        label, _ = columns_used(table, setup)
        return decide_task(table.frame[label], label, setup.task)
    except (TableProblem, AttributeError, TypeError):
        return "classification"
