"""Gradients of several runs in one batched pass, when they are doing the same arithmetic.

Runs of a comparison advance in lockstep. Runs with the same architecture, seed, data
and batch size then draw *the same minibatch at the same moment*, so their forward and
backward passes differ only in the weights. A :class:`Pack` stacks those weights
(``torch.stack`` keeps the autograd link to each run's own parameters), evaluates all
models at once with ``torch.func.vmap`` and backpropagates the sum of the per-run mean
losses: each run's ``.grad`` receives exactly the gradient of its own loss. Each run
then finishes its step with its own optimizer (``Trainer.apply_gradients``).

Why bother: these models are tiny, so a step costs Python and dispatch overhead, not
arithmetic, and Python holds the GIL. One batched pass for k runs costs about as much
overhead as one run's pass: that is what lets a group beat running its members one
after another.

For our MLPs the stacking is done once, not every step: each run's parameters are
re-homed as slices ``W[i]`` of one stacked leaf tensor ``W`` per layer (the trick
behind flat-parameter wrappers), so a step needs no ``torch.stack`` forward and no
un-stacking backward (which cost more than the batching saved); after the backward each
run's ``.grad`` is its slice of ``W.grad``. The runs' parameters stay their own
``nn.Parameter`` objects with their own values and optimizers; they merely share
storage. A pack that finds another pack has since re-homed one of its runs (the group
changed) re-homes them again before stepping, copying the current values.
"""
from __future__ import annotations

import copy

import torch
import torch.nn.functional as F
from torch.func import functional_call, vmap

from playground.compare.packed.mlp import layers_of, losses_and_grads


def pack_key(trainer) -> tuple:
    """Trainers with equal keys can share a batched pass (same model, same batches)."""
    cfg = trainer.config
    shapes = tuple((n, tuple(p.shape)) for n, p in trainer.model.named_parameters())
    return (id(trainer.task), type(trainer.model).__name__, repr(trainer.model), shapes,
            trainer.batch_size, cfg.seed, len(trainer.task.train))


