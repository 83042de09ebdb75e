"""Layer health equals a direct computation on a hand-built network."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from playground.config import RunConfig
from playground.models.mlp import MLP
from playground.training.health import MAX_POINTS, HealthRecorder, probe_layers
from playground.training.trainer import Trainer


def hand_built(activation: str) -> MLP:
    net = MLP(2, 2, [3], activation)
    with torch.no_grad():
        net.net[0].weight.copy_(torch.tensor([[10.0, 0.0], [0.1, 0.1], [-1.0, -1.0]]))
        net.net[0].bias.copy_(torch.tensor([0.0, 0.0, -5.0]))
        net.net[2].weight.copy_(torch.tensor([[1.0, -1.0, 0.5], [0.0, 2.0, -0.5]]))
        net.net[2].bias.zero_()
    return net


INPUTS = torch.tensor([[1.0, 0.0], [-1.0, 0.5], [0.2, 0.2], [0.0, -1.0]])
TARGETS = torch.tensor([0, 1, 0, 1])


def test_tanh_saturation_mean_and_std_are_the_direct_ones():
    net = hand_built("tanh")
    [layer] = probe_layers(net, (INPUTS,), TARGETS)
    a = torch.tanh(INPUTS @ net.net[0].weight.T + net.net[0].bias)
    assert layer.mean == pytest.approx(a.mean().item())
    assert layer.std == pytest.approx(a.std().item())
    assert layer.saturated == pytest.approx((a.abs() > 0.97).float().mean().item())
    # unit 0 (weight 10) saturates on x = ±1 and on 0.2 (tanh 2 = 0.964: not quite)
    assert layer.unit_saturated.tolist() == pytest.approx(
        (a.abs() > 0.97).float().mean(0).tolist())
    assert layer.unit_saturated[0] == pytest.approx(0.5)
    assert layer.dead is None
    assert layer.histogram()[0].sum() == pytest.approx(1.0)


def test_relu_dead_units_are_those_zero_on_every_example():
    net = hand_built("relu")
    [layer] = probe_layers(net, (INPUTS,), TARGETS)
    a = torch.relu(INPUTS @ net.net[0].weight.T + net.net[0].bias)
    # unit 2 has bias −5 and inputs within ±1: never fires
    assert layer.unit_dead.tolist() == (a == 0).all(0).tolist() == [False, False, True]
    assert layer.dead == pytest.approx(1 / 3)
    assert layer.saturated is None


def test_sigmoid_saturates_in_the_same_share_of_its_range():
    net = hand_built("sigmoid")
    [layer] = probe_layers(net, (INPUTS,), TARGETS)
    a = torch.sigmoid(INPUTS @ net.net[0].weight.T + net.net[0].bias)
    assert layer.saturated == pytest.approx(((a < 0.015) | (a > 0.985)).float().mean().item())


def test_gradient_histogram_is_of_the_loss_gradient_at_the_layer_output():
    net = hand_built("tanh")
    [layer] = probe_layers(net, (INPUTS,), TARGETS)
    assert all(p.grad is None for p in net.parameters())   # the probe leaves .grad alone
    h = torch.tanh(INPUTS @ net.net[0].weight.T + net.net[0].bias).detach().requires_grad_()
    loss = torch.nn.functional.cross_entropy(net.net[2](h), TARGETS)
    loss.backward()
    assert layer.grad_std == pytest.approx(h.grad.std().item(), rel=1e-5)


def test_update_and_grad_ratios_are_the_direct_ones_for_sgd():
    torch.manual_seed(0)
    net = hand_built("tanh")
    recorder = HealthRecorder(net, ((INPUTS,), TARGETS), every=2)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    before = None
    for step in (1, 2):
        if step == 2:
            before = [p.detach().clone() for p in (net.net[0].weight, net.net[2].weight)]
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(INPUTS), TARGETS).backward()
        opt.step()
        health = recorder.after_step(step)
    assert health is not None and health.step == 2
    assert health.matrices == ("W1 2→3", "W2 3→2")
    for i, p in enumerate((net.net[0].weight, net.net[2].weight)):
        delta = p.detach() - before[i]
        assert health.update_data[-1, i] == pytest.approx(
            math.log10(delta.std().item() / p.detach().std().item()))
        # for SGD Δw = −η·grad, so update:data = log10(η · grad:data)
        assert health.update_data[-1, i] == pytest.approx(
            math.log10(0.1 * health.grad_data[i]), rel=1e-4)
        assert health.grad_data[i] == pytest.approx(p.grad.std().item() / p.detach().std().item())


def test_health_is_a_read_only_copy_with_bounded_series():
    config = RunConfig(dataset="circle", hidden_layers=2, width=8, activation="relu")
    trainer = Trainer(config)
    recorder = HealthRecorder.for_trainer(trainer, every=1)
    for _ in range(MAX_POINTS + 50):
        r = trainer.step()
        recorder.after_step(r.step)
    health = recorder.latest
    assert len(health.steps) <= MAX_POINTS
    assert health.steps[-1] == MAX_POINTS + 50
    assert np.all(np.diff(health.steps) > 0)
    with pytest.raises(ValueError):
        health.update_data[0, 0] = 1.0
    with pytest.raises(ValueError):
        health.layers[0].unit_dead[0] = True
    assert np.isfinite(health.update_data[-1]).all()
    header, first = health.csv().splitlines()[:2]
    assert header.startswith('"step","update_data_log10 W1 2→8"')
    assert len(first.split(",")) == len(header.split(","))


def test_a_run_snapshot_carries_layer_health():
    from playground.runs.record import RunRecord
    import time

    config = RunConfig(dataset="spiral", length=120)
    record = RunRecord("r1", config)
    trainer = Trainer(config)
    record.attach(trainer)
    while not trainer.finished:
        record.after_step(trainer.step(), 0.0, time.perf_counter())
    snap = record.snapshot()
    assert snap.health is not None and snap.health.step == 100 and len(snap.health.steps) == 1
    assert [l.name for l in snap.health.layers] == ["hidden 1 (tanh)", "hidden 2 (tanh)"]
