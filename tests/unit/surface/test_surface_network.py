"""Network landscapes: exact grid values, plane definitions, untouched runs, jobs."""
from __future__ import annotations

import time

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from playground.config import RunConfig
from playground.data import load
from playground.models import build_model
from playground.surface.directions import (filter_normalize, pca_directions, project,
                                           random_directions, split_flat)
from playground.surface.grid import grid_losses, linear_stack, plane_losses
from playground.surface.network import (SurfaceSpec, cache_key, cached,
                                        compute_surface, surface_job)

SMALL = RunConfig(dataset="spiral", n_samples=300, hidden_layers=2, width=12,
                  activation="tanh", optimizer="adam", lr=0.02, batch_size=32, length=150,
                  eval_every=50)


def wait_done(registry, ids, timeout=60.0):
    deadline = time.monotonic() + timeout
    while any(registry.snapshot(i).active for i in ids):
        assert time.monotonic() < deadline, "runs did not finish"
        time.sleep(0.05)


def wait_job(registry, job_id, timeout=60.0):
    deadline = time.monotonic() + timeout
    while registry.job_snapshot(job_id).active:
        assert time.monotonic() < deadline, "job did not finish"
        time.sleep(0.02)
    return registry.job_snapshot(job_id)


class Finished:
    """A finished run, seen the way pages see it: through the registry."""

    def __init__(self, registry, run_id: str):
        self.registry, self.run_id = registry, run_id

    def capture(self):
        return self.registry.capture(self.run_id)

    @property
    def step(self) -> int:
        return self.registry.snapshot(self.run_id).step


@pytest.fixture
def finished(registry):
    run_id = registry.start(SMALL, owner="t")
    wait_done(registry, [run_id])
    return Finished(registry, run_id)


def direct_loss(cfg, task, theta, inputs, targets) -> float:
    model = build_model(cfg, task).eval()
    nn.utils.vector_to_parameters(theta, model.parameters())
    with torch.no_grad():
        return F.cross_entropy(model(*inputs), targets).item()


@pytest.mark.parametrize("activation,layers", [("tanh", 2), ("relu", 1), ("gelu", 3),
                                               ("sigmoid", 2), ("linear", 0)])
def test_grid_values_equal_direct_model_evaluation(activation, layers):
    cfg = SMALL.replace(activation=activation, hidden_layers=layers, width=20, seed=3)
    task = load(cfg)
    model = build_model(cfg, task)
    theta = nn.utils.parameters_to_vector(model.parameters()).detach()
    shapes = [p.shape for p in model.parameters()]
    d1, d2 = random_directions(theta, shapes, seed=7)
    inputs, targets = task.train.all()
    alphas = torch.linspace(-1.5, 1.0, 9)
    betas = torch.linspace(-0.5, 2.0, 7)
    grid = grid_losses(model, theta, d1, d2, alphas, betas, inputs, targets)
    assert grid.shape == (7, 9)
    for j, i in [(0, 0), (6, 8), (3, 4), (1, 7), (5, 2)]:
        a, b = float(alphas[i]), float(betas[j])
        want = direct_loss(cfg, task, theta + a * d1 + b * d2, inputs, targets)
        assert float(grid[j, i]) == pytest.approx(want, rel=1e-5)


def test_fast_path_agrees_with_the_exact_fallback():
    cfg = SMALL.replace(width=16, seed=1)
    task = load(cfg)
    model = build_model(cfg, task)
    theta = nn.utils.parameters_to_vector(model.parameters()).detach()
    d1, d2 = random_directions(theta, [p.shape for p in model.parameters()], seed=2)
    coords = torch.tensor([[0.0, 0.0], [0.7, -0.3], [-1.0, 1.0]])
    inputs, targets = task.train.all()

    class Wrapped(nn.Module):      # not a plain `.net` stack: forces the fallback
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return self.inner(x)

    wrapped = Wrapped(build_model(cfg, task))
    assert linear_stack(model) is not None and linear_stack(wrapped) is None
    fast = plane_losses(model, theta, d1, d2, coords, inputs, targets)
    exact = plane_losses(wrapped, theta, d1, d2, coords, inputs, targets)
    torch.testing.assert_close(fast, exact, rtol=1e-5, atol=0)
    threaded = plane_losses(model, theta, d1, d2, coords, inputs, targets, workers=2)
    torch.testing.assert_close(threaded, fast, rtol=1e-6, atol=0)


