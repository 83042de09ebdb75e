"""The makemore window MLP and name sampling.

Bengio et al. 2003 as taught in Karpathy's makemore part 2: each of the last
``context`` characters is looked up in a small embedding table, the vectors are
concatenated, and an MLP maps them to logits over the 27 symbols ('.' + a–z).
"""
from __future__ import annotations

import torch
from torch import nn

from playground.data.alphabet import ITOS, N_SYMBOLS
from playground.models.mlp import MLP
from playground.models.registry import register_model

MAX_NAME_LENGTH = 30


class WindowMLP(nn.Module):
    """embedding (27 × embed_dim) → concatenate the window → MLP → 27 logits."""

    def __init__(self, context: int, embed_dim: int, hidden: list[int],
                 activation: str = "tanh", dropout: float = 0.0, n_symbols: int = N_SYMBOLS):
        super().__init__()
        self.context = context
        self.embedding = nn.Embedding(n_symbols, embed_dim)
        self.mlp = MLP(context * embed_dim, n_symbols, hidden, activation, dropout)

    def forward(self, window: torch.Tensor) -> torch.Tensor:
        return self.mlp(self.embedding(window).flatten(1))


@register_model("window")
def _build_window(config, task) -> nn.Module:
    return WindowMLP(config.context, config.embed_dim, [config.width] * config.hidden_layers,
                     config.activation, config.dropout)


@torch.no_grad()
def sample_names(model: nn.Module, n: int, context: int, temperature: float = 1.0,
                 seed: int = 0, max_length: int = MAX_NAME_LENGTH) -> list[str]:
    """Draw ``n`` names one character at a time from softmax(logits / temperature).

    Low temperature sharpens the distribution (common, safe names); high flattens it
    (inventive, often unpronounceable). The model's train/eval mode is restored, and
    a private generator makes the result a pure function of the arguments.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    was_training = model.training
    model.eval()
    try:
        g = torch.Generator().manual_seed(seed)
        windows = torch.zeros(n, context, dtype=torch.long)   # all '.': start of a name
        out = torch.zeros(n, max_length, dtype=torch.long)
        done = torch.zeros(n, dtype=torch.bool)
        for pos in range(max_length):
            probs = torch.softmax(model(windows) / temperature, dim=1)
            if pos == 0:
                probs[:, 0] = 0.0   # a name has at least one letter
            nxt = torch.multinomial(probs, 1, generator=g).squeeze(1)
            nxt[done] = 0
            out[:, pos] = nxt
            done |= nxt == 0
            if done.all():
                break
            windows = torch.cat([windows[:, 1:], nxt[:, None]], 1)
    finally:
        model.train(was_training)
    return ["".join(ITOS[i] for i in row.tolist()).split(".")[0] for row in out]
