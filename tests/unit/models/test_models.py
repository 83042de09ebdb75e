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
            if pa.dim() == 1 and scheme != "randn":
                assert torch.count_nonzero(pa) == 0


def test_randn_draws_every_tensor_biases_included_from_a_standard_normal():
    # makemore part 2: C 27×2, W1 6×100, b1, W2 100×27, b2, all torch.randn.
    cfg = RunConfig(dataset="names", hidden_layers=1, width=100, activation="tanh",
                    embed_dim=2, context=3, init="randn")
    model = build_model(cfg, data.load(cfg))
    shapes = [tuple(p.shape) for p in model.parameters()]
    assert shapes == [(27, 2), (100, 6), (100,), (27, 100), (27,)]
    assert count_parameters(model) == 3481                  # the lecture's count
    values = torch.cat([p.detach().flatten() for p in model.parameters()])
    assert abs(values.mean().item()) < 0.05 and abs(values.std().item() - 1.0) < 0.05
    for p in model.parameters():
        assert torch.count_nonzero(p) == p.numel()          # no tensor left at zero


def test_uniform_is_the_torchtext_tutorials_init():
    lin = torch.nn.Linear(64, 4)
    init_weights(lin, "uniform", 0)
    assert lin.weight.min() >= -0.5 and lin.weight.max() <= 0.5
    assert lin.weight.max() - lin.weight.min() > 0.9          # spans the range
    assert torch.count_nonzero(lin.bias) == 0


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