def test_filter_normalization_matches_its_definition():
    cfg = SMALL.replace(width=10)
    model = build_model(cfg, load(cfg))
    theta = nn.utils.parameters_to_vector(model.parameters()).detach()
    shapes = [p.shape for p in model.parameters()]
    raw = torch.randn(theta.numel(), generator=torch.Generator().manual_seed(0))
    d = filter_normalize(raw, theta, shapes)
    for dp, tp, rp in zip(split_flat(d, shapes), split_flat(theta, shapes),
                          split_flat(raw, shapes)):
        if tp.dim() < 2:
            assert torch.count_nonzero(dp) == 0          # biases zeroed
            continue
        torch.testing.assert_close(dp.norm(dim=1), tp.norm(dim=1), rtol=1e-5, atol=1e-7)
        # each row keeps its direction: d_i = (‖θ_i‖ / ‖r_i‖) r_i
        scale = tp.norm(dim=1, keepdim=True) / rp.norm(dim=1, keepdim=True)
        torch.testing.assert_close(dp, rp * scale, rtol=1e-5, atol=1e-7)
    a, b = random_directions(theta, shapes, seed=5)
    a2, _ = random_directions(theta, shapes, seed=5)
    assert torch.equal(a, a2) and not torch.allclose(a, b)


def test_pca_plane_puts_the_endpoint_at_the_origin(finished):
    trace = finished.capture()
    pca = pca_directions(trace.points, trace.points[-1])
    proj = project(trace.points, trace.points[-1], pca.d1, pca.d2)
    assert proj.coords[-1].abs().max().item() == 0.0
    assert float(pca.d1 @ pca.d2) == pytest.approx(0.0, abs=1e-6)
    assert float(pca.d1.norm()) == pytest.approx(1.0, rel=1e-5)
    assert 0 < pca.explained[1] <= pca.explained[0] <= 1 and sum(pca.explained) <= 1 + 1e-9
    assert proj.coords[0, 0] < 0 and proj.coords[0, 1] < 0        # sign convention
    result = compute_surface([trace], SurfaceSpec(resolution=21, eval_size=200))
    path = result.paths[0]
    assert tuple(path.coords[-1]) == (0.0, 0.0)
    assert path.steps[-1] == finished.step
    # fitted span contains the whole path with a margin
    assert result.alphas[0] < path.coords[:, 0].min() and result.alphas[-1] > 0
    # at the origin the surface *is* the model: true and surface loss agree exactly
    assert path.true_loss[-1] == pytest.approx(path.plane_loss[-1], rel=1e-5)


def test_projection_recovers_points_in_a_skewed_plane():
    g = torch.Generator().manual_seed(0)
    origin, d1, d2 = (torch.randn(50, generator=g, dtype=torch.float64) for _ in range(3))
    coords = torch.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=torch.float64)
    points = origin + coords[:, :1] * d1 + coords[:, 1:] * d2
    proj = project(points, origin, d1, d2)
    torch.testing.assert_close(proj.coords, coords)
    assert proj.off_plane.max().item() < 1e-9
    # move the points 0.75 along a direction orthogonal to the plane
    q, _ = torch.linalg.qr(torch.stack([d1, d2, torch.randn(50, generator=g,
                                                             dtype=torch.float64)], dim=1))
    off = project(points + 0.75 * q[:, 2], origin, d1, d2)
    torch.testing.assert_close(off.coords, coords)
    torch.testing.assert_close(off.off_plane, torch.full((2,), 0.75, dtype=torch.float64))


def test_run_weights_and_optimizer_unchanged_by_a_surface(registry):
    run_id = registry.start(SMALL.replace(length=100000), owner="t")
    while registry.snapshot(run_id).step < 60:
        time.sleep(0.02)
    registry.pause(run_id)
    while registry.snapshot(run_id).status.value != "paused":
        time.sleep(0.02)
    trainer = registry._table.get(run_id).record.trainer      # the live run, looked at directly
    before = trainer.flat_params()
    state = {k: {n: v.clone() if torch.is_tensor(v) else v for n, v in s.items()}
             for k, s in trainer.optimizer.state_dict()["state"].items()}
    traces = [registry.capture(run_id)]
    spec = SurfaceSpec(plane="random", fit_span=False, resolution=21, eval_size=0)
    snap = wait_job(registry, registry.start_job(surface_job(traces, spec), owner="t"))
    assert snap.status == "done", snap.error
    assert torch.equal(before, trainer.flat_params())
    after = trainer.optimizer.state_dict()["state"]
    for k, s in state.items():
        for n, v in s.items():
            assert torch.equal(v, after[k][n]) if torch.is_tensor(v) else v == after[k][n]
    # the cached result is found again by (run, plane, grid); another grid misses
    assert cached(cache_key(traces, spec)) is snap.result
    assert cached(cache_key(traces, SurfaceSpec(plane="random", resolution=23))) is None
    # and the run still trains afterwards
    registry.step(run_id, 5)
    deadline = time.monotonic() + 10
    while registry.snapshot(run_id).step < 65 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert registry.snapshot(run_id).step >= 65


