import torch

from playground import data
from playground.config import INITS, RunConfig
from playground.training.trainer import Trainer
from playground.models import MLP, build_model, count_parameters, init_weights


def test_mlp_shape_and_parameter_count():
    m = MLP(2, 3, [16, 16], "tanh", 0.0)
    assert m(torch.zeros(5, 2)).shape == (5, 3)
    assert count_parameters(m) == (2 * 16 + 16) + (16 * 16 + 16) + (16 * 3 + 3)


def test_zero_hidden_layers_is_a_linear_classifier():
    m = MLP(64, 10, [], "relu", 0.0)
    assert [type(l).__name__ for l in m.net] == ["Linear"]


def test_every_init_scheme_is_deterministic_and_zeroes_biases():
    task = data.load(RunConfig())
    for scheme in INITS:
        cfg = RunConfig(init=scheme, init_std=0.5)
        a, b = build_model(cfg, task), build_model(cfg, task)
        for (name, pa), pb in zip(a.named_parameters(), b.parameters()):
            assert torch.equal(pa, pb), (scheme, name)
            if pa.dim() == 1:
                assert torch.count_nonzero(pa) == 0


def test_schemes_have_their_defining_statistics():
    lin = torch.nn.Linear(400, 300)
    init_weights(lin, "xavier_uniform", 0)
    bound = (6 / 700) ** 0.5
    assert lin.weight.abs().max() <= bound and lin.weight.abs().max() > 0.9 * bound
    init_weights(lin, "normal", 0, std=2.0)
    assert abs(lin.weight.std().item() - 2.0) < 0.05
    init_weights(lin, "orthogonal", 0)
    w = lin.weight  # 300×400: rows orthonormal
    assert torch.allclose(w @ w.T, torch.eye(300), atol=1e-4)


def test_zeros_keeps_hidden_units_identical_after_training():
    t = Trainer(RunConfig(init="zeros", optimizer="sgd", lr=0.5, length=200))
    for _ in range(200):
        t.step()
    for layer in t.model.net:
        if isinstance(layer, torch.nn.Linear) and layer.out_features == 16:
            rows = layer.weight
            assert torch.allclose(rows, rows[0].expand_as(rows))
            assert torch.allclose(layer.bias, layer.bias[0].expand_as(layer.bias))


def test_dropout_only_in_train_mode():
    m = MLP(2, 2, [64], "relu", 0.5)
    x = torch.randn(32, 2)
    m.eval()
    assert torch.equal(m(x), m(x))
    m.train()
    torch.manual_seed(0)
    assert not torch.equal(m(x), m(x))
