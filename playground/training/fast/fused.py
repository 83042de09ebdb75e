"""Call torch's fused CPU optimizer kernels directly, skipping ``Optimizer.step``'s Python.

For the small models here one ``torch.optim.Adam(fused=True).step()`` costs ~55 µs of
which the kernel is ~15: the rest is Python that rebuilds the same lists of parameters,
gradients and state tensors on every call (``_init_group``), groups them by device and
dtype, and checks options that never change. A :class:`DirectFused` builds those lists
once, after torch's own first step has created the optimizer state, and from then on
makes exactly the kernel call torch would make (same kernel, same arguments, so the
same bits: tested). Hyperparameters (``lr`` above all, which the schedule and the live
LR slider change) are read from the param groups on every call.

RMSprop has no fused kernel; its multi-tensor (``foreach``) update is replayed op for op
with the lists built once, which saves the same Python.

Only the plain configurations are taken over: fused Adam/AdamW (no amsgrad), SGD (with
or without momentum/Nesterov) and Adagrad, multi-tensor RMSprop (not centered), CPU
float32, dense gradients, no hooks, nothing maximized. Anything else, and any step
where a parameter has no gradient, goes through ``Optimizer.step`` as usual.
"""
from __future__ import annotations

from typing import Callable

import torch

_OPTIONS_WE_DO_NOT_HANDLE = ("amsgrad", "maximize", "capturable", "differentiable")


def direct_step(optimizer: torch.optim.Optimizer, fallback: Callable[[], None]
                ) -> Callable[[], None] | None:
    """A drop-in for ``fallback`` (the optimizer's own step) or None if not eligible."""
    kind = type(optimizer)
    if kind not in (torch.optim.Adam, torch.optim.AdamW, torch.optim.SGD, torch.optim.Adagrad,
                    torch.optim.RMSprop):
        return None
    for group in optimizer.param_groups:
        if any(group.get(k) for k in _OPTIONS_WE_DO_NOT_HANDLE):
            return None
        if kind is torch.optim.RMSprop:
            if not group.get("foreach") or group.get("centered"):
                return None
        elif not group.get("fused"):
            return None
        if isinstance(group["lr"], torch.Tensor):
            return None
        for p in group["params"]:
            if p.device.type != "cpu" or p.dtype != torch.float32 or p.is_sparse:
                return None
    return DirectFused(optimizer, fallback)


