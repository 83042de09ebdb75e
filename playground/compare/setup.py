"""Setting up a comparison: table rows -> validated configs, presets, the fairness plan.

Pure functions (no threads, no UI). A row is a dict of the editable columns; a blank
cell (None/NaN/"") inherits the current config, so a row only says what differs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from playground.compare.group import MAX_RUNS, MIN_RUNS, group_clock
from playground.config import INITS, OPTIMIZER_PARAMS, OPTIMIZERS, SCHEDULERS, RunConfig
from playground.config.choices import optimizer_field

# The columns of the run table, in order: (config field, column title).
COLUMNS = (
    ("optimizer", "Optimizer"),
    ("lr", "Learning rate"),
    ("momentum", "Momentum"),
    ("beta1", "β1"),
    ("beta2", "β2"),
    ("batch_size", "Batch size"),
    ("dropout", "Dropout"),
    ("init", "Init"),
    ("init_std", "Init σ"),
    ("scheduler", "LR schedule"),
    ("weight_decay", "Weight decay"),
)
FIELDS = tuple(f for f, _ in COLUMNS)
TITLES = dict(COLUMNS)
# The Momentum and Weight decay columns mean each optimizer's own setting: RMSprop's
# momentum and AdamW's decoupled decay are fields of their own in the config.
_OPTIMIZER_FIELDS = {f for fields in OPTIMIZER_PARAMS.values() for f in fields} | {"momentum"}


def cell_field(column: str, optimizer: str) -> str:
    """The config field a table column sets for a run of ``optimizer``."""
    return optimizer_field(column, optimizer)


def cell_value(config: RunConfig, column: str):
    """What a run's cell in ``column`` shows."""
    return getattr(config, cell_field(column, config.optimizer))


def applies(config: RunConfig, column: str) -> bool:
    """Whether the column's setting changes anything for this run (momentum does not
    for Adam, σ only for the normal init)."""
    f = cell_field(column, config.optimizer)
    if f in _OPTIMIZER_FIELDS:
        return f in OPTIMIZER_PARAMS.get(config.optimizer, ())
    if f == "init_std":
        return config.init == "normal"
    return True


def row_of(config: RunConfig) -> dict:
    """A config as a table row (the inverse of what ``plan`` reads)."""
    return {f: cell_value(config, f) for f in FIELDS}
CHOICES = {"optimizer": tuple(OPTIMIZERS), "init": tuple(INITS), "scheduler": tuple(SCHEDULERS)}

# Each preset: a description and its rows (only the cells that matter are filled).
PRESETS: dict[str, tuple[str, list[dict]]] = {
    "SGD 0.1 vs Adam 1e-3": (
        "The classic: plain SGD with a large step against Adam with its default step.",
        [{"optimizer": "sgd", "lr": 0.1}, {"optimizer": "adam", "lr": 1e-3}]),
    "LR too small / right / too large": (
        "One optimizer, three step sizes: crawling, converging, and blowing up.",
        [{"optimizer": "sgd", "lr": 0.001}, {"optimizer": "sgd", "lr": 0.3},
         {"optimizer": "sgd", "lr": 20.0}]),
    "batch 8 vs 64 vs full batch": (
        "Noisy small batches against smooth full-batch steps, at equal examples seen.",
        [{"batch_size": 8}, {"batch_size": 64}, {"batch_size": 0}]),
    "with vs without dropout": (
        "Dropout (off at evaluation) trades a higher training loss for less overfitting.",
        [{"dropout": 0.0}, {"dropout": 0.5}]),
    "xavier vs zeros vs large normal": (
        "Where training starts matters: a good init, a symmetric one, an exploding one.",
        [{"init": "xavier_uniform"}, {"init": "zeros"}, {"init": "normal", "init_std": 5.0}]),
}


def blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def preset_rows(name: str) -> list[dict]:
    """A preset as full table rows (every column present, unused ones blank)."""
    _, rows = PRESETS[name]
    return [{f: row.get(f) for f in FIELDS} for row in rows]


@dataclass(frozen=True)
class Plan:
    """What the table describes, ready to start, or why it is not."""

    configs: tuple
    labels: tuple[str, ...]
    errors: tuple[str, ...]
    notes: tuple[str, ...]
    clock: str

    @property
    def ok(self) -> bool:
        return not self.errors and MIN_RUNS <= len(self.configs) <= MAX_RUNS


