"""scikit-learn's 8×8 handwritten digits (1,797 images, shipped with the package)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from .base import TaskData, dense_splits

N_DIGITS = 1797


@lru_cache(maxsize=1)
def _raw() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    d = load_digits()
    # Pixel values are 0..16; scale to [0, 1] so default inits behave.
    return (d.data / 16.0).astype(np.float32), d.target.astype(np.int64)


def build(config) -> TaskData:
    x, y = _raw()
    train, val, test = dense_splits(torch.from_numpy(x), torch.from_numpy(y), config)
    return TaskData(name="digits", kind="image", n_features=64, n_classes=10,
                    class_names=[str(i) for i in range(10)], train=train, val=val,
                    test=test, image_shape=(8, 8))
