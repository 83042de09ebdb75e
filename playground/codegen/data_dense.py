"""The data of dense tasks as code: the 2D toy problems, scikit-learn's digits, the split.

The toy generator is the app's own function (``playground/data/toy2d.py``), copied in
by :func:`public_source`, so the points are the app's points to the last bit.
"""
from __future__ import annotations

from playground.data import toy2d

from .sections import DataCode, Section, fill, public_source

SPLIT = Section(
    "The split",
    "One seeded shuffle of the example indices, cut into training, validation and test "
    "sets. Validation measures generalization while training; the test set is kept for "
    "the very end. The shuffle has its own generator, so nothing else moves it.",
    fill('''
        def split_indices(n):
            """A seeded shuffle of 0..n-1 cut into train / validation / test indices."""
            generator = torch.Generator().manual_seed(10_007 * SEED + 1)
            perm = torch.randperm(n, generator=generator)
            n_val = max(1, round(n * VAL_FRACTION))   # at least one validation example
            n_test = round(n * TEST_FRACTION)
            n_train = n - n_val - n_test
            return perm[:n_train], perm[n_train:n_train + n_val], perm[n_train + n_val:]
        '''),
    ("import torch",))

DENSE_SPLITS = fill('''
    train_idx, val_idx, test_idx = split_indices(len(y))
    x_train, y_train = x[train_idx], y[train_idx]
    x_val, y_val = x[val_idx], y[val_idx]
    x_test, y_test = x[test_idx], y[test_idx]
    print(f"{len(y_train):,} training, {len(y_val):,} validation, {len(y_test):,} test examples")
    ''')
TAKE = "xb, yb = x_train[batch], y_train[batch]"


def toy_data(config) -> DataCode:
    name = config.dataset
    multiclass = name in toy2d.MULTICLASS
    generate = Section(
        f"The data: {config.n_samples:,} points of the {name} problem",
        f"The app's own generator for *{name}*, drawing from numpy's generator seeded with "
        "`SEED`; the points are then shuffled so that the split is not by class."
        + (" `CLASSES` sets the number of classes." if multiclass else ""),
        public_source(toy2d.GENERATORS[name]) + "\n\n" + fill('''
            rng = np.random.default_rng(SEED)
            points, labels = $NAME(rng, N_SAMPLES, NOISE, CLASSES)
            shuffle = rng.permutation(N_SAMPLES)
            x = torch.from_numpy(points[shuffle].astype(np.float32))   # [N_SAMPLES, 2]
            y = torch.from_numpy(labels[shuffle].astype(np.int64))     # [N_SAMPLES] class ids
            ''', NAME=name),
        ("import numpy as np", "import torch"))
    splits = Section("Training, validation and test sets", "Index the points by the split.",
                     DENSE_SPLITS)
    return DataCode((generate, SPLIT, splits), n_classes="CLASSES", n_features="2",
                    take=TAKE + "     # [B, 2], [B]", forward="model(xb)")


def digits_data(config) -> DataCode:
    load = Section(
        "The data: 1,797 handwritten digits",
        "scikit-learn ships the 8×8 digits with the package (nothing is downloaded). Pixel "
        "values 0–16 are scaled to [0, 1] so the default initializations behave.",
        fill('''
            digits = load_digits()
            x = torch.from_numpy((digits.data / 16.0).astype(np.float32))   # [1797, 64]
            y = torch.from_numpy(digits.target.astype(np.int64))           # [1797] digit 0-9
            '''),
        ("import numpy as np", "import torch", "from sklearn.datasets import load_digits"))
    splits = Section("Training, validation and test sets", "Index the images by the split.",
                     DENSE_SPLITS)
    return DataCode((load, SPLIT, splits), n_classes="10", n_features="64",
                    take=TAKE + "     # [B, 64], [B]", forward="model(xb)")
