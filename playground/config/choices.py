"""The choices a setup can make, and the limits on its numbers, named once.

Each dictionary maps the value a config (and a link) holds to the label people read.
"""
from __future__ import annotations

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
    "adamw": ("beta1", "beta2", "eps", "adamw_decay"),
    "rmsprop": ("alpha", "eps", "rmsprop_momentum", "weight_decay"),
    "adagrad": ("eps", "weight_decay"),
}
# RMSprop's momentum and AdamW's (decoupled) weight decay are settings of their own,
# each with torch's default; a table column named "momentum" or "weight_decay" means
# the optimizer's own one.
_OWN_FIELD = {("momentum", "rmsprop"): "rmsprop_momentum", ("weight_decay", "adamw"): "adamw_decay"}


def optimizer_field(name: str, optimizer: str) -> str:
    """The config field that setting ``name`` is for a run of ``optimizer``."""
    return _OWN_FIELD.get((name, optimizer), name)


ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu", "linear")
INITS = {
    "xavier_uniform": "Xavier uniform",
    "xavier_normal": "Xavier normal",
    "kaiming_uniform": "Kaiming uniform",
    "kaiming_normal": "Kaiming normal",
    "orthogonal": "Orthogonal",
    "normal": "Normal(0, σ)",
    "randn": "N(0, 1) everywhere, biases included",
    "uniform": "U(−0.5, 0.5), biases 0",
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
REGRESSION_LOSSES = {"mse": "Mean squared error", "huber": "Huber"}

MAX_STEPS = 10_000_000
ALWAYS_IN_QUERY = ("dataset", "optimizer", "lr", "batch_size")
MAX_SEED = 2**31 - 1
