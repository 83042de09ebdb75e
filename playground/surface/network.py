"""A network's own loss landscape: a plane through its weights, its path drawn on it.

Flow: :func:`playground.surface.capture.capture_record` copies what a paused or ended
run recorded (its trajectory of flattened weights and its final weights);
:func:`compute_surface` picks the plane (PCA of the path or filter-normalized random
directions), evaluates the loss on a grid over it with :mod:`grid`, projects the
path(s) and measures **fidelity**: the true loss at each checkpoint next to the
surface's value where that checkpoint lands, and how far the checkpoint sits off the
plane. A plane is a 2-D slice of a space with thousands of dimensions; fidelity says
how much the picture can be trusted.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import torch

from playground.models import build_model
from playground.surface.capture import RunTrace
from playground.surface.directions import pca_directions, project, random_directions
from playground.surface.grid import grid_losses, linear_stack, plane_losses, point_losses
from playground.training.losses import loss_for, loss_words

PLANES = {"pca": "PCA of the path", "random": "Random filter-normalized directions"}
SPLITS = ("train", "val")
MIN_RES, MAX_RES = 21, 101
SUBSET_SEED = 12345


@dataclass(frozen=True)
class SurfaceSpec:
    plane: str = "pca"
    resolution: int = 41
    fit_span: bool = True                 # fit the span to the projected path(s)
    margin: float = 0.3                   # fraction of the path's extent added each side
    alpha_range: tuple[float, float] = (-1.0, 1.0)   # used when fit_span is False
    beta_range: tuple[float, float] = (-1.0, 1.0)
    eval_size: int = 1000                 # 0 = the whole split
    split: str = "train"
    seed: int = 0                         # random directions only

    def problems(self) -> list[str]:
        out = []
        if self.plane not in PLANES:
            out.append(f"plane: unknown plane {self.plane!r}; choose pca or random")
        if not (isinstance(self.resolution, int) and MIN_RES <= self.resolution <= MAX_RES):
            out.append(f"resolution: must be a whole number from {MIN_RES} to {MAX_RES}, "
                       f"got {self.resolution!r}")
        if not (math.isfinite(self.margin) and 0 <= self.margin <= 5):
            out.append(f"margin: must be between 0 and 5, got {self.margin!r}")
        for name in ("alpha_range", "beta_range"):
            lo, hi = getattr(self, name)
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                out.append(f"{name}: the lower end must be below the upper end, got {lo} … {hi}")
        if not (isinstance(self.eval_size, int) and self.eval_size >= 0):
            out.append(f"eval_size: must be 0 (all) or a positive number, got {self.eval_size!r}")
        if self.split not in SPLITS:
            out.append(f"split: must be one of {', '.join(SPLITS)}, got {self.split!r}")
        return out


@dataclass(frozen=True)
class PathOnPlane:
    run_id: str
    label: str
    optimizer: str
    steps: np.ndarray
    coords: np.ndarray        # (n, 2)
    true_loss: np.ndarray     # loss of the real weights at each checkpoint
    plane_loss: np.ndarray    # loss of the surface where the checkpoint projects
    off_plane: np.ndarray     # distance from the checkpoint to the plane
    from_origin: np.ndarray   # distance from the checkpoint to the plane origin

    @property
    def max_loss_gap(self) -> float:
        return float(np.max(np.abs(self.true_loss - self.plane_loss)))

    @property
    def max_off_ratio(self) -> float:
        """Farthest any checkpoint sits off the plane, as a share of the path's reach
        (its farthest checkpoint from the origin): 0 = the path lies in the plane."""
        reach = float(np.max(self.from_origin))
        return float(np.max(self.off_plane)) / reach if reach > 1e-12 else 0.0


@dataclass(frozen=True)
class SurfaceResult:
    spec: SurfaceSpec
    alphas: np.ndarray
    betas: np.ndarray
    loss: np.ndarray          # loss[j, i] at (alphas[i], betas[j])
    paths: list[PathOnPlane]
    x_title: str
    y_title: str
    explained: tuple[float, float] | None
    origin_label: str
    eval_n: int
    fast: bool
    elapsed_s: float
    notes: list[str]
    loss_words: tuple[str, str] = ("cross-entropy", "nats")   # the loss's name and unit


def _same_setup(traces: list[RunTrace]) -> None:
    first = traces[0]
    for t in traces[1:]:
        if t.points.shape[1] != first.points.shape[1] or t.task is not first.task:
            raise ValueError(f"runs {first.run_id} and {t.run_id} differ in model or data; "
                             "one surface needs runs with the same architecture and dataset")


def eval_subset(task, split: str, size: int):
    """A fixed, seeded subset of a split (the same for every run and every plane)."""
    part = getattr(task, split)
    n = len(part)
    if n == 0:
        raise ValueError(f"the {split} split is empty; choose another split")
    if size == 0 or size >= n:
        return part.all()
    idx = torch.randperm(n, generator=torch.Generator().manual_seed(SUBSET_SEED))[:size]
    return part.take(idx.sort().values)


def _fitted(lo: float, hi: float, margin: float) -> tuple[float, float]:
    extent = max(hi - lo, 1e-3 * max(abs(lo), abs(hi), 1e-3))
    return lo - margin * extent, hi + margin * extent


def compute_surface(traces: list[RunTrace], spec: SurfaceSpec, progress=None) -> SurfaceResult:
    """The loss surface on one plane with every trace's path on it."""
    t0 = time.perf_counter()
    problems = spec.problems()
    if problems:
        raise ValueError("; ".join(problems))
    if not traces:
        raise ValueError("choose at least one run")
    _same_setup(traces)

    def report(frac: float, msg: str) -> None:
        if progress is not None:
            progress.update(frac, msg)

    report(0.01, "preparing the plane")
    first = traces[0]
    model = build_model(first.config, first.task)   # private scratch copy
    shapes = [p.shape for p in model.parameters()]
    inputs, targets = eval_subset(first.task, spec.split, spec.eval_size)
    loss = loss_for(first.config, first.task)       # cross-entropy, or the regression loss
    notes = [f"{t.run_id}: {t.note}" for t in traces if t.note]
    all_points = torch.cat([t.points for t in traces])
    if len(traces) == 1:
        origin, origin_label = first.points[-1], f"final weights (step {first.steps[-1]:,})"
    elif all(torch.allclose(t.points[0], first.points[0]) for t in traces):
        origin, origin_label = first.points[0], "shared initial weights"
    else:
        origin = torch.stack([t.points[-1] for t in traces]).mean(0)
        origin_label = "mean of the runs' final weights"
        notes.append("the runs do not share initial weights; their paths start apart")
    explained = None
    if spec.plane == "pca":
        pca = pca_directions(all_points, origin)
        d1, d2, explained = pca.d1, pca.d2, pca.explained
        if len(traces) > 1:
            # From a shared start the paths fan out: point the axes the way they go.
            mean = (all_points - origin).double().mean(0).to(d1.dtype)
            d1 = d1 if float(mean @ d1) >= 0 else -d1
            d2 = d2 if float(mean @ d2) >= 0 else -d2
        x_title = f"PC1 ({explained[0]:.0%} of path variance), weight-space distance"
        y_title = f"PC2 ({explained[1]:.0%} of path variance), weight-space distance"
    else:
        d1, d2 = random_directions(origin, shapes, spec.seed)
        x_title = "α (filter-normalized random direction 1)"
        y_title = "β (filter-normalized random direction 2)"
    projections = [project(t.points, origin, d1, d2) for t in traces]
    if spec.fit_span:
        coords = torch.cat([p.coords for p in projections]).numpy()
        a_range = _fitted(coords[:, 0].min(), coords[:, 0].max(), spec.margin)
        b_range = _fitted(coords[:, 1].min(), coords[:, 1].max(), spec.margin)
    else:
        a_range, b_range = spec.alpha_range, spec.beta_range
    alphas = np.linspace(*a_range, spec.resolution)
    betas = np.linspace(*b_range, spec.resolution)
    n_points = spec.resolution ** 2
    report(0.05, f"evaluating {n_points:,} grid points on {len(targets):,} examples")
    values = grid_losses(model, origin, d1, d2, alphas, betas, inputs, targets,
                         progress=lambda f: report(0.05 + 0.85 * f, f"grid: {f:.0%} of "
                                                   f"{n_points:,} points"), loss=loss)
    report(0.9, "fidelity: true loss at each checkpoint")
    paths = []
    for trace, proj in zip(traces, projections):
        true = point_losses(model, trace.points, inputs, targets, loss)
        on_plane = plane_losses(model, origin, d1, d2, proj.coords, inputs, targets, loss=loss)
        paths.append(PathOnPlane(trace.run_id, trace.label, trace.optimizer,
                                 np.array(trace.steps), proj.coords.numpy(), true.numpy(),
                                 on_plane.numpy(), proj.off_plane.numpy(),
                                 proj.from_origin.numpy()))
        report(0.9 + 0.1 * len(paths) / len(traces), "fidelity")
    if not np.isfinite(values.numpy()).all():
        notes.append("some grid points have a non-finite loss (drawn as gaps)")
    return SurfaceResult(spec, alphas, betas, values.numpy(), paths, x_title, y_title,
                         explained, origin_label, len(targets), linear_stack(model) is not None,
                         time.perf_counter() - t0, notes,
                         loss_words(first.config, first.task.class_names[0]
                                    if first.task.is_regression else None))


# ----------------------------------------------------------------------- cache
_CACHE: OrderedDict = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 24


def cache_key(traces: list[RunTrace], spec: SurfaceSpec) -> tuple:
    """(run, its last recorded step) for each run + every plane and grid setting."""
    return (tuple(t.key for t in traces), spec)


def cached(key: tuple) -> SurfaceResult | None:
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
        return hit


def store(key: tuple, result: SurfaceResult) -> None:
    with _CACHE_LOCK:
        _CACHE[key] = result
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)


def surface_job(traces: list[RunTrace], spec: SurfaceSpec):
    """A ``registry.start_job`` function: compute (cancellable), cache, return."""
    def run(progress) -> SurfaceResult:
        result = compute_surface(traces, spec, progress)
        store(cache_key(traces, spec), result)
        return result
    return run
