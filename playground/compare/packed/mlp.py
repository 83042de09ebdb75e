"""Forward and backward of k stacked MLPs written out by hand, without autograd.

A pack's batched pass is ~20 small tensor operations; through autograd each also
gets a graph node, saved tensors, a view or reshape node for every stacked weight and
an accumulation step, and the engine's bookkeeping costs more than the arithmetic of
these tiny layers. Written out, the same maths is one call per matmul, activation
derivative and bias sum (the formulas are the textbook ones: ∂L/∂W = δ·aᵀ,
∂L/∂b = Σ δ, δ ← (Wᵀδ) ⊙ f′). Tested against autograd.

Activations are kept feature-major, ``[k, features, batch]``: every layer is then one
batched matmul with no transposes to copy, and the logits come out as
``[k, classes, batch]``, where torch's log-softmax vectorises along the batch
(over a short last dimension it works row by row, ~8× slower).

Covers Linear layers with tanh, ReLU, sigmoid or no activation; anything else
(dropout, GELU) returns None from :func:`layers_of` and the pack uses autograd.
"""
from __future__ import annotations

import torch

# Derivative of each activation from its *output* y (what the forward keeps).
_BACKWARD = {
    "tanh": lambda g, y: torch.ops.aten.tanh_backward(g, y),
    "sigmoid": lambda g, y: torch.ops.aten.sigmoid_backward(g, y),
    "relu": lambda g, y: torch.ops.aten.threshold_backward(g, y, 0),
    "linear": lambda g, y: g,
}
_FORWARD = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
            "linear": lambda z: z}
_ACTIVATION_OF = {torch.nn.Tanh: "tanh", torch.nn.Sigmoid: "sigmoid", torch.nn.ReLU: "relu",
                  torch.nn.Identity: "linear"}

Layer = tuple[str, str, str | None]     # (weight name, bias name, activation after it)
_MINUS_ONE = torch.full((1, 1, 1), -1.0)   # subtracts the one-hot (expanded, read-only)


def layers_of(plan: list) -> list[Layer] | None:
    """The pack's layer plan as (weight, bias, activation) triples, or None when a layer
    is not covered here (dropout, GELU)."""
    layers: list[Layer] = []
    for kind, arg in plan:
        if kind == "linear":
            layers.append((arg[0], arg[1], None))
        elif kind == "act" and layers and layers[-1][2] is None:
            name = _ACTIVATION_OF.get(type(arg))
            if name is None:
                return None
            layers[-1] = (layers[-1][0], layers[-1][1], name)
        else:
            return None
    if not layers or layers[-1][2] is not None:
        return None        # the logits come straight from the last Linear
    return layers


@torch.no_grad()
def losses_and_grads(layers: list[Layer], stacked: dict[str, torch.Tensor], x: torch.Tensor,
                     targets: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Mean cross-entropy of each of the k MLPs on the shared minibatch ``x``, [k], and
    the gradient of each one's own loss w.r.t. its own weights, stacked like them."""
    b = len(x)
    outs: list[torch.Tensor] = []        # each layer's output, [k, features, batch]
    h = None
    for w_name, b_name, act in layers:
        w, bias = stacked[w_name], stacked[b_name]
        k, n_out, n_in = w.shape
        if h is None:   # the shared input: all k first layers as one matmul
            z = torch.addmm(bias.reshape(k * n_out, 1), w.reshape(k * n_out, n_in), x.t())
            z = z.view(k, n_out, b)
        else:
            z = torch.baddbmm(bias.unsqueeze(2), w, h)
        h = _FORWARD[act](z) if act else z
        outs.append(h)
    k, n_classes, _ = h.shape
    log_p = torch.log_softmax(h, dim=1)
    index = targets.view(1, 1, b).expand(k, 1, b)
    losses = log_p.gather(1, index).mean(2).view(k).neg_()

    # ∂(mean cross-entropy)/∂logits = (softmax − one-hot) / batch
    delta = log_p.exp_()
    delta.scatter_add_(1, index, _MINUS_ONE.expand(k, 1, b))
    delta.mul_(1.0 / b)
    grads: dict[str, torch.Tensor] = {}
    for i in range(len(layers) - 1, -1, -1):
        w_name, b_name, _ = layers[i]
        w = stacked[w_name]
        grads[b_name] = delta.sum(2)
        if i == 0:
            k_, n_out, n_in = w.shape
            grads[w_name] = torch.mm(delta.reshape(k_ * n_out, b), x).view(k_, n_out, n_in)
        else:
            grads[w_name] = torch.bmm(delta, outs[i - 1].transpose(1, 2))
            delta = _BACKWARD[layers[i - 1][2]](torch.bmm(w.transpose(1, 2), delta),
                                                outs[i - 1])
    return losses, grads
