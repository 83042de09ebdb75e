"""The models: an MLP, the text classifier (EmbeddingBag) and the makemore window MLP.

Importing this package registers every model kind with :func:`build_model`.
"""
from . import mlp, text, window  # noqa: F401  (each registers its builder)
from .init import init_weights
from .mlp import ACTIVATION_MODULES, MLP
from .registry import MODEL_BUILDERS, build_model, count_parameters, register_model

__all__ = ["ACTIVATION_MODULES", "MLP", "MODEL_BUILDERS", "build_model", "count_parameters",
           "init_weights", "register_model"]
