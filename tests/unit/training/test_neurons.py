"""Neuron maps: what each hidden unit computes over the plane, from copied weights."""
import numpy as np
import torch

from playground.config import RunConfig
from playground.training.neurons import signed_scale, unit_maps
from playground.training.predict import plane_bounds, replica
from playground.training.trainer import Trainer


def maps_of(config: RunConfig, steps: int = 0) -> list[np.ndarray]:
    trainer = Trainer(config)
    for _ in range(steps):
        trainer.step()
    model = replica(config, trainer.task, trainer.weights())
    return unit_maps(model, plane_bounds(trainer.task.train.x.numpy()))


def test_zero_init_gives_identical_neuron_maps():
    for layer in maps_of(RunConfig(init="zeros", width=6), steps=50):
        assert np.allclose(layer, layer[0:1]), "every unit of a layer draws the same map"


def test_xavier_init_gives_different_neuron_maps():
    first = maps_of(RunConfig(width=6))[0]
    assert not np.allclose(first[0], first[1])


def test_a_map_is_the_unit_activation_at_each_grid_point():
    config = RunConfig(hidden_layers=1, width=4, activation="tanh")
    trainer = Trainer(config)
    model = replica(config, trainer.task, trainer.weights())
    bounds = (-1.0, 1.0, -2.0, 2.0)
    [layer] = unit_maps(model, bounds, resolution=5)
    w, b = model.net[0].weight.detach(), model.net[0].bias.detach()
    # row 0 is the lowest y, column 0 the lowest x
    corner = torch.tanh(torch.tensor([-1.0, -2.0]) @ w.T + b)
    far = torch.tanh(torch.tensor([1.0, 2.0]) @ w.T + b)
    assert np.allclose(layer[:, 0, 0], corner.numpy(), atol=1e-6)
    assert np.allclose(layer[:, -1, -1], far.numpy(), atol=1e-6)


def test_signed_scale_puts_each_kind_on_minus_one_to_one():
    relu = np.array([[0.0, 2.0], [4.0, 1.0]])
    assert signed_scale("relu", relu).max() == 1.0 and signed_scale("relu", relu).min() == 0.0
    assert signed_scale("sigmoid", np.array([0.0, 0.5, 1.0])).tolist() == [-1.0, 0.0, 1.0]
    assert signed_scale("relu", np.zeros(3)).tolist() == [0.0, 0.0, 0.0]


def test_a_1d_units_line_map_is_its_activation_along_x():
    from playground.training.neurons import line_maps

    config = RunConfig(dataset="sin", hidden_layers=1, width=3, activation="tanh")
    trainer = Trainer(config)
    model = replica(config, trainer.task, trainer.weights())
    [layer] = line_maps(model, -3.0, 3.0, resolution=5)
    assert layer.shape == (3, 1, 5)
    w, b = model.net[0].weight.detach(), model.net[0].bias.detach()
    xs = torch.linspace(-3.0, 3.0, 5)
    want = torch.tanh(xs[:, None] * w[:, 0] + b).T.numpy()             # [units, 5]
    assert np.allclose(layer[:, 0, :], want, atol=1e-6)
