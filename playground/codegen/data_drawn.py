"""The data of a drawn set as code, and label noise for every 2D set.

The points travel inside the script, packed as the app packs them (3 bytes a point,
base64), and are unpacked onto the same grid; the split and the flipped labels use the
app's own functions (``playground/data/drawn.py``, ``label_noise.py``), copied in.
"""
from __future__ import annotations

import base64
import dataclasses
import textwrap

from playground.data import drawn, drawn_points
from playground.data.label_noise import flipped

from .data_dense import TAKE
from .sections import DataCode, Section, fill, public_source

UNPACK = fill('''
    PLANE_LOW, STEP = -1.5, 3.0 / 1023    # a 1024-step grid over [-1.5, 1.5] on both axes


    def unpack(text):
        """Points [N, 2] and classes [N]: each point is 3 bytes, x (10 bits), y (10 bits)
        and its class (4 bits); also the grid cells [N, 2], which the split hashes."""
        raw = np.frombuffer(base64.b64decode(text), dtype=np.uint8).reshape(-1, 3)
        word = (raw[:, 0].astype(np.int64) << 16) | (raw[:, 1].astype(np.int64) << 8) | raw[:, 2]
        cells = np.stack([word >> 14, (word >> 4) & 1023], 1)
        points = (PLANE_LOW + cells.astype(np.float64) * STEP).astype(np.float32)
        return points, word & 15, cells
    ''')
SPLIT = fill('''
    def split_indices(cells):
        """Validation first in the order of a seeded hash of each point's grid cell, then
        test, the rest training: adding a point to the drawing moves few others."""
        n = len(cells)
        n_val = max(1, round(n * VAL_FRACTION))   # at least one validation example
        n_test = round(n * TEST_FRACTION)
        order = np.lexsort((np.arange(n), cell_hash(cells, SEED)))
        val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]
        return (torch.from_numpy(np.sort(part)) for part in (train, val, test))
    ''')
SPLITS = fill('''
    points, labels, cells = unpack(POINTS)
    x = torch.from_numpy(points)                  # [N, 2]
    y = torch.from_numpy(labels)                  # [N] class ids
    train_idx, val_idx, test_idx = split_indices(cells)
    x_train, y_train = x[train_idx], y[train_idx]
    x_val, y_val = x[val_idx], y[val_idx]
    x_test, y_test = x[test_idx], y[test_idx]
    print(f"{len(y_train):,} training, {len(y_val):,} validation, {len(y_test):,} test examples")
    ''')


def drawn_data(config) -> DataCode:
    xy, labels = drawn_points.decode(config.points)
    packed = base64.b64encode(drawn_points.pack(xy, labels)).decode()
    rows = "\n".join(f'    "{row}"' for row in textwrap.wrap(packed, 76))
    points = Section(
        f"The data: your {len(labels):,} drawn points",
        "The points you drew, packed as the app keeps them (3 bytes a point, base64) and "
        "unpacked onto the same grid, so they are the app's points to the last bit.",
        f"POINTS = (\n{rows}\n)\n\n\n" + UNPACK, ("import base64", "import numpy as np"))
    split = Section(
        "The split",
        "Each point's place in the split comes from a seeded hash of its grid cell, not "
        "from when it was drawn; the counts are those of a usual split.",
        public_source(drawn.cell_hash) + "\n\n" + SPLIT, ("import numpy as np", "import torch"))
    splits = Section("Training, validation and test sets", "Index the points by the split.",
                     SPLITS)
    return DataCode((points, split, splits), n_classes="CLASSES", n_features="2",
                    take=TAKE + "     # [B, 2], [B]", forward="model(xb)")


def with_label_noise(code: DataCode, config) -> DataCode:
    """Label noise (any 2D set): the app's flip of a share of the training labels."""
    if not config.label_noise:
        return code
    return dataclasses.replace(code, sections=code.sections + (Section(
        "Label noise",
        f"{config.label_noise:.0%} of the training labels flipped to another class, "
        "seeded (the validation and test labels stay true): how well does the network "
        "ignore wrong labels?",
        public_source(flipped) + "\n\n" + fill('''
            y_train = torch.from_numpy(flipped(y_train.numpy(), LABEL_NOISE, CLASSES, SEED)[0])
            '''), ("import numpy as np", "import torch")),))
