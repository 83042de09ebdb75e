"""Bounded metric store: constant memory for runs of any length, spikes preserved.

A :class:`Series` keeps at most ``capacity`` buckets. Each bucket summarises
``stride`` consecutive records as (last x values, mean, min, max, count) per value
column. When full, neighbouring buckets merge and the stride doubles, so a run of
10⁶ steps costs the same memory as one of 10⁴, and a single exploding step still
shows up in the bucket's ``max``. :meth:`Series.view` downsamples the same way to at
most N points for display.
"""
from __future__ import annotations

import math

import numpy as np

CAPACITY = 4096        # buckets a run's training series keeps (a view of all of it)


class Series:
    def __init__(self, x_names: tuple[str, ...], y_names: tuple[str, ...],
                 capacity: int = CAPACITY):
        if capacity < 4 or capacity % 2:
            raise ValueError("capacity must be an even number ≥ 4")
        self.x_names, self.y_names = tuple(x_names), tuple(y_names)
        self.capacity = capacity
        self.stride = 1
        self.n = 0                    # filled buckets
        self.total = 0                # records ever appended
        self._x = np.zeros((len(x_names), capacity))
        self._mean = np.zeros((len(y_names), capacity))
        self._min = np.zeros((len(y_names), capacity))
        self._max = np.zeros((len(y_names), capacity))
        self._count = np.zeros(capacity)
        self._reset_pending()

    def _reset_pending(self) -> None:
        k = len(self.y_names)
        self._p_count = 0
        self._p_sum = [0.0] * k
        self._p_min = [math.inf] * k
        self._p_max = [-math.inf] * k
        self._p_x: tuple = ()

    # ------------------------------------------------------------------ writing
    def append(self, xs: tuple, ys: tuple) -> None:
        """Record one point; ``xs``/``ys`` in the order of the names given at creation."""
        self.total += 1
        if self.stride == 1:
            i = self.n
            self._x[:, i] = xs
            self._mean[:, i] = ys
            self._min[:, i] = ys
            self._max[:, i] = ys
            self._count[i] = 1
            self.n += 1
        else:
            self._p_count += 1
            self._p_x = xs
            for j, v in enumerate(ys):
                self._p_sum[j] += v
                if v < self._p_min[j]:
                    self._p_min[j] = v
                if v > self._p_max[j]:
                    self._p_max[j] = v
            if self._p_count == self.stride:
                self._flush_pending()
        if self.n == self.capacity:
            self._compact()

    def _flush_pending(self) -> None:
        i, c = self.n, self._p_count
        self._x[:, i] = self._p_x
        self._mean[:, i] = [s / c for s in self._p_sum]
        # A bucket of only NaNs keeps NaN rather than ±inf sentinels.
        self._min[:, i] = [m if m != math.inf else math.nan for m in self._p_min]
        self._max[:, i] = [m if m != -math.inf else math.nan for m in self._p_max]
        self._count[i] = c
        self.n += 1
        self._reset_pending()

    def _compact(self) -> None:
        half = self.n // 2
        c = self._count[: 2 * half].reshape(half, 2)
        w = c.sum(1)
        self._x[:, :half] = self._x[:, 1: 2 * half: 2]
        for arr, fn in ((self._min, np.fmin), (self._max, np.fmax)):
            pairs = arr[:, : 2 * half].reshape(len(self.y_names), half, 2)
            arr[:, :half] = fn(pairs[..., 0], pairs[..., 1])
        pairs = self._mean[:, : 2 * half].reshape(len(self.y_names), half, 2)
        self._mean[:, :half] = (pairs * c).sum(-1) / w
        self._count[:half] = w
        self.n = half
        self.stride *= 2

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return self.total

    def last(self) -> dict[str, float] | None:
        """The most recent record's values (pending bucket first)."""
        if self._p_count:
            out = dict(zip(self.x_names, self._p_x))
            # The pending bucket has no 'last y'; its mean is the honest summary.
            out.update({n: s / self._p_count for n, s in zip(self.y_names, self._p_sum)})
            return out
        if self.n == 0:
            return None
        i = self.n - 1
        out = {n: float(self._x[j, i]) for j, n in enumerate(self.x_names)}
        out.update({n: float(self._mean[j, i]) for j, n in enumerate(self.y_names)})
        return out

    def view(self, max_points: int = 2000) -> dict[str, np.ndarray]:
        """At most ``max_points`` buckets: x columns, and ``<y>``, ``<y>_min``, ``<y>_max``.

        Groups of buckets merge like :meth:`_compact` does, so min/max still show
        every spike. Arrays are fresh copies, safe to hand to another thread.
        """
        x, mean, mn, mx, counts = self._arrays()
        n = len(counts)
        group = max(1, math.ceil(n / max_points))
        out: dict[str, np.ndarray] = {}
        if group == 1:
            for j, name in enumerate(self.x_names):
                out[name] = x[j]
            for j, name in enumerate(self.y_names):
                out[name], out[name + "_min"], out[name + "_max"] = mean[j], mn[j], mx[j]
            return out
        # Whole groups; a ragged tail becomes one more group so the end is shown.
        starts = np.arange(0, n, group)
        ends = np.minimum(starts + group, n)
        csum = np.concatenate([[0.0], np.cumsum(counts)])
        w = csum[ends] - csum[starts]
        for j, name in enumerate(self.x_names):
            out[name] = x[j, ends - 1]
        for j, name in enumerate(self.y_names):
            weighted = np.concatenate([[0.0], np.cumsum(np.nan_to_num(mean[j]) * counts)])
            out[name] = (weighted[ends] - weighted[starts]) / w
            out[name + "_min"] = np.fmin.reduceat(mn[j], starts)
            out[name + "_max"] = np.fmax.reduceat(mx[j], starts)
        return out

    def _arrays(self):
        """Copies of the filled buckets, plus the pending partial bucket if any."""
        n = self.n
        x, mean = self._x[:, :n].copy(), self._mean[:, :n].copy()
        mn, mx, counts = self._min[:, :n].copy(), self._max[:, :n].copy(), self._count[:n].copy()
        if self._p_count:
            c = self._p_count
            x = np.concatenate([x, np.array(self._p_x, float)[:, None]], 1)
            mean = np.concatenate([mean, np.array([[v / c] for v in self._p_sum])], 1)
            mn = np.concatenate([mn, np.array([[v] for v in self._p_min])], 1)
            mx = np.concatenate([mx, np.array([[v] for v in self._p_max])], 1)
            counts = np.concatenate([counts, [float(c)]])
        return x, mean, mn, mx, counts

    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self._x, self._mean, self._min, self._max, self._count))


TRAIN_X = ("step", "epoch", "examples", "time")
EVAL_X = ("step", "epoch", "examples", "time")


# what each evaluation records: classification, and regression (RMSE in the target's units)
EVAL_NAMES = ("val_loss", "val_acc")
REGRESSION_EVAL_NAMES = ("val_loss", "val_rmse", "val_r2")


class History:
    """Everything one run records: per-step training metrics and periodic evaluations."""

    def __init__(self, capacity: int = CAPACITY, eval_capacity: int = CAPACITY // 2,
                 eval_names: tuple[str, ...] = EVAL_NAMES):
        self.train = Series(TRAIN_X, ("loss", "lr"), capacity)
        self.evals = Series(EVAL_X, eval_names, eval_capacity)

    def nbytes(self) -> int:
        return self.train.nbytes() + self.evals.nbytes()

    def view(self, max_points: int = 2000) -> dict[str, dict[str, np.ndarray]]:
        return {"train": self.train.view(max_points), "eval": self.evals.view(max_points)}
