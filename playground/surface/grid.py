"""Loss at many points θ(α, β) = θ₀ + α·d₁ + β·d₂ of a plane, fast.

The naive way (load each grid point's weights into the model, run a forward pass)
redoes the first layer's matmul at every point. But that layer's pre-activation is
*linear* in (α, β):

    W₁(α,β)·x + b₁(α,β) = (W₁⁰x + b₁⁰) + α·(D₁x + db₁) + β·(E₁x + eb₁)

so three products are computed once, and each grid point costs only an axpy for
that layer. The remaining layers run for a chunk of grid points at once with
batched matmuls (one weight matrix per grid point, ``baddbmm``). A plain
``vmap`` over grid points gains nothing on a CPU; this does, because it removes the
biggest matmul from the loop entirely.

Models that are not a plain stack of Linear layers and element-wise activations
(the lessons' embedding models) fall back to an exact per-point evaluation.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F

from playground.surface.directions import split_flat

# Elementwise modules the fast path may apply to a (grid, batch, features) tensor.
_ELEMENTWISE = (nn.ReLU, nn.Tanh, nn.Sigmoid, nn.GELU, nn.Identity, nn.Dropout,
                nn.LeakyReLU, nn.ELU, nn.SiLU, nn.Softplus)
# Hidden activations held per chunk (floats); small enough to stay in cache.
CHUNK_FLOATS = 1_500_000

ProgressFn = Callable[[float], None]


def linear_stack(model: nn.Module) -> list | None:
    """The model as [Linear | elementwise module, ...] in forward order, or None when
    it is anything else (then the fast path does not apply)."""
    seq = getattr(model, "net", None)
    if not isinstance(seq, nn.Sequential):
        return None
    # The fast path assumes parameters in registration order are (W, b) per Linear.
    if [id(p) for p in model.parameters()] != [id(p) for p in seq.parameters()]:
        return None
    plan = []
    for m in seq:
        if isinstance(m, nn.Linear) and m.bias is not None:
            plan.append(m)
        elif isinstance(m, _ELEMENTWISE):
            plan.append(m)
        else:
            return None
    if not plan or not isinstance(plan[0], nn.Linear):
        return None
    return plan


def _mean_ce(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy per grid point: logits (G, C, N), targets (N,) -> (G,)."""
    lse = torch.logsumexp(logits, dim=1)
    picked = logits.gather(1, targets.view(1, 1, -1).expand(logits.shape[0], 1, -1))
    return (lse - picked.squeeze(1)).mean(dim=1)


@torch.no_grad()
def plane_losses(model: nn.Module, theta0: torch.Tensor, d1: torch.Tensor,
                 d2: torch.Tensor, coords: torch.Tensor, inputs: tuple, targets: torch.Tensor,
                 progress: ProgressFn | None = None, workers: int = 1,
                 loss=F.cross_entropy) -> torch.Tensor:
    """Mean loss (cross-entropy, or a regression run's ``RegressionLoss``) at each
    (α, β) row of ``coords`` ((G, 2) tensor).

    ``model`` only supplies the architecture (and is used as scratch space by the
    fallback): pass a private copy, never a live run's model. ``workers`` > 1 splits
    the grid across that many threads (torch releases the GIL inside its kernels);
    with one intra-op thread each, this scales where intra-op threading stalls on a
    busy machine. The app uses 1 (one compute slot = one core).
    """
    model.eval()
    plan = linear_stack(model)
    if plan is None or len(inputs) != 1 or not inputs[0].is_floating_point():
        return _exact(model, theta0, d1, d2, coords, inputs, targets, progress, loss)
    if workers <= 1 or len(coords) < 2 * workers:
        return _fast(model, plan, theta0, d1, d2, coords, inputs[0], targets, progress, loss)
    parts = torch.tensor_split(coords, workers)
    done = [0.0] * workers

    def part(k: int) -> torch.Tensor:
        def report(frac: float) -> None:
            done[k] = frac * len(parts[k])
            if progress is not None and k == 0:   # progress is called from one thread
                progress(sum(done) / len(coords))
        return _fast(model, plan, theta0, d1, d2, parts[k], inputs[0], targets, report, loss)

    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(part, range(workers)))
    if progress is not None:
        progress(1.0)
    return torch.cat(results)


def grid_losses(model, theta0, d1, d2, alphas, betas, inputs, targets,
                progress: ProgressFn | None = None, workers: int = 1,
                loss=F.cross_entropy) -> torch.Tensor:
    """Loss on the grid: result[j, i] is at (alphas[i], betas[j]) — contour layout."""
    aa, bb = torch.meshgrid(torch.as_tensor(betas, dtype=torch.float64),
                            torch.as_tensor(alphas, dtype=torch.float64), indexing="ij")
    coords = torch.stack([bb.reshape(-1), aa.reshape(-1)], dim=1)
    values = plane_losses(model, theta0, d1, d2, coords, inputs, targets, progress, workers,
                          loss)
    return values.view(len(betas), len(alphas))


