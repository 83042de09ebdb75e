"""The data of the regression tasks as code: the app's generator, the split, and the
target standardised with the training split's mean and std.

The generator is the app's own function (``playground/data/regression.py``), copied in
with its constants, and the standardisation is the app's arithmetic (float32 mean and
population std of the training targets), so the targets are the app's to the last bit.
"""
from __future__ import annotations

from playground.data import regression

from .data_dense import SPLIT, TAKE
from .sections import DataCode, Section, fill, public_source

# the module constants each generator reads, copied into the script beside it
CONSTANTS = {"plane": (), "multigauss": ("BUMPS", "BUMP_WIDTH"), "sin": ("SIN_RANGE",)}

SPLITS = fill('''
    train_idx, val_idx, test_idx = split_indices(len(y_raw))
    x_train, x_val, x_test = x[train_idx], x[val_idx], x[test_idx]
    print(f"{len(train_idx):,} training, {len(val_idx):,} validation, {len(test_idx):,} test "
          "examples")
    ''')
STANDARDISE = Section(
    "Standardise the target",
    "The target is shifted and scaled with the *training* split's mean and standard "
    "deviation (never the validation or test split's: that would leak them into training), "
    "so a model that predicts the mean scores a loss of about 1. RMSE is reported back in "
    "the target's own units: √MSE × `target_std`.",
    fill('''
        target_mean = float(y_raw[train_idx].mean())
        target_std = float(y_raw[train_idx].std(unbiased=False)) or 1.0   # a constant target: 1
        y = ((y_raw - target_mean) / target_std).to(torch.float32)        # [N] standardised
        y_train, y_val, y_test = y[train_idx], y[val_idx], y[test_idx]
        print(f"target: mean {target_mean:.4g}, std {target_std:.4g} (training split)")
        '''),
    ("import torch",))


def regression_data(config) -> DataCode:
    name = config.dataset
    n_in = 1 if regression.KINDS[name] == "points1d" else 2
    constants = "".join(f"{c} = {getattr(regression, c)!r}\n" for c in CONSTANTS[name])
    generate = Section(
        f"The data: {config.n_samples:,} examples of the {name} regression",
        f"The app's own generator for *{name}*, drawing from numpy's generator seeded with "
        "`SEED`: inputs and a real-valued target per example.",
        (constants + "\n\n" if constants else "") + public_source(regression.GENERATORS[name])
        + "\n\n" + fill('''
            rng = np.random.default_rng(SEED)
            inputs, targets = $NAME(rng, N_SAMPLES, NOISE)
            x = torch.from_numpy(inputs.astype(np.float32))        # [N_SAMPLES, $N_IN]
            y_raw = torch.from_numpy(targets.astype(np.float32))   # [N_SAMPLES] the target
            ''', NAME=public_name_of(name), N_IN=str(n_in)),
        ("import numpy as np", "import torch"))
    splits = Section("Training, validation and test sets", "Index the examples by the split.",
                     SPLITS)
    return DataCode((generate, SPLIT, splits, STANDARDISE), n_classes="1", n_features=str(n_in),
                    take=TAKE + f"     # [B, {n_in}], [B]", forward="model(xb)")


def public_name_of(name: str) -> str:
    return regression.GENERATORS[name].__name__.lstrip("_")