def test_a_surface_job_can_be_cancelled(finished, registry):
    spec = SurfaceSpec(resolution=101, eval_size=0)
    job_id = registry.start_job(surface_job([finished.capture()], spec), owner="t")
    registry.cancel_job(job_id)
    snap = wait_job(registry, job_id)
    assert snap.status == "cancelled" and snap.result is None
    assert cached(cache_key([finished.capture()], spec)) is None


def test_cancel_stops_the_grid_midway(finished, monkeypatch):
    from playground.runs.jobs import Cancelled, Progress

    class CancelAtAThird(Progress):
        def __init__(self):
            super().__init__()
            self.seen = []

        def update(self, fraction, message=""):
            self.seen.append(fraction)
            if fraction > 0.3:
                self.cancel_requested.set()
            super().update(fraction, message)

    progress = CancelAtAThird()
    monkeypatch.setattr("playground.surface.grid.CHUNK_FLOATS", 20_000)   # many small chunks
    with pytest.raises(Cancelled):
        compute_surface([finished.capture()], SurfaceSpec(resolution=61, eval_size=0),
                        progress)
    assert 0.3 < max(progress.seen) < 0.9          # stopped inside the grid, not after it


def test_runs_sharing_initial_weights_share_one_plane(registry):
    ids = [registry.start(SMALL, owner="t"),
           registry.start(SMALL.replace(optimizer="momentum", lr=0.05), owner="t")]
    wait_done(registry, ids)
    traces = [registry.capture(i) for i in ids]
    result = compute_surface(traces, SurfaceSpec(resolution=21, eval_size=150))
    assert result.origin_label == "shared initial weights"
    assert [p.run_id for p in result.paths] == ids
    for p in result.paths:
        assert tuple(p.coords[0]) == (0.0, 0.0)
        assert p.true_loss[0] == pytest.approx(p.plane_loss[0], rel=1e-5)
    # the two runs end in different places on the map
    assert abs(result.paths[0].coords[-1] - result.paths[1].coords[-1]).max() > 1e-3


def test_runs_with_different_models_are_refused(registry):
    ids = [registry.start(SMALL, owner="t"), registry.start(SMALL.replace(width=8), owner="t")]
    wait_done(registry, ids)
    with pytest.raises(ValueError, match="same architecture"):
        compute_surface([registry.capture(i) for i in ids], SurfaceSpec())


def test_a_running_run_is_refused(registry):
    run_id = registry.start(SMALL.replace(length=1_000_000), owner="t")
    while registry.snapshot(run_id).step < 2:
        time.sleep(0.02)
    with pytest.raises(ValueError, match="pause it"):
        registry.capture(run_id)


def test_bad_settings_are_named():
    problems = SurfaceSpec(resolution=5, alpha_range=(1.0, -1.0), split="test").problems()
    text = "; ".join(problems)
    assert "resolution" in text and "alpha_range" in text and "split" in text
    with pytest.raises(ValueError, match="resolution"):
        compute_surface([], SurfaceSpec(resolution=500))


@pytest.mark.parametrize("kind", ["mse", "huber"])
def test_a_regression_surface_is_its_own_loss_evaluated_directly(kind):
    from playground.training.losses import loss_for

    cfg = RunConfig(dataset="plane", n_samples=200, width=12, seed=2, regression_loss=kind,
                    huber_delta=0.3)
    task = load(cfg)
    model = build_model(cfg, task)
    theta = nn.utils.parameters_to_vector(model.parameters()).detach()
    d1, d2 = random_directions(theta, [p.shape for p in model.parameters()], seed=4)
    inputs, targets = task.train.all()
    loss = loss_for(cfg, task)
    alphas, betas = torch.linspace(-1.0, 1.0, 5), torch.linspace(-0.5, 1.5, 4)
    grid = grid_losses(model, theta, d1, d2, alphas, betas, inputs, targets, loss=loss)
    for j, i in [(0, 0), (3, 4), (2, 1)]:
        probe = build_model(cfg, task).eval()
        nn.utils.vector_to_parameters(theta + float(alphas[i]) * d1 + float(betas[j]) * d2,
                                      probe.parameters())
        with torch.no_grad():
            want = loss(probe(*inputs), targets).item()
        assert float(grid[j, i]) == pytest.approx(want, rel=1e-5)


def test_a_regression_runs_surface_is_its_mse_and_names_it(registry):
    cfg = RunConfig(dataset="sin", n_samples=200, width=8, length=120, eval_every=40)
    run_id = registry.start(cfg, owner="t")
    wait_done(registry, [run_id])
    result = compute_surface([registry.capture(run_id)], SurfaceSpec(resolution=21,
                                                                     eval_size=100))
    path = result.paths[0]
    assert path.true_loss[-1] == pytest.approx(path.plane_loss[-1], rel=1e-5)
    assert 0 < path.true_loss[-1] < path.true_loss[0] < 5          # MSE, near 1 at the start
    assert result.loss_words == ("mean squared error", "standardised y, squared")
