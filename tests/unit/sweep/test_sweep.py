"""LR range test, suggestion rules and short runs (core, no Streamlit)."""
from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch

from playground.config import RunConfig
from playground.sweep.lr_rules import slopes, suggest
from playground.sweep.range_test import range_test, range_test_many, run_ramp, smooth
from playground.sweep.settings import PRESETS, SweepSettings, auto_beta, lr_ramp
from playground.sweep.short_runs import (
    ShortRunSettings,
    run_fixed,
    short_runs,
    short_runs_many,
)
from playground.training.step import Step
from tests.waiting import wait_until

SPIRAL = RunConfig(dataset="spiral", n_samples=300, hidden_layers=1, width=16)
FAST = SweepSettings(start_lr=1e-4, end_lr=10.0, steps=60)


# ------------------------------------------------------------ a problem with a known answer
class _Linear(torch.nn.Module):
    def __init__(self, d: int):
        super().__init__()
        self.w = torch.nn.Parameter(torch.zeros(d))

    def forward(self, x):
        return x @ self.w


def _mse(pred, y):
    return ((pred - y) ** 2).mean()


def linear_regression(seed: int = 0, n: int = 512, d: int = 20, batch: int = 32):
    """Minibatch least squares. Its Hessian is H = 2XᵀX/n, so plain SGD is stable only
    for η < 2/L with L = λ_max(H): the known answer the sweep must find.

    Returns (model, next_batch, bound, full_loss): the sweep's own step loop runs on it."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g) * torch.linspace(0.2, 2.0, d)
    y = x @ torch.randn(d, generator=g) + 0.1 * torch.randn(n, generator=g)
    bound = 2.0 / torch.linalg.eigvalsh(2 * x.T @ x / n).max().item()
    model = _Linear(d)
    order = torch.Generator().manual_seed(seed + 1)

    def next_batch():
        idx = torch.randint(0, n, (batch,), generator=order)
        return (x[idx],), y[idx]

    def full_loss() -> float:
        with torch.no_grad():
            return _mse(model(x), y).item()

    return model, next_batch, bound, full_loss


def sgd_step(model, lr: float) -> Step:
    return Step(model, torch.optim.SGD(model.parameters(), lr=lr), loss=_mse)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_range_test_finds_the_stable_lr_bound_of_linear_regression(seed):
    model, next_batch, bound, _ = linear_regression(seed)
    settings = SweepSettings(start_lr=1e-4, end_lr=10.0, steps=100)
    lrs = settings.lrs()
    losses, stop, reason = run_ramp(sgd_step(model, 1.0), next_batch, lrs,
                                    settings.smoothing, settings.stop_factor)
    # The loss blows up past 2/L: the test stops there, within 3× of the bound, not before.
    assert stop is not None and "passed 4×" in reason
    assert bound <= lrs[stop] <= 3 * bound
    sugg = {s.rule: s.lr for s in suggest(lrs[:len(losses)], smooth(losses, settings.smoothing),
                                          stop)}
    assert set(sugg) == {"steep", "valley", "min10"}
    # The lowest smoothed loss sits at the stability edge (within 2×); ÷10 lands within
    # 2–3× of bound/10, and no rule ever suggests an unstable learning rate.
    assert bound / 2 <= 10 * sugg["min10"] <= 2 * bound
    for rule, lr in sugg.items():
        assert lr < bound, f"{rule} suggested an unstable η = {lr:.3g} (bound {bound:.3g})"
    # Steep and valley sit where the loss falls fastest, well below the edge: the
    # range test's known bias (see short runs below), by more than 3× on this problem.
    assert sugg["steep"] < bound / 3 and sugg["valley"] < bound / 3


def test_short_fixed_lr_runs_find_one_over_l_and_diverge_past_two_over_l():
    fractions = np.array([0.1, 0.25, 0.5, 0.7, 0.9, 1.1, 1.5, 2.5])
    finals, diverged = [], []
    for f in fractions:
        model, next_batch, bound, full_loss = linear_regression(0)
        _, bad = run_fixed(sgd_step(model, f * bound), next_batch, 200,
                           lambda v: not math.isfinite(v) or v > 1e6)
        diverged.append(bad is not None)
        finals.append(full_loss() if bad is None else math.inf)
    assert diverged == [f > 1 for f in fractions]           # exactly the unstable ones
    best = fractions[int(np.argmin(finals))] * bound
    assert bound / 4 <= best <= bound                       # ≈ 1/L, the classical best η


# ---------------------------------------------------------------------- building blocks
def test_lr_ramp_shapes():
    exp = lr_ramp(1e-3, 1.0, 1000, "exp")
    assert exp[0] == pytest.approx(1e-3) and exp[-1] == pytest.approx(1.0)
    assert np.allclose(exp, 10 ** np.linspace(-3, 0, 1000))  # the makemore lecture's grid
    lin = lr_ramp(0.1, 1.0, 10, "linear")
    assert np.allclose(np.diff(lin), 0.1)
    with pytest.raises(ValueError):
        lr_ramp(0.1, 1.0, 10, "cubic")


def test_smoothing_is_bias_corrected_and_nan_safe():
    assert np.allclose(smooth([2.0] * 20, 0.98), 2.0)     # no drift toward 0 at the start
    out = smooth([1.0, float("nan"), 3.0, float("inf"), 3.0], 0.5)
    assert math.isnan(out[1]) and math.isnan(out[3])
    assert out[0] == 1.0 and 1.0 < out[2] < 3.0 and np.isfinite(out[4])
    assert np.array_equal(smooth([1.0, 5.0, 2.0], 0.0), [1.0, 5.0, 2.0])
    assert auto_beta(100) == pytest.approx(0.8) and auto_beta(1000) == pytest.approx(0.98)


def test_suggestions_survive_nans_and_tiny_curves():
    lrs = lr_ramp(1e-4, 1.0, 50)
    curve = np.linspace(2.0, 0.5, 50)
    curve[[10, 30]] = np.nan
    rules = [s.rule for s in suggest(lrs, curve)]
    assert rules == ["steep", "valley", "min10"]
    assert suggest(lrs, np.full(50, np.nan)) == []
    assert suggest(lrs[:3], curve[:3]) == []
    assert np.isnan(slopes(lrs[:2], curve[:2])).all()


def test_settings_are_validated_with_field_names():
    bad = SweepSettings(start_lr=1.0, end_lr=0.1, steps=5, ramp="x", beta=1.5, stop_factor=1)
    fields = {e.field for e in bad.validate()}
    assert fields == {"end_lr", "steps", "ramp", "beta", "stop_factor"}
    with pytest.raises(ValueError, match="end_lr"):
        range_test(SPIRAL, SweepSettings(start_lr=1.0, end_lr=0.1))
    assert not PRESETS["makemore"][1].validate()
    mm = PRESETS["makemore"][1]
    assert (mm.start_lr, mm.end_lr, mm.steps, mm.batch_size) == (1e-3, 1.0, 1000, 32)
    too_much = ShortRunSettings(points=30, steps=5000, seeds=3)
    assert [e.field for e in too_much.validate()] == ["steps"]


# ------------------------------------------------------------------------ range test
def test_same_seed_gives_identical_curve_and_another_seed_does_not():
    a, b = range_test(SPIRAL, FAST), range_test(SPIRAL, FAST)
    assert np.array_equal(a.losses, b.losses, equal_nan=True)
    assert a.stop_index == b.stop_index
    c = range_test(SPIRAL.replace(seed=1), FAST)
    assert not np.array_equal(a.losses[:10], c.losses[:10])


def test_divergence_stops_early_and_is_marked():
    curve = range_test(SPIRAL.replace(optimizer="sgd"),
                       SweepSettings(start_lr=1e-2, end_lr=1e4, steps=200))
    assert curve.stopped and curve.stop_index < 150
    assert len(curve.losses) == curve.stop_index + 1 == len(curve.lrs)
    assert "4×" in curve.stop_reason or "loss became" in curve.stop_reason
    row = curve.rows()[curve.stop_index]
    assert row["stopped_here"] and sum(r["stopped_here"] for r in curve.rows()) == 1


def test_non_finite_loss_stops_without_updating():
    model = _Linear(3)
    with torch.no_grad():
        model.w.fill_(1.0)
    calls = iter(range(100))

    def next_batch():
        i = next(calls)
        x = torch.eye(3) * (float("nan") if i == 7 else 1.0)
        return (x,), torch.zeros(3)

    losses, stop, reason = run_ramp(sgd_step(model, 0.1), next_batch, lr_ramp(1e-4, 1e-3, 20))
    assert stop == 7 and "nan" in reason and math.isnan(losses[-1])
    assert torch.isfinite(model.w).all()
    assert [s.rule for s in suggest(lr_ramp(1e-4, 1e-3, 20)[:8], smooth(losses, 0.8), stop)]


def test_overlay_uses_same_initial_weights_and_batches():
    curves = range_test_many(SPIRAL, ["sgd", "adam", "momentum"], FAST)
    assert [c.optimizer for c in curves] == ["sgd", "adam", "momentum"]
    # Same weights and same first batch ⇒ the same loss before the first update.
    assert curves[0].losses[0] == curves[1].losses[0] == curves[2].losses[0]
    assert not np.array_equal(curves[0].losses[:20], curves[1].losses[:20])
    with pytest.raises(ValueError):
        range_test_many(SPIRAL, [], FAST)


def test_live_curves_follow_the_sweep_point_by_point():
    from playground.sweep.live import LiveCurves

    live = LiveCurves()
    curves = range_test_many(SPIRAL, ["sgd", "adam"], FAST, live=live)
    view = live.view()
    assert [name for name, _, _ in view] == ["sgd", "adam"]
    for (name, lrs, losses), c in zip(view, curves):
        n = len(losses)   # the stop point itself is not streamed
        assert n == (c.stop_index if c.stopped else len(c.losses))
        assert np.array_equal(losses, c.losses[:n]) and np.array_equal(lrs, c.lrs[:n])
    assert [p.optimizer for p in live.curves(FAST)] == ["sgd", "adam"]
    from playground.figures.sweep import range_test_figure
    fig = range_test_figure(live.curves(FAST), suggestions=False, x_span=(1e-4, 10.0))
    assert list(fig.layout.xaxis.range) == [-4.0, 1.0]   # log10 units: the whole planned ramp
    assert not any("Valley" in (t.name or "") for t in fig.data)


def test_batch_size_override_and_init_state_copy():
    curve = range_test(SPIRAL, SweepSettings(steps=20, batch_size=8))
    assert curve.batch_size == 8 and curve.config.batch_size == 8
    from playground.training.trainer import Trainer
    donor = Trainer(SPIRAL)
    for _ in range(30):
        donor.step()
    state = donor.weights()
    before = copy.deepcopy(state)
    warm = range_test(SPIRAL, FAST, init_state=state)
    cold = range_test(SPIRAL, FAST)
    assert warm.losses[0] < cold.losses[0]          # it really started from the trained weights
    assert all(torch.equal(before[k], state[k]) for k in state)


# ------------------------------------------------------------ live runs are untouched


def test_sweep_job_leaves_a_live_run_exactly_as_it_was(registry):
    run_id = registry.start(SPIRAL, owner="me")
    assert wait_until(lambda: registry.snapshot(run_id).step >= 50)
    registry.pause(run_id)
    assert wait_until(lambda: registry.snapshot(run_id).status.value == "paused")
    trainer = registry._table.get(run_id).record.trainer      # the live run, looked at directly
    weights = copy.deepcopy(trainer.model.state_dict())
    opt_state = copy.deepcopy(trainer.optimizer.state_dict())
    step, batch_pos = trainer.step_count, trainer.batches._pos
    snap = registry.snapshot(run_id)

    def job(progress):
        a = range_test_many(snap.config, ["sgd", "adam"], FAST, progress,
                            init_state=snap.weights)
        b = short_runs(snap.config, ShortRunSettings(points=3, steps=20), progress,
                       init_state=snap.weights)
        return a, b

    job_id = registry.start_job(job, owner="me", label="sweep")
    assert wait_until(lambda: not registry.job_snapshot(job_id).active)
    assert registry.job_snapshot(job_id).status == "done"
    assert all(torch.equal(weights[k], v) for k, v in trainer.model.state_dict().items())
    after = trainer.optimizer.state_dict()
    assert after["param_groups"] == opt_state["param_groups"]
    for k, st in opt_state["state"].items():
        for name, value in st.items():
            assert torch.equal(torch.as_tensor(value), torch.as_tensor(after["state"][k][name]))
    assert (trainer.step_count, trainer.batches._pos) == (step, batch_pos)
    assert registry.snapshot(run_id).status.value == "paused"


def test_sweep_job_reports_progress_and_cancels(registry):
    settings = ShortRunSettings(points=20, steps=2000, seeds=2)
    job_id = registry.start_job(lambda p: short_runs(SPIRAL, settings, p), owner="me")
    assert wait_until(lambda: registry.job_snapshot(job_id).fraction > 0)
    assert "η" in registry.job_snapshot(job_id).message
    registry.cancel_job(job_id)
    assert wait_until(lambda: registry.job_snapshot(job_id).status == "cancelled", 10)


# -------------------------------------------------------------------------- short runs
def test_short_runs_share_a_start_and_flag_divergence():
    s = ShortRunSettings(start_lr=1e-3, end_lr=1e3, points=4, steps=40, seeds=2)
    res = short_runs(SPIRAL.replace(optimizer="sgd"), s)
    assert res.train_loss.shape == res.val_loss.shape == (2, 4)
    assert res.seeds == (0, 1)
    assert res.diverged[:, -1].all() and not res.diverged[:, 0].any()
    assert np.isnan(res.val_loss[:, -1]).all() and np.isnan(res.mean("val")[-1])
    again = short_runs(SPIRAL.replace(optimizer="sgd"), s)
    assert np.array_equal(res.val_loss, again.val_loss, equal_nan=True)
    assert not np.array_equal(res.val_loss[0], res.val_loss[1], equal_nan=True)
    assert res.best_lr() in res.lrs
    assert len(res.rows()) == 8 and {"train_loss", "val_loss", "diverged"} <= set(res.rows()[0])


def test_short_runs_many_per_optimizer():
    res = short_runs_many(SPIRAL, ["sgd", "adam"], ShortRunSettings(points=3, steps=10))
    assert [r.optimizer for r in res] == ["sgd", "adam"]
    with pytest.raises(ValueError, match="steps"):
        short_runs_many(SPIRAL, ["sgd"] * 7, ShortRunSettings(points=30, steps=1000, seeds=3))


# ----------------------------------------------------------------------------- figures
def test_range_test_figure_marks_stop_and_suggestions_in_optimizer_colors():
    from playground.figures.sweep import range_test_figure
    from playground.figures.theme import optimizer_color

    curves = range_test_many(SPIRAL, ["sgd", "adam"],
                             SweepSettings(start_lr=1e-4, end_lr=1e4, steps=120))
    assert all(c.stopped for c in curves)
    fig = range_test_figure(curves)
    assert fig.layout.xaxis.type == "log"
    assert "learning rate" in fig.layout.xaxis.title.text
    assert "loss" in fig.layout.yaxis.title.text
    names = [t.name for t in fig.data]
    for label, opt in (("SGD", "sgd"), ("Adam", "adam")):
        smoothed = next(t for t in fig.data if t.name == f"{label} smoothed")
        assert smoothed.line.color == optimizer_color(opt)
        assert f"{label} raw" in names and f"{label} stopped" in names
        marks = [t for t in fig.data if (t.name or "").startswith(f"{label}: ")]
        assert {t.marker.symbol for t in marks} == {"triangle-down", "circle", "diamond"}
        assert all(t.marker.color == optimizer_color(opt) for t in marks)
    stop = next(t for t in fig.data if t.name == "SGD stopped")
    assert "stopped early" in stop.hovertemplate
    peak = max(np.nanmax(c.smoothed()) for c in curves)
    assert fig.layout.yaxis.range[1] < peak                 # zoomed on the descent...
    assert stop.text == ("SGD stop ↑",) and stop.y[0] == fig.layout.yaxis.range[1]  # ...stop pinned
    # two optimizers' pins sit at different heights, so their labels never overlap
    other = next(t for t in fig.data if t.name == "Adam stopped")
    if other.text[0].endswith("↑"):
        assert other.y[0] < stop.y[0] and other.text == ("Adam stop ↑",)
    full = range_test_figure(curves, zoom=False)
    assert full.layout.yaxis.range[1] >= peak

    exp = range_test_figure(curves[:1], x_axis="exponent", show_raw=False)
    assert exp.layout.xaxis.type != "log" and "log₁₀" in exp.layout.xaxis.title.text
    line = next(t for t in exp.data if t.name == "SGD")
    assert np.allclose(line.x, np.log10(curves[0].lrs))
    assert len(exp.layout.annotations) == 3          # one label per suggestion (single curve)
    with pytest.raises(ValueError):
        range_test_figure(curves, x_axis="steps")


def test_short_runs_figure_band_and_divergence_marks():
    from playground.figures.sweep import short_runs_figure

    res = short_runs(SPIRAL.replace(optimizer="sgd"),
                     ShortRunSettings(start_lr=1e-2, end_lr=1e3, points=4, steps=30, seeds=2))
    fig = short_runs_figure([res])
    names = [t.name for t in fig.data]
    assert "SGD train" in names and "SGD validation" in names and "SGD diverged" in names
    assert any(t.fill == "tonexty" for t in fig.data)                 # the seed band
    val = next(t for t in fig.data if t.name == "SGD validation")
    assert val.line.dash == "dot"
    no_band = short_runs_figure([res], which=("val",), show_band=False)
    assert not any(t.fill == "tonexty" for t in no_band.data)
    assert "SGD train" not in [t.name for t in no_band.data]


def test_a_short_run_that_ends_far_above_its_start_is_marked_diverged_and_off_the_axis():
    """A finite blow-up (ends at many times its starting loss) is an ✕ along the top,
    not a point that stretches the y-axis; the log axis option spreads the rest."""
    from playground.figures.sweep import short_runs_figure
    from playground.sweep.short_runs import BLOWUP

    res = short_runs(SPIRAL.replace(optimizer="sgd"),
                     ShortRunSettings(start_lr=1e-2, end_lr=1e3, points=5, steps=30, seeds=1))
    assert res.diverged[0, -1] and not res.diverged[0, 0]
    start = res.train_loss[0, 0]          # a tiny η barely moves: close to the start
    ended = res.train_loss[0, res.diverged[0]]
    assert all(not np.isfinite(v) or v > BLOWUP * 0.5 * start for v in ended)
    fig = short_runs_figure([res])
    marks = next(t for t in fig.data if t.name == "SGD diverged")
    assert marks.yaxis == "y2" and all(y > 0.9 for y in marks.y)       # along the top
    ok = res.mean("train")
    assert fig.layout.yaxis.range[1] < 2 * np.nanmax(ok)                 # fitted to the rest
    log = short_runs_figure([res], log_y=True)
    assert log.layout.yaxis.type == "log" and "log" in log.layout.yaxis.title.text
    lo, hi = log.layout.yaxis.range
    assert 10 ** lo <= np.nanmin(ok) and np.nanmax(ok) <= 10 ** hi