def plan(rows: list[dict], base: RunConfig, length: int | None = None,
         length_unit: str | None = None) -> Plan:
    """Turn table rows into one config per run.

    Blank cells inherit ``base``. Every problem is reported with its run number and
    column title. When batch sizes differ the runs are compared at equal examples
    seen: each run evaluates about as often *in examples*, and lengths should be in
    epochs (a note says so when they are not).
    """
    errors: list[str] = []
    notes: list[str] = []
    filled = [r for r in rows if any(not blank(r.get(f)) for f in FIELDS)]
    if len(filled) < len(rows):
        notes.append(f"{len(rows) - len(filled)} empty row(s) ignored.")
    if len(filled) < MIN_RUNS:
        errors.append(f"Add at least {MIN_RUNS} runs to compare (the table has {len(filled)}).")
    if len(filled) > MAX_RUNS:
        errors.append(f"At most {MAX_RUNS} runs fit side by side; the table has {len(filled)}.")
    group_base = base
    if length is not None:
        group_base = group_base.replace(length=length)
    if length_unit is not None:
        group_base = group_base.replace(length_unit=length_unit)
    # The run length is set once for the group: said once, not once per run.
    once = ("length", "length_unit")
    for e in group_base.validate():
        if e.field in once:
            errors.append(f"Train each run for: {e.reason}.")
    configs = []
    for n, row in enumerate(filled, start=1):
        values = {f: _clean(row.get(f)) for f in FIELDS if not blank(row.get(f))}
        for f, v in values.items():
            if f in CHOICES and v not in CHOICES[f]:
                errors.append(f"Run {n} · {TITLES[f]}: unknown value {v!r}; choose one of "
                              f"{', '.join(CHOICES[f])}.")
        optimizer = values.get("optimizer", group_base.optimizer)
        column_of = {cell_field(f, optimizer): f for f in values}
        cfg, bad = RunConfig.from_dict({cell_field(f, optimizer): v for f, v in values.items()},
                                       base=group_base)
        for e in bad + cfg.validate():
            if (e.field in CHOICES and e.field in values) or e.field in once:
                continue   # already reported above in plainer words
            column = column_of.get(e.field, e.field)
            errors.append(f"Run {n} · {TITLES.get(column, column)}: {e.reason}.")
        configs.append(cfg)
    clock = group_clock(configs) if configs else "steps"
    if clock == "examples" and configs and not errors:
        configs = _even_evals(configs)
        if group_base.length_unit == "steps":
            notes.append("Batch sizes differ, so runs are lined up by examples seen; with a "
                         "length in steps the small-batch runs see far fewer examples. "
                         "Choose a length in epochs for an equal budget.")
    return Plan(tuple(configs), tuple(labels_for(configs, base)), tuple(errors),
                tuple(notes), clock)


def _clean(value):
    # RunConfig.from_dict parses the rest (64.0 -> 64 for whole-number fields).
    return value.strip() if isinstance(value, str) else value


def _even_evals(configs: list[RunConfig]) -> list[RunConfig]:
    """Evaluate every run after about the same number of *examples*, not steps."""
    from playground.data import DATASETS

    def batch(c):
        n_train = DATASETS[c.dataset].train_size(c)
        return n_train if c.batch_size == 0 else min(c.batch_size, n_train)

    smallest = min(batch(c) for c in configs)
    every_examples = max(1, configs[0].eval_every) * smallest
    return [c.replace(eval_every=max(1, round(every_examples / batch(c)))) for c in configs]


def labels_for(configs: list[RunConfig], base: RunConfig) -> list[str]:
    """Short legend labels naming what differs between the runs, unique within the group."""
    varying = [f for f in FIELDS if len({cell_value(c, f) for c in configs if applies(c, f)}) > 1]
    labels = []
    for c in configs:
        parts = []
        if "optimizer" in varying or not varying:
            parts.append(c.optimizer_label)
        for f in varying:
            if f != "optimizer" and applies(c, f):   # no "σ=1" on a Xavier run
                parts.append(_describe(f, cell_value(c, f)))
            if f == "init" and c.init == "normal" and "init_std" not in varying:
                parts.append(_describe("init_std", c.init_std))   # "Normal(0, σ) σ=5"
        labels.append(" ".join(parts) or c.optimizer_label)
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return unique


def _describe(field: str, value) -> str:
    if field == "batch_size":
        return "full batch" if value == 0 else f"batch {value}"
    if field == "init":
        return INITS.get(value, value)
    if field == "scheduler":
        return SCHEDULERS.get(value, value)
    short = {"lr": "lr", "momentum": "momentum", "beta1": "β1", "beta2": "β2",
             "dropout": "dropout", "init_std": "σ", "weight_decay": "wd"}[field]
    return f"{short}={value:g}" if isinstance(value, float) else f"{short}={value}"


def fairness_plan(configs: list[RunConfig]) -> list[tuple[bool, str]]:
    """What will hold for these runs, as (holds everywhere?, sentence) pairs.

    Config-level promise (from the engine's guarantees): the group runner verifies
    it again on the actual tensors once the runs are built.
    """
    if not configs:
        return []
    n = len(configs)
    data_keys = {(c.dataset, c.n_samples, c.noise, c.classes, c.val_fraction,
                  c.test_fraction, c.seed) for c in configs}
    out = [(len(data_keys) == 1, "Same data split for every run." if len(data_keys) == 1
            else "Runs use different data splits.")]
    arch = _groups(configs, lambda c: (c.dataset, c.hidden_layers, c.width, c.activation,
                                       c.embed_dim, c.context, c.init, c.seed,
                                       c.init_std if c.init == "normal" else None,
                                       c.features))
    out.append((len(arch) == 1, _sentence(arch, n, "identical initial weights",
                                          "architecture/init")))
    batches = _groups(configs, lambda c: (c.batch_size, c.seed))
    out.append((len(batches) == 1, _sentence(batches, n, "identical batch order",
                                             "batch size")))
    return out


def _groups(configs, key) -> list[list[int]]:
    out: dict = {}
    for i, c in enumerate(configs):
        out.setdefault(key(c), []).append(i + 1)
    return list(out.values())


def _sentence(groups: list[list[int]], n: int, what: str, differs: str) -> str:
    if len(groups) == 1:
        return f"{what.capitalize()} for all {n} runs."
    shared = [g for g in groups if len(g) > 1]
    if not shared:
        return f"No two runs share {what}: their {differs} differ (that is the comparison)."
    runs = "; ".join("runs " + ", ".join(map(str, g)) for g in shared)
    return f"{what.capitalize()} within groups of matching {differs}: {runs}."