class DirectFused:
    """The optimizer's update as one fused-kernel call per param group."""

    def __init__(self, optimizer: torch.optim.Optimizer, fallback: Callable[[], None]):
        self.optimizer = optimizer
        self.fallback = fallback
        self._plan: list[tuple[dict, list, list]] | None = None   # (group, params, state lists)
        self._tries = 3     # a parameter that never gets a gradient never gets state either

    def __call__(self) -> None:
        plan = self._plan
        if plan is None:
            # torch's own step creates the state (and SGD's first momentum step copies the
            # gradient instead of averaging); the kernel calls take over from the next step.
            self.fallback()
            if self._tries > 0:
                self._tries -= 1
                self._plan = self._prepare()
            return
        grads_per_group = []
        for _, params, _ in plan:
            grads = [p.grad for p in params]
            if any(g is None or g.is_sparse for g in grads):
                self.fallback()         # torch skips gradient-less parameters; so do we
                return
            grads_per_group.append(grads)
        with torch.no_grad():   # as in Optimizer.step: the update is not part of any graph
            for (group, params, state), grads in zip(plan, grads_per_group):
                self._kernel(group, params, grads, state)

    # ---------------------------------------------------------------- internals
    def _prepare(self) -> list[tuple[dict, list, list]] | None:
        plan = []
        for group in self.optimizer.param_groups:
            params = list(group["params"])
            states = [self.optimizer.state.get(p) for p in params]
            if any(not s for s in states) and not self._stateless(group):
                return None     # some state not created yet: stay on torch's step, retry later
            plan.append((group, params, self._state_lists(group, states)))
        return plan

    def _stateless(self, group: dict) -> bool:
        return isinstance(self.optimizer, torch.optim.SGD) and group["momentum"] == 0

    def _momentum(self, group: dict) -> bool:
        return group["momentum"] > 0

    def _state_lists(self, group: dict, states: list) -> list:
        opt = self.optimizer
        if isinstance(opt, torch.optim.SGD):
            return [] if self._stateless(group) else [[s["momentum_buffer"] for s in states]]
        steps, counter = _shared_steps(states)
        if isinstance(opt, torch.optim.RMSprop):
            buffers = ([s["momentum_buffer"] for s in states] if self._momentum(group)
                       else [])
            return [[s["square_avg"] for s in states], buffers, counter]
        if isinstance(opt, torch.optim.Adam):       # AdamW is an Adam subclass
            return [[s["exp_avg"] for s in states], [s["exp_avg_sq"] for s in states],
                    steps, counter]
        return [[s["sum"] for s in states], steps, counter]   # Adagrad

    def _kernel(self, group: dict, params: list, grads: list, state: list) -> None:
        opt = self.optimizer
        if isinstance(opt, torch.optim.Adam):
            exp_avgs, exp_avg_sqs, steps, counter = state
            beta1, beta2 = group["betas"]
            counter.add_(1)
            kernel = (torch._fused_adamw_ if group.get("decoupled_weight_decay")
                      else torch._fused_adam_)
            kernel(params, grads, exp_avgs, exp_avg_sqs, [], steps, amsgrad=False,
                   lr=group["lr"], beta1=float(beta1), beta2=float(beta2),
                   weight_decay=group["weight_decay"], eps=group["eps"], maximize=False,
                   grad_scale=None, found_inf=None)
        elif isinstance(opt, torch.optim.SGD):
            momentum = group["momentum"]
            torch._fused_sgd_(params, grads, state[0] if state else [],
                              weight_decay=group["weight_decay"], momentum=momentum,
                              lr=group["lr"], dampening=group["dampening"],
                              nesterov=group["nesterov"], maximize=False, is_first_step=False,
                              grad_scale=None, found_inf=None)
        elif isinstance(opt, torch.optim.RMSprop):
            _rmsprop(group, params, grads, *state)
        else:
            sums, steps, counter = state
            counter.add_(1)
            torch._fused_adagrad_(params, grads, sums, steps, lr=group["lr"],
                                  lr_decay=group["lr_decay"],
                                  weight_decay=group["weight_decay"], eps=group["eps"],
                                  maximize=False, grad_scale=None, found_inf=None)


def _rmsprop(group: dict, params: list, grads: list, square_avgs: list, buffers: list,
             counter: torch.Tensor) -> None:
    """torch.optim.RMSprop's multi-tensor update (CPU, not centered), op for op."""
    lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
    counter.add_(1)
    if group["weight_decay"] != 0:
        grads = torch._foreach_add(grads, params, alpha=group["weight_decay"])
    torch._foreach_mul_(square_avgs, alpha)
    torch._foreach_addcmul_(square_avgs, grads, grads, value=1 - alpha)
    avg = torch._foreach_sqrt(square_avgs)
    torch._foreach_add_(avg, eps)
    if buffers:
        torch._foreach_mul_(buffers, group["momentum"])
        torch._foreach_addcdiv_(buffers, grads, avg)
        torch._foreach_add_(params, buffers, alpha=-lr)
    else:
        torch._foreach_addcdiv_(params, grads, avg, value=-lr)


def _shared_steps(states: list[dict]) -> tuple[list[torch.Tensor], torch.Tensor]:
    """Re-home every parameter's ``state["step"]`` as an element of one tensor.

    torch keeps one 0-d step counter per parameter and bumps them with
    ``_foreach_add_`` (~20 µs for six tensors here); one ``add_`` on a shared tensor
    bumps them all for ~5 µs. Each state still owns its own 0-d tensor (a view), with
    its own value, so torch's step (the fallback) and ``state_dict`` see no difference.
    """
    counter = torch.stack([s["step"] for s in states])
    for i, s in enumerate(states):
        s["step"] = counter[i]
    return [s["step"] for s in states], counter
