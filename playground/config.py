"""RunConfig: the one declarative description of a training run.

Everything a user can set lives here, in one frozen dataclass, so that a run is
reproducible from its config alone, a link can carry it (``to_query``/``from_query``),
and every page validates input the same way. ``validate()`` never raises: it returns
*every* problem at once, each naming its field, so the UI can show each message next
to the control that caused it.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Mapping

OPTIMIZERS = {
    "sgd": "SGD",
    "momentum": "SGD + momentum",
    "nesterov": "Nesterov",
    "adam": "Adam",
    "adamw": "AdamW",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
}
# Which optional hyper-parameters each optimizer actually reads; the UI shows only these.
OPTIMIZER_PARAMS = {
    "sgd": ("weight_decay",),
    "momentum": ("momentum", "weight_decay"),
    "nesterov": ("momentum", "weight_decay"),
    "adam": ("beta1", "beta2", "eps", "weight_decay"),
    "adamw": ("beta1", "beta2", "eps", "weight_decay"),
    "rmsprop": ("alpha", "eps", "momentum", "weight_decay"),
    "adagrad": ("eps", "weight_decay"),
}
ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu", "linear")
INITS = {
    "xavier_uniform": "Xavier uniform",
    "xavier_normal": "Xavier normal",
    "kaiming_uniform": "Kaiming uniform",
    "kaiming_normal": "Kaiming normal",
    "orthogonal": "Orthogonal",
    "normal": "Normal(0, σ)",
    "zeros": "Zeros",
}
SCHEDULERS = {
    "none": "Constant",
    "step": "Step decay",
    "exponential": "Exponential",
    "cosine": "Cosine annealing",
    "onecycle": "One-cycle",
}
LENGTH_UNITS = ("steps", "epochs")

MAX_STEPS = 10_000_000
ALWAYS_IN_QUERY = ("dataset", "optimizer", "lr", "batch_size")
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class ConfigError:
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidConfig(ValueError):
    """Raised by :meth:`RunConfig.checked` with every problem attached."""

    def __init__(self, errors: list[ConfigError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


def _help(text: str) -> dict:
    return {"help": text}


@dataclass(frozen=True)
class RunConfig:
    # --- data -------------------------------------------------------------------
    dataset: str = field(default="spiral", metadata=_help(
        "Which problem to learn. 2D sets show a decision boundary; digits are 8×8 images."))
    n_samples: int = field(default=600, metadata=_help(
        "How many points the 2D generator draws (before the train/val/test split)."))
    noise: float = field(default=0.15, metadata=_help(
        "How much the 2D generator jitters each point; more noise = overlapping classes."))
    classes: int = field(default=3, metadata=_help(
        "Number of classes for spiral (arms) and gauss (blobs)."))
    val_fraction: float = field(default=0.2, metadata=_help(
        "Share of the data held out to measure generalization while training."))
    test_fraction: float = field(default=0.1, metadata=_help(
        "Share held out until the end; never used for any decision during training."))
    # --- model ------------------------------------------------------------------
    hidden_layers: int = field(default=2, metadata=_help(
        "Number of hidden layers. 0 = a linear classifier (softmax regression)."))
    width: int = field(default=16, metadata=_help("Units in each hidden layer."))
    activation: str = field(default="tanh", metadata=_help(
        "Non-linearity after each hidden layer; 'linear' makes the whole net linear."))
    dropout: float = field(default=0.0, metadata=_help(
        "Probability of zeroing each hidden unit during training (off in evaluation)."))
    init: str = field(default="xavier_uniform", metadata=_help(
        "How weights start. Xavier keeps activation variance stable; zeros makes hidden "
        "units identical, so they never become different."))
    init_std: float = field(default=1.0, metadata=_help(
        "Standard deviation σ for the Normal(0, σ) initialization."))
    embed_dim: int = field(default=2, metadata=_help(
        "Size of each token/character embedding (text and names tasks)."))
    context: int = field(default=3, metadata=_help(
        "How many previous characters the names model sees."))
    # --- optimizer --------------------------------------------------------------
    optimizer: str = field(default="adam", metadata=_help(
        "Update rule. SGD: θ ← θ − η∇L. Adam adapts a step size per parameter."))
    lr: float = field(default=0.01, metadata=_help(
        "Learning rate η: step length. Too small crawls, too large diverges."))
    momentum: float = field(default=0.9, metadata=_help(
        "Fraction of the previous update kept (a heavy ball rolling downhill)."))
    beta1: float = field(default=0.9, metadata=_help(
        "Adam β1: decay of the running mean of gradients."))
    beta2: float = field(default=0.999, metadata=_help(
        "Adam β2: decay of the running mean of squared gradients."))
    alpha: float = field(default=0.99, metadata=_help(
        "RMSprop α: decay of the running mean of squared gradients."))
    eps: float = field(default=1e-8, metadata=_help(
        "Small number added to the denominator so adaptive steps never divide by zero."))
    weight_decay: float = field(default=0.0, metadata=_help(
        "L2 penalty pulling weights toward zero (decoupled in AdamW)."))
    # --- training ---------------------------------------------------------------
    batch_size: int = field(default=32, metadata=_help(
        "Examples per step. 0 = full batch (exact gradient, one step per epoch)."))
    length_unit: str = field(default="steps", metadata=_help(
        "Whether the run length counts optimizer steps or passes over the training set."))
    length: int = field(default=3000, metadata=_help("How long to train, in the unit above."))
    scheduler: str = field(default="none", metadata=_help(
        "How the learning rate changes over the run."))
    step_size: int = field(default=10, metadata=_help(
        "Step decay: multiply the LR by γ every this many epochs."))
    gamma: float = field(default=0.1, metadata=_help(
        "Decay factor γ (step decay: per step_size epochs; exponential: per epoch)."))
    clip: float = field(default=0.0, metadata=_help(
        "Gradient clipping: rescale the gradient when its norm exceeds this. 0 = off."))
    seed: int = field(default=0, metadata=_help(
        "Random seed: same seed = same data, same initial weights, same batch order."))
    eval_every: int = field(default=50, metadata=_help(
        "Measure validation loss and accuracy every this many steps."))

    # ------------------------------------------------------------------ helpers
    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def help(cls, name: str) -> str:
        return _FIELDS[name].metadata.get("help", "")

    def replace(self, **changes: Any) -> "RunConfig":
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base: "RunConfig | None" = None
                  ) -> tuple["RunConfig", list[ConfigError]]:
        """Build a config from loosely typed values (JSON, URL strings, widgets).

        Unknown keys are ignored (old links keep working); values that cannot be
        parsed are reported and left at ``base``'s value, so the caller always gets a
        usable config plus the list of what was wrong.
        """
        base = base or cls()
        values: dict[str, Any] = {}
        errors: list[ConfigError] = []
        for name, raw in data.items():
            if name not in _FIELDS:
                continue
            try:
                values[name] = _coerce(_FIELDS[name].type, raw)
            except (TypeError, ValueError) as exc:
                errors.append(ConfigError(name, str(exc)))
        return dataclasses.replace(base, **values), errors

    def to_query(self) -> dict[str, str]:
        """The fields that define the experiment plus any that differ from the defaults:
        short, readable links that still say what they are about."""
        default = RunConfig()
        return {k: _format(v) for k, v in self.to_dict().items()
                if k in ALWAYS_IN_QUERY or v != getattr(default, k)}

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> tuple["RunConfig", list[ConfigError]]:
        flat = {k: (v[-1] if isinstance(v, (list, tuple)) and v else v) for k, v in params.items()}
        return cls.from_dict(flat)

    # -------------------------------------------------------------- validation
    def validate(self) -> list[ConfigError]:
        """Every problem with this config, one entry per bad field."""
        from playground.data import DATASETS  # local: data imports config for typing

        errs: list[ConfigError] = []

        def bad(name: str, reason: str) -> None:
            errs.append(ConfigError(name, reason))

        def number(name: str, lo: float | None = None, hi: float | None = None,
                   lo_open: bool = False, hi_open: bool = False) -> bool:
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                bad(name, f"must be a number, got {v!r}")
                return False
            if not math.isfinite(v):
                bad(name, f"must be finite, got {v}")
                return False
            lo_ok = lo is None or (v > lo if lo_open else v >= lo)
            hi_ok = hi is None or (v < hi if hi_open else v <= hi)
            if not (lo_ok and hi_ok):
                left = "(" if lo_open else "["
                right = ")" if hi_open else "]"
                lo_s = "-∞" if lo is None else _format(lo)
                hi_s = "∞" if hi is None else _format(hi)
                bad(name, f"must be in {left}{lo_s}, {hi_s}{right}, got {_format(v)}")
                return False
            return True

        def integer(name: str, lo: int, hi: int) -> bool:
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int):
                bad(name, f"must be a whole number, got {v!r}")
                return False
            if not lo <= v <= hi:
                bad(name, f"must be between {lo:,} and {hi:,}, got {_int_text(v)}")
                return False
            return True

        def choice(name: str, options) -> bool:
            v = getattr(self, name)
            if v not in options:
                bad(name, f"unknown value {v!r}; choose one of {', '.join(options)}")
                return False
            return True

        dataset_ok = choice("dataset", tuple(DATASETS))
        integer("n_samples", 50, 100_000)
        number("noise", 0.0, 1.0)
        integer("classes", 2, 5)
        fr_ok = number("val_fraction", 0.05, 0.5) & number("test_fraction", 0.0, 0.5)
        if fr_ok and self.val_fraction + self.test_fraction > 0.8:
            bad("test_fraction", "validation + test fractions leave less than 20% to train on")
        integer("hidden_layers", 0, 8)
        integer("width", 1, 1024)
        choice("activation", ACTIVATIONS)
        number("dropout", 0.0, 1.0, hi_open=True)
        choice("init", tuple(INITS))
        number("init_std", 0.0, 100.0, lo_open=True)
        integer("embed_dim", 1, 256)
        integer("context", 1, 16)
        choice("optimizer", tuple(OPTIMIZERS))
        number("lr", 0.0, 1e4, lo_open=True)
        number("momentum", 0.0, 1.0, hi_open=True)
        number("beta1", 0.0, 1.0, hi_open=True)
        number("beta2", 0.0, 1.0, hi_open=True)
        number("alpha", 0.0, 1.0, hi_open=True)
        number("eps", 0.0, 1.0, lo_open=True)
        number("weight_decay", 0.0, 10.0)
        # The training-set size comes from the data fields: judged only when all of
        # them are valid, so no message quotes a size computed from a bad value.
        sizes_ok = dataset_ok and not any(
            e.field in ("n_samples", "classes", "val_fraction", "test_fraction", "context")
            for e in errs)
        if integer("batch_size", 0, 1_000_000) and sizes_ok:
            try:
                n_train = DATASETS[self.dataset].train_size(self)
            except Exception:  # sizes are reported by their own fields
                n_train = None
            if n_train is not None and self.batch_size > n_train:
                bad("batch_size", f"is {self.batch_size:,} but the training set has only "
                    f"{n_train:,} examples (use 0 for full batch)")
        choice("length_unit", LENGTH_UNITS)
        integer("length", 1, MAX_STEPS)
        choice("scheduler", tuple(SCHEDULERS))
        integer("step_size", 1, MAX_STEPS)
        number("gamma", 0.0, 1.0, lo_open=True)
        number("clip", 0.0, 1e6)
        integer("seed", 0, MAX_SEED)
        integer("eval_every", 1, MAX_STEPS)
        if dataset_ok:
            errs.extend(DATASETS[self.dataset].check(self))
        return errs

    def checked(self) -> "RunConfig":
        errors = self.validate()
        if errors:
            raise InvalidConfig(errors)
        return self

    # ------------------------------------------------------------ descriptions
    @property
    def optimizer_label(self) -> str:
        return OPTIMIZERS.get(self.optimizer, self.optimizer)

    def short_label(self) -> str:
        """A compact legend label such as ``Adam lr=0.01 b=32``."""
        batch = "full" if self.batch_size == 0 else str(self.batch_size)
        return f"{self.optimizer_label} lr={_format(self.lr)} batch={batch}"


_FIELDS = {f.name: f for f in dataclasses.fields(RunConfig)}


def _coerce(kind: Any, raw: Any) -> Any:
    kind = {"int": int, "float": float, "str": str}.get(kind, kind) if isinstance(kind, str) else kind
    if kind is str:
        if not isinstance(raw, str):
            raise TypeError(f"expected text, got {raw!r}")
        return raw.strip()
    if isinstance(raw, bool):
        raise TypeError(f"expected a number, got {raw!r}")
    if kind is int:
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float):
            if raw.is_integer():
                return int(raw)
            raise ValueError(f"expected a whole number, got {raw!r}")
        text = str(raw).strip()
        try:
            return int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"expected a whole number, got {text[:40]!r}") from None
            if value.is_integer():
                return int(value)
            raise ValueError(f"expected a whole number, got {text[:40]!r}") from None
    if kind is float:
        if isinstance(raw, (int, float)):
            try:
                return float(raw)
            except OverflowError:  # an int beyond float range (about 1e308)
                raise ValueError(f"expected a number, got {_int_text(raw)}") from None
        text = str(raw).strip()
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {text[:40]!r}") from None
    raise TypeError(f"unsupported field type {kind!r}")


def _int_text(value: int) -> str:
    """``1,234`` for ordinary ints; a digit count for huge ones (Python refuses to print
    ints over 4,300 digits, and nobody wants to read them)."""
    if value.bit_length() <= 64:
        return f"{value:,}"
    return f"a {int(value.bit_length() * 0.30103) + 1:,}-digit number"


def _format(value: Any) -> str:
    """Shortest faithful text for a value (1e-05 → '1e-05', 0.1 → '0.1')."""
    if isinstance(value, float) and math.isfinite(value):
        short = f"{value:g}"
        return short if float(short) == value else repr(value)
    return str(value)
