"""RunConfig: the one declarative description of a training run.

Everything a user can set lives here, in one frozen dataclass, so that a run is
reproducible from its config alone, a link can carry it (``to_query``/``from_query``),
and every page validates input the same way. ``validate()`` never raises: it returns
*every* problem at once, each naming its field, so the UI can show each message next
to the control that caused it.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

from .checks import validate
from .choices import ALWAYS_IN_QUERY, OPTIMIZERS
from .errors import ConfigError, InvalidConfig
from .parse import coerce, format_value

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
    features: str = field(default="x1,x2", metadata=_help(
        "Inputs the 2D network sees, computed from each point (X₁, X₂, X₁², X₂², X₁X₂, "
        "sin X₁, sin X₂; comma separated in a link): with X₁² and X₂² a circle needs no "
        "hidden layer at all."))
    # --- your own data: tables (issue #18, part TAB) ------------------------------
    table: str = field(default="iris", metadata=_help(
        "Which table \"Your table\" trains on: an example shipped with scikit-learn (iris, "
        "wine, breast_cancer, diabetes) or a file you uploaded (named by 16 hex digits of "
        "its content, so a link can carry it)."))
    label_column: str = field(default="", metadata=_help(
        "The column to predict. Empty = the example's target, or an upload's last column."))
    feature_columns: str = field(default="", metadata=_help(
        "The columns the network sees, comma separated. Empty = every column but the label. "
        "Numbers are standardised with the training split's mean and std; text is one-hot "
        "encoded."))
    drop_missing: int = field(default=0, metadata=_help(
        "1 = drop the rows with a missing value in a used column; 0 = refuse such a table "
        "and say which rows they are."))
    table_task: str = field(default="auto", metadata=_help(
        "Classification (the label's values are classes) or regression (a number to "
        "predict). Auto: regression when the label is numeric with more than 20 values."))
    # --- your own data: drawn points ---------------------------------------------
    points: str = field(default="", metadata=_help(
        "The points of \"Draw your own\": up to 400 travel in the link ('v1.' then 4 "
        "base64url characters a point: x and y on a 1024-step grid over [-1.5, 1.5]², "
        "the class); a bigger set is kept on the server and named 'h:<key>'."))
    label_noise: float = field(default=0.0, metadata=_help(
        "Share of the training labels flipped to another class (seeded; validation and "
        "test keep the true labels): how well does the network ignore wrong labels?"))
    # --- regression (issue #18 REG): the loss of a regression task ---------------
    regression_loss: str = field(default="mse", metadata=_help(
        "Loss of a regression task: mean squared error, or Huber (squared near the "
        "target, linear beyond δ, so outliers pull less). Classification always uses "
        "cross-entropy."))
    huber_delta: float = field(default=1.0, metadata=_help(
        "Huber's δ, in standard deviations of the target: errors smaller than δ count "
        "squared, larger ones linearly."))
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
    # RMSprop's momentum and AdamW's decay are fields of their own: one field per
    # meaning, each with torch's default for that optimizer (RMSprop momentum 0, AdamW
    # weight decay 0.01), the same as the Loss surface's toy race uses.
    rmsprop_momentum: float = field(default=0.0, metadata=_help(
        "RMSprop momentum: fraction of the previous scaled update kept (torch's default 0)."))
    eps: float = field(default=1e-8, metadata=_help(
        "Small number added to the denominator so adaptive steps never divide by zero."))
    weight_decay: float = field(default=0.0, metadata=_help(
        "L2 penalty: λθ is added to the gradient, pulling weights toward zero."))
    adamw_decay: float = field(default=0.01, metadata=_help(
        "AdamW's decoupled weight decay: θ shrinks by η·λ·θ each step, apart from the "
        "adaptive step (torch's default 0.01)."))
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
                values[name] = coerce(_FIELDS[name].type, raw)
            except (TypeError, ValueError) as exc:
                errors.append(ConfigError(name, str(exc)))
        return dataclasses.replace(base, **values), errors

    def to_query(self) -> dict[str, str]:
        """The fields that define the experiment plus any that differ from the defaults:
        short, readable links that still say what they are about."""
        default = RunConfig()
        return {k: format_value(v) for k, v in self.to_dict().items()
                if k in ALWAYS_IN_QUERY or v != getattr(default, k)}

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> tuple["RunConfig", list[ConfigError]]:
        flat = {k: (v[-1] if isinstance(v, (list, tuple)) and v else v) for k, v in params.items()}
        return cls.from_dict(flat)

    # -------------------------------------------------------------- validation
    def validate(self) -> list[ConfigError]:
        """Every problem with this config, one entry per bad field (never raises)."""
        return validate(self)

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
        return f"{self.optimizer_label} lr={format_value(self.lr)} batch={batch}"


_FIELDS = {f.name: f for f in dataclasses.fields(RunConfig)}
