"""The lessons' text model: a bag of word embeddings, averaged, then a linear layer.

This is the torchtext lecture's ``TextClassificationModel``: ``nn.EmbeddingBag`` in
"mean" mode takes a whole minibatch as one flat tensor of token ids plus the offset
where each document starts, so documents of any length need no padding.
"""
from __future__ import annotations

import torch
from torch import nn

from playground.models.registry import register_model


class TextClassifier(nn.Module):
    def __init__(self, vocab_size: int, embed_dim: int, n_classes: int):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, mode="mean")
        self.fc = nn.Linear(embed_dim, n_classes)

    def forward(self, tokens: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
        return self.fc(self.embedding(tokens, offsets))


@register_model("text")
def _build_text(config, task) -> nn.Module:
    return TextClassifier(task.n_features, config.embed_dim, task.n_classes)