class Pack:
    """Steps k trainers (same :func:`pack_key`, same step count) with one batched pass."""

    def __init__(self, trainers: list, homes: dict | None = None):
        if len(trainers) < 2:
            raise ValueError("a pack needs at least two trainers")
        self.trainers = list(trainers)
        # Which pack each trainer's parameters live in now (shared by a group's packs):
        # id(trainer) -> pack.
        self._homes = {} if homes is None else homes
        first = trainers[0]
        self.task = first.task
        self.names = [n for n, _ in first.model.named_parameters()]
        self._params = [dict(t.model.named_parameters()) for t in trainers]
        plan = _mlp_plan(first.model)
        self._leaves: dict[str, torch.Tensor] | None = None   # the MLP path's stacked W
        self._mlp = plan is not None
        # Tanh/ReLU/sigmoid MLPs without dropout: forward and backward by hand.
        self._by_hand = layers_of(plan) if plan is not None else None
        if plan is not None:
            # Our MLPs: a few batched matmuls for all k runs (far cheaper than vmap).
            self._forward = lambda stacked, inputs: _batched_mlp(plan, stacked, inputs[0])
        else:
            # Any other model: a weightless copy of it, vectorised over the stacked weights.
            skeleton = copy.deepcopy(first.model).to("meta")
            skeleton.train()
            self._forward = vmap(lambda p, inputs: functional_call(skeleton, p, inputs),
                                 in_dims=(0, None), randomness="different")

    def works(self) -> bool:
        """Dry run on two validation examples with detached copies (no run changes)."""
        if self.task.is_regression:
            return False   # the batched pass (and its hand-written backward) is cross-entropy's
        try:
            inputs, targets = self.task.val.take(torch.arange(min(2, len(self.task.val))))
            stacked = {n: torch.stack([p[n].detach() for p in self._params]).requires_grad_()
                       for n in self.names}
            logits = self._forward(stacked, tuple(inputs))
            self._losses(logits, targets).sum().backward()
            return True
        except Exception:  # any model vmap cannot batch just trains unpacked
            return False

    def _losses(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Each run's mean cross-entropy, [k]."""
        if self._mlp:   # logits come as [k, classes, batch]: see _batched_mlp
            per_example = F.cross_entropy(logits, targets.expand(len(logits), -1),
                                          reduction="none")
            return per_example.mean(1)
        k, b, c = logits.shape
        per_example = F.cross_entropy(logits.reshape(k * b, c), targets.repeat(k),
                                      reduction="none")
        return per_example.view(k, b).mean(1)

    def step(self) -> list:
        """One step of every trainer; returns their ``StepResult``s in order."""
        idxs = [t.batches.next() for t in self.trainers]
        idx = idxs[0]
        if any(not torch.equal(idx, other) for other in idxs[1:]):
            # Not in step after all (cannot happen via the group runner): stay correct.
            return [t.step_on(i) for t, i in zip(self.trainers, idxs)]
        inputs, targets = self.task.train.take(idx)
        if self._mlp:
            values = self._mlp_gradients(tuple(inputs), targets)
        else:
            stacked = {n: torch.stack([p[n] for p in self._params]) for n in self.names}
            losses = self._losses(self._forward(stacked, tuple(inputs)), targets)
            for params in self._params:   # what zero_grad(set_to_none=True) does, minus
                for p in params.values():  # its per-call profiler record
                    p.grad = None
            losses.sum().backward()
            values = losses.tolist()
        return [t.apply_gradients(v, len(idx)) for t, v in zip(self.trainers, values)]

    def _mlp_gradients(self, inputs: tuple, targets: torch.Tensor) -> list[float]:
        """Losses of all k runs; each run's ``.grad`` is left holding its own gradient."""
        if self._leaves is None or any(self._homes.get(id(t)) is not self
                                       for t in self.trainers):
            self._rehome()
        leaves = self._leaves
        if self._by_hand is not None:
            losses, grads = losses_and_grads(self._by_hand, leaves, inputs[0], targets)
        else:
            for w in leaves.values():
                w.grad = None
            losses = self._losses(self._forward(leaves, inputs), targets)
            losses.sum().backward()
            grads = {name: w.grad for name, w in leaves.items()}
        for name, g in grads.items():
            for params, part in zip(self._params, g.unbind(0)):
                params[name].grad = part
        return losses.tolist()

    def _rehome(self) -> None:
        """Make run i's parameter ``name`` the slice ``W_name[i]`` of one stacked leaf."""
        with torch.no_grad():
            leaves = {n: torch.stack([p[n].detach() for p in self._params]) for n in self.names}
        for name, w in leaves.items():
            for params, part in zip(self._params, w.unbind(0)):
                params[name].data = part     # same Parameter object, now stored inside w
            w.requires_grad_()
        for t in self.trainers:
            self._homes[id(t)] = self
        self._leaves = leaves


def _mlp_plan(model) -> list | None:
    """The layer list of a :class:`playground.models.MLP` as (kind, arg) pairs, or None
    for anything else."""
    from playground.models.mlp import MLP

    if type(model) is not MLP or model.features is not None:
        return None                  # input features: the vmap path runs the model itself
    plan = []
    for i, layer in enumerate(model.net):
        if isinstance(layer, torch.nn.Linear):
            plan.append(("linear", (f"net.{i}.weight", f"net.{i}.bias")))
        elif isinstance(layer, torch.nn.Dropout):
            plan.append(("dropout", layer.p))
        elif isinstance(layer, (torch.nn.ReLU, torch.nn.Tanh, torch.nn.Sigmoid, torch.nn.GELU,
                                torch.nn.Identity)):
            plan.append(("act", layer))
        else:
            return None
    return plan


def _batched_mlp(plan: list, stacked: dict, x: torch.Tensor) -> torch.Tensor:
    """Logits of k MLPs whose weights are stacked along dim 0, as [k, classes, batch].

    The first layer broadcasts the shared minibatch instead of copying it k times. The
    last one puts the classes before the batch: torch's log-softmax over a short last
    dimension (10 classes) runs row by row, ~8× slower for k·batch rows than over
    dimension 1 of [k, classes, batch], where it vectorises along the batch.
    """
    h = x
    last = max(i for i, (kind, _) in enumerate(plan) if kind == "linear")
    for i, (kind, arg) in enumerate(plan):
        if kind == "linear":
            w, b = stacked[arg[0]], stacked[arg[1]]
            if h.dim() == 2:   # the shared input: all k first layers as one matmul
                k, out, n_in = w.shape
                h = F.linear(h, w.reshape(k * out, n_in), b.reshape(k * out))
                h = h.view(len(x), k, out).transpose(0, 1)
                if i == last:
                    h = h.transpose(1, 2)
            elif i == last:
                h = torch.baddbmm(b.unsqueeze(2), w, h.transpose(1, 2))
            else:
                h = torch.baddbmm(b.unsqueeze(1), h, w.transpose(1, 2))
        elif kind == "act":
            h = arg(h)
        else:
            h = F.dropout(h, arg, training=True)
    return h
