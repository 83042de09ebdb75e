"""RunConfig: the one declarative description of a training run, and its vocabulary.

``from playground.config import RunConfig, OPTIMIZERS, ...``: the dataclass lives in
``run_config.py``, the choices in ``choices.py``, the rules in ``checks.py``, the
parsing of link and widget values in ``parse.py``.
"""
from .choices import (ACTIVATIONS, ALWAYS_IN_QUERY, INITS, LENGTH_UNITS, MAX_SEED, MAX_STEPS,
                      OPTIMIZER_PARAMS, OPTIMIZERS, SCHEDULERS)
from .errors import ConfigError, InvalidConfig
from .run_config import RunConfig

__all__ = ["ACTIVATIONS", "ALWAYS_IN_QUERY", "INITS", "LENGTH_UNITS", "MAX_SEED", "MAX_STEPS",
           "OPTIMIZER_PARAMS", "OPTIMIZERS", "SCHEDULERS", "ConfigError", "InvalidConfig",
           "RunConfig"]
