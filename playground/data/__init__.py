"""Dataset registry: name -> :class:`DatasetSpec`.

Every task is deterministic from ``config.seed``. New tasks (text, names) register
here with their own ``kind`` and ``model_kind``; the engine only needs splits whose
``take(idx)`` yields ``(inputs, targets)``.
"""
from __future__ import annotations

import threading

from . import digits, drawn, names, news_corpus, regression, tables, text, toy2d
from .base import DatasetSpec, Split, TaskData, split_indices, split_sizes
from .label_noise import noisy

_TOY_USES = ("n_samples", "noise", "label_noise")

DATASETS: dict[str, DatasetSpec] = {}


def register(spec: DatasetSpec) -> DatasetSpec:
    DATASETS[spec.name] = spec
    return spec


def _toy(name: str, label: str, description: str, multiclass: bool = False) -> DatasetSpec:
    return DatasetSpec(
        name=name, label=label, kind="points2d", description=description,
        build=lambda config, _n=name: _with_label_noise(toy2d.build(_n, config), config),
        total_size=lambda config: config.n_samples,
        uses=_TOY_USES + (("classes",) if multiclass else ()),
    )


def _with_label_noise(task: TaskData, config) -> TaskData:
    task.train = noisy(task.train, config.label_noise, task.n_classes, config.seed)
    return task


register(_toy("spiral", "Spiral", "Interleaved spiral arms, one class per arm: needs a "
              "non-linear model.", multiclass=True))
register(_toy("circle", "Circle", "A disk inside a ring: the boundary is a circle."))
register(_toy("xor", "XOR", "Opposite quadrants share a class: no straight line separates them."))
register(_toy("gauss", "Gaussian blobs", "Well separated blobs: even a linear model wins.",
              multiclass=True))
register(_toy("moons", "Two moons", "Two interleaved half circles."))


def _regression(name: str, label: str, description: str) -> DatasetSpec:
    return DatasetSpec(
        name=name, label=label, kind=regression.KINDS[name], description=description,
        build=lambda config, _n=name: regression.build(_n, config),
        total_size=lambda config: config.n_samples, uses=_TOY_USES, task="regression",
    )


register(_regression("plane", "Plane (regression)", "Regression: y = X₁ + X₂ plus noise, "
                     "over the plane. A linear model fits it."))
register(_regression("multigauss", "Gaussians (regression)", "Regression: six signed "
                     "Gaussian bumps over the plane; needs hidden units."))
register(_regression("sin", "Sine, 1-D (regression)", "Regression: y = sin x plus "
                     "noise, x on a line from −3 to 3: fit a curve through the points."))
register(DatasetSpec(
    name="draw", label="Draw your own", kind="points2d",
    description="Your own points: click on the Train page's canvas to add them, one "
    "class at a time (or start from a generated set and change it).",
    build=drawn.build, total_size=drawn.size, uses=("points", "label_noise"),
    extra_check=drawn.check,
))
register(DatasetSpec(
    name="digits", label="Digits (8×8)", kind="image",
    description="1,797 handwritten digits from scikit-learn, 10 classes, 64 pixels.",
    build=digits.build, total_size=lambda config: digits.N_DIGITS,
))
register(DatasetSpec(
    name="news", label="News topics (generated)", kind="tokens",
    description="6,000 generated headlines in AG_NEWS's four topics (World, Sports, "
    "Business, Sci/Tech); some words are shared between topics, so 100% is out of reach.",
    build=lambda config: text.build_task(news_corpus.generated_corpus(), config,
                                         source="generated headlines"),
    total_size=lambda config: len(news_corpus.generated_corpus()),
))
register(DatasetSpec(
    name="names", label="Names (US census, first)", kind="chars",
    description="5,163 US-census first names; predict each next letter from the previous "
    "few (makemore).",
    build=lambda config: names.build_census("first", config),
    total_size=lambda config: names.window_count(names.census_names("first")),
    uses=("context",),
))
register(DatasetSpec(
    name="surnames", label="Names (US census, last)", kind="chars",
    description="88,799 US-census last names: a larger, harder makemore corpus.",
    build=lambda config: names.build_census("last", config),
    total_size=lambda config: names.window_count(names.census_names("last")),
    uses=("context",),
))
# Your own data (issue #18, part TAB): an uploaded table or one of scikit-learn's.
register(DatasetSpec(
    name="table", label="Your table", kind="table",
    description="A table of your own (CSV, TSV or Parquet, with a header row) or an example "
    "from scikit-learn: pick the label column and the features.",
    build=tables.build, total_size=tables.total_size,
    uses=("table", "label_column", "feature_columns", "drop_missing", "table_task"),
    task=tables.task_of,       # a numeric label with many values: regression
))


def is_regression(config) -> bool:
    """Whether this config's dataset is a regression task (known before building it)."""
    spec = DATASETS.get(config.dataset)
    return spec is not None and spec.task_of(config) == "regression"


def cache_key(config) -> tuple:
    """What identifies a task: the dataset, the fields it reads, the split and the seed."""
    spec = DATASETS[config.dataset]
    used = tuple(getattr(config, f) for f in spec.uses)
    return (config.dataset, used, config.val_fraction, config.test_fraction, config.seed)


_CACHE: dict[tuple, TaskData] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 32


def load(config) -> TaskData:
    """The task for this config, shared between runs with the same data settings.

    Runs never mutate their TaskData (the engine only indexes it), so sharing the
    tensors is safe, saves memory with many students on one server, and makes
    "same seed, same data" hold by construction.
    """
    key = cache_key(config)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is None:
        hit = DATASETS[config.dataset].build(config)
        with _CACHE_LOCK:
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            hit = _CACHE.setdefault(key, hit)
    return hit


__all__ = ["DATASETS", "cache_key", "DatasetSpec", "is_regression", "Split", "TaskData", "load",
           "register", "split_indices", "split_sizes"]
