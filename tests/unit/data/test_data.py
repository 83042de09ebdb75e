import numpy as np
import pytest
import torch

from playground import data
from playground.config import RunConfig
from playground.data import toy2d

TOY = ["spiral", "circle", "xor", "gauss", "moons"]


@pytest.mark.parametrize("name", TOY + ["digits"])
def test_splits_are_disjoint_sized_and_deterministic(name):
    cfg = RunConfig(dataset=name, seed=3)
    a = data.DATASETS[name].build(cfg)
    b = data.DATASETS[name].build(cfg)
    assert torch.equal(a.train.x, b.train.x) and torch.equal(a.val.y, b.val.y)
    total = len(a.train) + len(a.val) + len(a.test)
    assert len(a.train) == data.DATASETS[name].train_size(cfg)
    assert total == (cfg.n_samples if name != "digits" else 1797)
    rows = {tuple(r.tolist()) for r in torch.cat([a.train.x, a.val.x, a.test.x])}
    assert len(rows) >= total - 2  # splits do not share examples (digits has 1 duplicate pair)
    assert a.train.y.dtype == torch.int64 and a.train.x.dtype == torch.float32


def test_seed_changes_the_data():
    a = data.DATASETS["spiral"].build(RunConfig(seed=1))
    b = data.DATASETS["spiral"].build(RunConfig(seed=2))
    assert not torch.equal(a.train.x, b.train.x)


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_spiral_arms_are_classes(k):
    task = data.load(RunConfig(dataset="spiral", classes=k))
    assert task.n_classes == k
    assert set(task.train.y.tolist()) == set(range(k))


def test_noise_zero_xor_labels_match_quadrants():
    pts, y = toy2d.points("xor", 400, 0.0, 2, seed=0)
    assert np.array_equal(y, (pts[:, 0] * pts[:, 1] < 0).astype(int))


def test_circle_classes_are_radial():
    pts, y = toy2d.points("circle", 400, 0.0, 2, seed=0)
    r = np.hypot(pts[:, 0], pts[:, 1])
    assert r[y == 0].max() < r[y == 1].min()


def test_digits_have_64_pixels_in_unit_range():
    task = data.load(RunConfig(dataset="digits"))
    assert task.n_features == 64 and task.n_classes == 10 and task.image_shape == (8, 8)
    assert 0.0 <= float(task.train.x.min()) and float(task.train.x.max()) <= 1.0


def test_load_shares_the_task_between_equal_configs():
    a = data.load(RunConfig(optimizer="sgd"))
    b = data.load(RunConfig(optimizer="adam", lr=0.5))
    assert a is b
    assert data.load(RunConfig(seed=9)) is not a


def test_take_returns_model_inputs_and_targets():
    task = data.load(RunConfig())
    (x,), y = task.train.take(torch.tensor([0, 2, 4]))
    assert x.shape == (3, 2) and y.shape == (3,)
    assert torch.equal(x[1], task.train.x[2])


def test_digits_read_from_the_shipped_file_equal_scikit_learns_own_loader():
    """The fast path (reading the file without importing scikit-learn) gives exactly
    what load_digits gives."""
    from playground.data import digits

    fast = digits._read_shipped_file()
    assert fast is not None, "digits.csv.gz not found inside the installed scikit-learn"
    plain = digits._load_with_sklearn()
    assert np.array_equal(fast[0], plain[0]) and np.array_equal(fast[1], plain[1])
