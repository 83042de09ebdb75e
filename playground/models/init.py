"""Weight initialization: the starting point of every run, a pure function of its seed.

Initial weights depend only on (seed, architecture, init scheme): every scheme draws
from a dedicated ``torch.Generator`` seeded from the config's seed, never from the
global RNG, so choosing another optimizer cannot change where training starts.
"""
from __future__ import annotations

import torch
from torch import nn

# torch.nn.init's name for the gain of each activation (GELU is close to ReLU).
_GAIN_NAME = {"relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "gelu": "relu",
              "linear": "linear"}


# The two course sources' own inits, copied as written: makemore part 2 draws every
# tensor, biases included, with torch.randn; torchtext's text-classification tutorial
# (init_weights) draws weights from U(-0.5, 0.5) and zeroes the bias.
UNIFORM_RANGE = 0.5


def init_weights(model: nn.Module, scheme: str, seed: int, std: float = 1.0,
                 activation: str = "relu") -> nn.Module:
    """Apply ``scheme`` to every weight matrix (and embedding table); zero every bias,
    except for "randn", which draws the biases from N(0, 1) too.

    Parameters are visited in registration order with one generator, so the result is
    a pure function of (seed, architecture, scheme).
    """
    g = torch.Generator().manual_seed(seed)
    gain_name = _GAIN_NAME.get(activation, "linear")
    with torch.no_grad():
        for name, p in model.named_parameters():
            if scheme == "randn":
                # N(0, 1) for every tensor, as the lecture's torch.randn calls do. A
                # weight's values differ from the lecture's (nn.Linear stores W1 as
                # 100×6, the lecture 6×100) but not their distribution.
                p.normal_(0.0, 1.0, generator=g)
                continue
            if p.dim() < 2:
                p.zero_()
                continue
            if scheme == "xavier_uniform":
                nn.init.xavier_uniform_(p, generator=g)
            elif scheme == "xavier_normal":
                nn.init.xavier_normal_(p, generator=g)
            elif scheme == "kaiming_uniform":
                nn.init.kaiming_uniform_(p, nonlinearity=gain_name, generator=g)
            elif scheme == "kaiming_normal":
                nn.init.kaiming_normal_(p, nonlinearity=gain_name, generator=g)
            elif scheme == "orthogonal":
                nn.init.orthogonal_(p, generator=g)
            elif scheme == "normal":
                nn.init.normal_(p, 0.0, std, generator=g)
            elif scheme == "uniform":
                nn.init.uniform_(p, -UNIFORM_RANGE, UNIFORM_RANGE, generator=g)
            elif scheme == "zeros":
                p.zero_()
            else:
                raise ValueError(f"unknown init scheme {scheme!r}")
    return model
