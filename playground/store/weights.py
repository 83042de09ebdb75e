"""A run's final weights as bytes: safetensors (tensors only, nothing to unpickle)."""
from __future__ import annotations

import torch
from safetensors.torch import load, save

MAX_WEIGHT_BYTES = 64 * 2**20     # a run's state dict above 64 MB is not kept


def to_bytes(state: dict[str, torch.Tensor]) -> bytes:
    return save({k: v.detach().cpu().contiguous().clone() for k, v in state.items()})


def from_bytes(data: bytes) -> dict[str, torch.Tensor]:
    """The state dict back; safetensors parses a header and raw tensors, never code."""
    return load(bytes(data))
