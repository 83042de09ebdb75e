"""The direct fused-kernel step must be torch's own step, bit for bit."""
from __future__ import annotations

import pytest
import torch

from playground.config import RunConfig
from playground.training.fast.fused import DirectFused, direct_step
from playground.training.fast.lean import lean_step
from playground.training.optim import make_optimizer

CASES = {
    "adam": dict(optimizer="adam"),
    "adam+wd": dict(optimizer="adam", weight_decay=0.01),
    "adamw": dict(optimizer="adamw", adamw_decay=0.05),
    "sgd": dict(optimizer="sgd"),
    "sgd+wd": dict(optimizer="sgd", weight_decay=0.01),
    "momentum": dict(optimizer="momentum", momentum=0.9),
    "nesterov": dict(optimizer="nesterov", momentum=0.8),
    "adagrad": dict(optimizer="adagrad", weight_decay=0.001),
    "rmsprop": dict(optimizer="rmsprop"),
    "rmsprop+momentum+wd": dict(optimizer="rmsprop", rmsprop_momentum=0.9,
                                 weight_decay=0.01),
}


def _params(seed: int) -> list[torch.nn.Parameter]:
    g = torch.Generator().manual_seed(seed)
    return [torch.nn.Parameter(torch.randn(shape, generator=g))
            for shape in ((16, 64), (16,), (10, 16), (10,))]


def _run(cfg: RunConfig, lean: bool, steps: int = 25, drop_grad_at: int | None = None):
    params = _params(0)
    opt = make_optimizer(cfg, params)
    step, clear = lean_step(opt) if lean else (opt.step, lambda: opt.zero_grad())
    g = torch.Generator().manual_seed(1)
    for i in range(steps):
        clear()
        for p in params:
            p.grad = torch.randn(p.shape, generator=g)
        if i == drop_grad_at:
            params[1].grad = None   # a parameter without a gradient this step
        for group in opt.param_groups:
            group["lr"] = cfg.lr * (0.5 + 0.1 * (i % 7))   # the schedule / live slider moves it
        step()
    return params, opt, step


@pytest.mark.parametrize("name", list(CASES))
def test_direct_kernel_call_matches_torchs_step_bit_for_bit(name):
    cfg = RunConfig(lr=0.01, **CASES[name])
    ours, opt_ours, step = _run(cfg, lean=True)
    theirs, opt_theirs, _ = _run(cfg, lean=False)
    # The direct path really was taken (this is what makes it fast)...
    assert isinstance(step, DirectFused) and step._plan is not None
    # ...and did exactly what torch.optim does: same weights, same optimizer state.
    for a, b in zip(ours, theirs):
        assert torch.equal(a, b)
    sa, sb = opt_ours.state_dict()["state"], opt_theirs.state_dict()["state"]
    assert sa.keys() == sb.keys()
    for k in sa:
        for key in sa[k]:
            assert torch.equal(torch.as_tensor(sa[k][key]), torch.as_tensor(sb[k][key])), key


@pytest.mark.parametrize("name", ["adam", "momentum", "rmsprop"])
def test_a_parameter_without_gradient_falls_back_to_torchs_step(name):
    cfg = RunConfig(lr=0.01, **CASES[name])
    ours, _, _ = _run(cfg, lean=True, drop_grad_at=10)
    theirs, _, _ = _run(cfg, lean=False, drop_grad_at=10)
    for a, b in zip(ours, theirs):
        assert torch.equal(a, b)


def test_unsupported_optimizers_keep_torchs_step():
    params = _params(0)
    assert direct_step(torch.optim.RMSprop(params, lr=0.1, centered=True, foreach=True),
                       lambda: None) is None
    assert direct_step(torch.optim.Adadelta(params, lr=0.1), lambda: None) is None
    assert direct_step(torch.optim.Adam(params, lr=0.1, amsgrad=True, fused=True),
                       lambda: None) is None
    assert direct_step(torch.optim.Adam(params, lr=0.1), lambda: None) is None   # not fused
    assert direct_step(torch.optim.SGD(params, lr=torch.tensor(0.1), fused=True),
                       lambda: None) is None


def test_each_optimizer_gets_torchs_own_defaults_for_its_settings():
    """RMSprop's momentum is 0 and AdamW's decoupled decay 0.01 unless set (torch's
    defaults, and the toy race's); SGD + momentum keeps its 0.9. Setting one optimizer's
    value does not leak into another's."""
    params = _params(0)
    group = lambda cfg: make_optimizer(RunConfig(**cfg), params).param_groups[0]
    assert group(dict(optimizer="rmsprop"))["momentum"] == 0.0
    assert group(dict(optimizer="adamw"))["weight_decay"] == 0.01
    assert group(dict(optimizer="adam"))["weight_decay"] == 0.0
    assert group(dict(optimizer="momentum"))["momentum"] == 0.9
    assert group(dict(optimizer="rmsprop", momentum=0.5))["momentum"] == 0.0
    assert group(dict(optimizer="adamw", weight_decay=0.3))["weight_decay"] == 0.01
    assert group(dict(optimizer="rmsprop", rmsprop_momentum=0.5))["momentum"] == 0.5
