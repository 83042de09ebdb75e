"""A search space: 1–4 RunConfig fields, each with the range or the set it may take.

``SearchSettings.validate(base)`` never raises: it returns every problem, each naming
the field it is about, as the config's own checks do (an empty or inverted range, a
log range through 0, more grid points than trials, a field the model does not read).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from playground.config import INITS, OPTIMIZERS, ConfigError, RunConfig
from playground.config.choices import OPTIMIZER_PARAMS
from playground.config.parse import format_value
from playground.data import is_regression


@dataclass(frozen=True)
class Searchable:
    kind: str            # "log" | "float" | "int" | "choice"
    label: str
    low: float | None = None       # the default range a picker starts from
    high: float | None = None
    choices: tuple = ()            # the default set ("int" fields with choices are sets)


SEARCHABLE = {
    "lr": Searchable("log", "learning rate η", 1e-4, 1.0),
    "batch_size": Searchable("int", "batch size", choices=(16, 32, 64, 128)),
    "width": Searchable("int", "width (units per hidden layer)", 8, 128),
    "hidden_layers": Searchable("int", "hidden layers", 1, 3),
    "dropout": Searchable("float", "dropout", 0.0, 0.5),
    "momentum": Searchable("float", "momentum", 0.0, 0.99),
    "weight_decay": Searchable("log", "weight decay λ", 1e-6, 1e-2),
    "optimizer": Searchable("choice", "optimizer", choices=("sgd", "momentum", "adam")),
    "init": Searchable("choice", "initialization", choices=("xavier_uniform", "kaiming_uniform")),
}
SAMPLERS = {"grid": "Grid", "random": "Random", "tpe": "TPE (Bayesian)"}
PRUNERS = {"none": "No pruning", "median": "Median rule", "halving": "Successive halving"}
OBJECTIVES = {"final_val_loss": "final validation loss", "best_val_loss": "best validation loss",
              "final_val_acc": "final validation accuracy",
              "best_val_acc": "best validation accuracy",
              # regression tasks: RMSE in the target's own units, and R²
              "final_val_rmse": "final validation RMSE", "best_val_rmse": "best validation RMSE",
              "final_val_r2": "final validation R²", "best_val_r2": "best validation R²"}
CLASSIFICATION_ONLY = ("final_val_acc", "best_val_acc")
REGRESSION_ONLY = ("final_val_rmse", "best_val_rmse", "final_val_r2", "best_val_r2")
MAX_FIELDS = 4
MAX_TRIALS = 200
MAX_STEPS = 20_000
MAX_SEEDS = 3
MAX_GRID_POINTS = 10
MAX_TOTAL_STEPS = 2_000_000     # trials × steps × seeds: a click cannot hog the machine


def objective_direction(objective: str) -> str:
    return "maximize" if objective.endswith(("_acc", "_r2")) else "minimize"


def objectives_for(regression: bool) -> dict[str, str]:
    """The objectives a task can be judged by (no accuracy for regression, no RMSE or R²
    for classification)."""
    skip = CLASSIFICATION_ONLY if regression else REGRESSION_ONLY
    return {k: v for k, v in OBJECTIVES.items() if k not in skip}


@dataclass(frozen=True)
class FieldRange:
    """One searched field: a [low, high] range, or a set of ``choices``."""

    name: str
    low: float | None = None
    high: float | None = None
    choices: tuple = ()

    @property
    def spec(self) -> Searchable:
        return SEARCHABLE[self.name]

    @property
    def kind(self) -> str:
        return "set" if self.choices else self.spec.kind

    @property
    def numeric(self) -> bool:
        return self.spec.kind != "choice"

    @property
    def log(self) -> bool:
        return self.spec.kind == "log"

    def describe(self) -> str:
        if self.choices:
            return "{" + ", ".join(format_value(c) for c in self.choices) + "}"
        return f"[{format_value(self.low)}, {format_value(self.high)}]" + (
            " (log)" if self.log else "")

    def check(self) -> list[str]:
        """What is wrong with the range itself (empty, inverted, log through 0)."""
        spec = self.spec
        if spec.kind == "choice" or self.choices:
            if not self.choices:
                return ["the set is empty; choose at least one value"]
            if len(set(self.choices)) != len(self.choices):
                return ["the set names a value twice"]
            if spec.kind == "int" and not all(isinstance(c, int) and not isinstance(c, bool)
                                              for c in self.choices):
                return ["every value must be a whole number"]
            return []
        lo, hi = self.low, self.high
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                   for v in (lo, hi)):
            return [f"the range needs two finite numbers, got {lo!r} and {hi!r}"]
        if lo > hi:
            return [f"the range is inverted: {format_value(lo)} is above {format_value(hi)}"]
        if lo == hi:
            return [f"the range is empty: both ends are {format_value(lo)}"]
        if spec.kind == "log" and lo <= 0:
            return [f"a log range cannot reach 0 or below (it starts at {format_value(lo)}); "
                    "start it above 0, e.g. 1e-5"]
        if spec.kind == "int" and not (float(lo).is_integer() and float(hi).is_integer()):
            return ["both ends must be whole numbers"]
        return []

    def grid(self, points: int) -> list:
        """The values a grid search tries: every choice, or ``points`` spread evenly
        (on a log scale for a log field; whole numbers for an integer range)."""
        if self.choices:
            return list(self.choices)
        if self.spec.kind == "int":
            lo, hi = int(self.low), int(self.high)
            values = np.unique(np.round(np.linspace(lo, hi, min(points, hi - lo + 1))))
            return [int(v) for v in values]
        if self.log:
            values = [float(v) for v in np.logspace(math.log10(self.low),
                                                    math.log10(self.high), points)]
        else:
            values = [float(v) for v in np.linspace(self.low, self.high, points)]
        values[0], values[-1] = float(self.low), float(self.high)   # the ends as typed
        return values

    def ends(self) -> list:
        """Values whose config must be valid: the ends of a range, every choice."""
        return list(self.choices) if self.choices else (
            [int(self.low), int(self.high)] if self.spec.kind == "int" else [self.low, self.high])


def not_read(name: str, config: RunConfig, optimizers=()) -> str | None:
    """Why the model or optimizer of ``config`` ignores field ``name``, or None."""
    from playground.data import DATASETS

    spec = DATASETS.get(config.dataset)
    if name in ("width", "hidden_layers", "dropout") and spec is not None \
            and spec.kind == "tokens":
        return f"the {spec.label} model (an embedding bag) has no hidden layers"
    if name in ("width", "dropout") and config.hidden_layers == 0:
        return "the model has 0 hidden layers (a linear classifier)"
    if name in ("momentum", "weight_decay"):
        readers = [o for o in (optimizers or (config.optimizer,))
                   if name not in OPTIMIZER_PARAMS.get(o, ())]
        if readers:
            return (f"{', '.join(OPTIMIZERS.get(o, o) for o in readers)} "
                    f"{'does' if len(readers) == 1 else 'do'} not read {name}")
    return None


@dataclass(frozen=True)
class SearchSettings:
    fields: tuple[FieldRange, ...] = (FieldRange("lr", 1e-4, 1.0),)
    sampler: str = "tpe"
    trials: int = 16
    steps: int = 500              # optimizer steps per trial (per seed)
    seeds: int = 1                # seeds per trial; the objective is their mean
    objective: str = "final_val_loss"
    pruner: str = "none"
    grid_points: int = 4          # values per continuous field in a grid search
    checkpoints: int = 10         # validation measurements per trial (pruning looks at them)
    seed: int = 0                 # the sampler's seed

    @property
    def direction(self) -> str:
        return objective_direction(self.objective)

    def grid(self) -> dict[str, list]:
        return {f.name: f.grid(self.grid_points) for f in self.fields}

    def grid_size(self) -> int:
        return int(np.prod([len(v) for v in self.grid().values()])) if self.fields else 0

    def planned_trials(self) -> int:
        """Trials the search runs: the budget, or the whole grid when it is smaller."""
        return min(self.trials, self.grid_size()) if self.sampler == "grid" else self.trials

    def validate(self, base: RunConfig) -> list[ConfigError]:
        errs: list[ConfigError] = []

        def bad(name: str, reason: str) -> None:
            errs.append(ConfigError(name, reason))

        names = [f.name for f in self.fields]
        if not names:
            bad("fields", "choose at least one field to search")
        if len(names) > MAX_FIELDS:
            bad("fields", f"search at most {MAX_FIELDS} fields at once, got {len(names)}")
        for name in sorted({n for n in names if names.count(n) > 1}):
            bad(name, "is chosen twice")
        for name, lo, hi in (("trials", 1, MAX_TRIALS), ("steps", 1, MAX_STEPS),
                             ("seeds", 1, MAX_SEEDS), ("grid_points", 2, MAX_GRID_POINTS),
                             ("checkpoints", 1, 50)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                bad(name, f"must be a whole number between {lo} and {hi:,}, got {v!r}")
        for name, options in (("sampler", SAMPLERS), ("pruner", PRUNERS),
                              ("objective", OBJECTIVES)):
            if getattr(self, name) not in options:
                bad(name, f"unknown value {getattr(self, name)!r}; choose one of "
                    f"{', '.join(options)}")
        if errs:
            return errs
        if self.objective not in objectives_for(is_regression(base)):
            bad("objective", f"{OBJECTIVES[self.objective]} does not apply to a "
                f"{'regression' if is_regression(base) else 'classification'} task; choose "
                f"one of {', '.join(objectives_for(is_regression(base)).values())}")
        if self.trials * self.steps * self.seeds > MAX_TOTAL_STEPS:
            bad("trials", f"{self.trials * self.steps * self.seeds:,} steps in all (trials × "
                f"steps × seeds) is over the {MAX_TOTAL_STEPS:,} limit; use fewer of one")
        searched_optimizers = next((f.choices for f in self.fields if f.name == "optimizer"), ())
        for f in self.fields:
            if f.name not in SEARCHABLE:
                bad(f.name, f"cannot be searched; choose from {', '.join(SEARCHABLE)}")
                continue
            problems = f.check()
            if not problems:
                why = not_read(f.name, base, searched_optimizers)
                if why:
                    problems = [f"does not apply: {why}"]
            if not problems:   # every end of the range must make a valid run
                for value in f.ends():
                    own = [e for e in base.replace(**{f.name: value}).validate()
                           if e.field == f.name]
                    if own:
                        problems = [f"{format_value(value)} is not a valid {f.name}: "
                                    f"{own[0].reason}"]
                        break
            for reason in problems:
                bad(f.name, reason)
        if not errs and self.sampler == "grid" and self.grid_size() > self.trials:
            sizes = " × ".join(f"{len(v)} {k}" for k, v in self.grid().items())
            bad(self.fields[0].name if len(self.fields) == 1 else "trials",
                f"the grid has {self.grid_size()} points ({sizes}) but the budget is "
                f"{self.trials} trials; raise the budget, use fewer grid points, or sample")
        return errs

    def config_for(self, base: RunConfig, params: dict) -> RunConfig:
        """The run one trial trains: the base setup with the trial's values, this length."""
        return base.replace(**params, length=self.steps, length_unit="steps")