def _fast(model, plan, theta0, d1, d2, coords, x, targets, progress, loss) -> torch.Tensor:
    per_point = _mean_ce if loss is F.cross_entropy else loss.per_point   # (G, C, N) → (G,)
    shapes = [p.shape for p in model.parameters()]
    dtype = x.dtype
    p0, pa, pb = (split_flat(v.to(dtype), shapes) for v in (theta0, d1, d2))
    linears = [m for m in plan if isinstance(m, nn.Linear)]
    # per Linear: stacked (3, out, in) weights and (3, out) biases: base, dir 1, dir 2
    stacks = []
    for k in range(len(linears)):
        w = torch.stack([p0[2 * k], pa[2 * k], pb[2 * k]])
        b = torch.stack([p0[2 * k + 1], pa[2 * k + 1], pb[2 * k + 1]])
        stacks.append((w, b))
    # Activations are kept transposed, (grid, features, samples): the per-point
    # matmuls then have the long sample axis as their output columns, which runs
    # about twice as fast on a CPU as (samples, 10) outputs.
    # First layer, once: (3, h1, N) = base, α-part, β-part of the pre-activation.
    w1, b1 = stacks[0]
    first = torch.matmul(w1, x.T.contiguous()) + b1.unsqueeze(2)
    h1, n = first.shape[1], first.shape[2]
    first_flat = first.reshape(3, h1 * n)
    widest = max(m.out_features for m in linears)
    chunk = max(1, min(len(coords), CHUNK_FLOATS // max(1, n * widest)))
    coef = torch.cat([torch.ones(len(coords), 1, dtype=torch.float64),
                      coords.to(torch.float64)], dim=1).to(dtype)        # (G, 3)
    # Two ping-pong buffers reused by every chunk: fresh large allocations are
    # returned to the OS and page-faulted back in each time.
    bufs = [torch.empty(chunk * n * widest, dtype=dtype) for _ in range(2)]
    out = torch.empty(len(coords), dtype=dtype)
    total = len(coords)
    for start in range(0, total, chunk):
        c = coef[start:start + chunk]                                   # (g, 3)
        g = len(c)
        h = torch.mm(c, first_flat, out=bufs[0][:g * h1 * n].view(g, h1 * n)).view(g, h1, n)
        which, layer = 0, 0
        for m in plan[1:]:
            if isinstance(m, nn.Linear):
                layer += 1
                w, b = stacks[layer]
                n_out = w.shape[1]
                wg = torch.mm(c, w.reshape(3, -1)).view(g, n_out, w.shape[2])
                bg = torch.mm(c, b).view(g, n_out, 1).expand(g, n_out, n)
                which = 1 - which
                dst = bufs[which][:g * n_out * n].view(g, n_out, n)
                h = torch.baddbmm(bg, wg, h, out=dst)
            else:
                h = _activate(m, h)
        out[start:start + g] = per_point(h, targets)
        if progress is not None:
            progress(min(total, start + g) / total)
    return out


def _activate(m: nn.Module, h: torch.Tensor) -> torch.Tensor:
    """Apply an elementwise module, in place where torch allows it (saves a buffer)."""
    if isinstance(m, (nn.Dropout, nn.Identity)):   # eval mode: identity
        return h
    if isinstance(m, nn.ReLU):
        return h.relu_()
    if isinstance(m, nn.Tanh):
        return h.tanh_()
    if isinstance(m, nn.Sigmoid):
        return h.sigmoid_()
    return m(h)


def _exact(model, theta0, d1, d2, coords, inputs, targets, progress, loss) -> torch.Tensor:
    """Any model: set the weights for each point and run it (slow but always right)."""
    params = list(model.parameters())
    out = torch.empty(len(coords), dtype=torch.float32)
    total = len(coords)
    for i, (a, b) in enumerate(coords.tolist()):
        theta = theta0 + a * d1 + b * d2
        nn.utils.vector_to_parameters(theta.to(params[0].dtype), params)
        out[i] = loss(model(*inputs), targets)
        if progress is not None and (i % 16 == 15 or i == total - 1):
            progress((i + 1) / total)
    return out


@torch.no_grad()
def point_losses(model: nn.Module, points: torch.Tensor, inputs: tuple,
                 targets: torch.Tensor, loss=F.cross_entropy) -> torch.Tensor:
    """True loss at each full weight vector (rows of ``points``): the model itself, no
    plane involved. Used for the fidelity check."""
    model.eval()
    params = list(model.parameters())
    out = torch.empty(len(points), dtype=torch.float32)
    for i, theta in enumerate(points):
        nn.utils.vector_to_parameters(theta.to(params[0].dtype), params)
        out[i] = loss(model(*inputs), targets)
    return out
