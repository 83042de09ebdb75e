import numpy as np
import pytest

from playground.training.history import History, Series


def test_short_series_is_returned_exactly():
    s = Series(("step",), ("loss",), capacity=64)
    for i in range(10):
        s.append((i,), (float(i) ** 2,))
    v = s.view(100)
    assert v["step"].tolist() == list(range(10))
    assert v["loss"].tolist() == [float(i) ** 2 for i in range(10)]


def test_memory_is_bounded_after_a_million_points_and_spikes_survive():
    s = Series(("step",), ("loss",), capacity=4096)
    size = s.nbytes()
    spike_at = 777_777
    for i in range(1_000_000):
        s.append((i,), (100.0 if i == spike_at else 1.0,))
    assert s.nbytes() == size and s.n <= 4096 and len(s) == 1_000_000
    v = s.view(2000)
    assert len(v["step"]) <= 2000
    assert v["loss_max"].max() == 100.0 and v["loss_min"].min() == 1.0
    # the spike is reported in the bucket that covers its step
    i = int(np.argmax(v["loss_max"]))
    lo = v["step"][i - 1] if i else -1
    assert lo < spike_at <= v["step"][i]
    assert v["step"][-1] == 999_999  # the newest point is always shown


def test_means_are_exact_after_compaction():
    s = Series(("step",), ("loss",), capacity=8)
    values = np.arange(1000, dtype=float)
    for i, v in enumerate(values):
        s.append((i,), (v,))
    view = s.view(1)
    assert view["loss"][0] == pytest.approx(values.mean())
    assert view["loss_min"][0] == 0 and view["loss_max"][0] == 999


def test_nan_is_kept_out_of_min_and_max():
    s = Series(("step",), ("loss",), capacity=4)
    for i, v in enumerate([1.0, float("nan"), 3.0, 2.0, 5.0, 0.5, 4.0]):
        s.append((i,), (v,))
    v = s.view(10)
    assert np.nanmax(v["loss_max"]) == 5.0 and np.nanmin(v["loss_min"]) == 0.5


def test_view_is_a_copy():
    h = History()
    h.train.append((0, 0.0, 32, 0.1), (2.0, 0.1))
    v = h.view()
    v["train"]["loss"][0] = -1
    assert h.view()["train"]["loss"][0] == 2.0
