"""scikit-learn's 8×8 handwritten digits (1,797 images, shipped with the package)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from .base import TaskData, dense_splits

N_DIGITS = 1797


@lru_cache(maxsize=1)
def _raw() -> tuple[np.ndarray, np.ndarray]:
    # Pixel values are 0..16; scale to [0, 1] so default inits behave.
    data, target = _read_shipped_file() or _load_with_sklearn()
    return (data / 16.0).astype(np.float32), target.astype(np.int64)


def _load_with_sklearn() -> tuple[np.ndarray, np.ndarray]:
    """The plain way: ``sklearn.datasets.load_digits``."""
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data, d.target


def _read_shipped_file() -> tuple[np.ndarray, np.ndarray] | None:
    """The fast way: the same file load_digits reads (sklearn/datasets/data/digits.csv.gz),
    found without importing scikit-learn. Importing it pulls in scipy.stats and takes
    ~1.2 s, which a visitor used to wait through the first time they picked Digits.
    None if the file is not where this scikit-learn keeps it (then the plain way)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")      # locates, does not import
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "data" / "digits.csv.gz"
    if not path.is_file():
        return None
    table = np.loadtxt(path, delimiter=",")
    if table.shape != (N_DIGITS, 65):
        return None
    return table[:, :-1], table[:, -1].astype(int)


def build(config) -> TaskData:
    x, y = _raw()
    train, val, test = dense_splits(torch.from_numpy(x), torch.from_numpy(y), config)
    return TaskData(name="digits", kind="image", n_features=64, n_classes=10,
                    class_names=[str(i) for i in range(10)], train=train, val=val,
                    test=test, image_shape=(8, 8))
