"""Layer health: is each layer alive, saturated, and updated by the right amount?

Karpathy's makemore part 3 diagnostics, recorded live on the training thread every
``every`` steps (default :data:`HEALTH_EVERY`):

* per hidden layer (the output of each activation module), on a fixed probe batch of
  training examples, in eval mode: mean, std, a histogram, **saturated %** (tanh:
  |a| > 0.97; sigmoid: the same 0.97 of its range, |2a − 1| > 0.97) and **dead %**
  (ReLU units that output 0 on every probe example), plus the histogram of the loss
  gradient at the layer's output;
* per weight matrix (every parameter with ≥ 2 dimensions): grad:data =
  std(grad)/std(w) from the training step's own gradient, and update:data =
  log10(std(Δw)/std(w)) of the step that just happened (Δw is the optimizer's actual
  update, so Adam's per-parameter scaling shows). The usual guide is about −3.

Memory is bounded: the time series keep at most :data:`MAX_POINTS` points (every other
one is dropped when full). Readers get :class:`Health`, an immutable copy (numpy arrays
marked read-only, never live tensors).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

HEALTH_EVERY = 100         # steps between records: a record costs ≈ 1 ms (digits MLP), 3–4 steps
PROBE_EXAMPLES = 256       # training examples the activations are measured on
SATURATION = 0.97          # |tanh| above this (makemore part 3) counts as saturated
BINS = 30
MAX_POINTS = 400           # per series; the oldest half is thinned when full
SAMPLE = 2048              # activation values kept per layer for its histogram
UNIT_MARK = 0.5            # a unit saturated on more than half the probe batch is marked

# Activation modules whose output is a hidden layer, and what "the range" means for them.
ACTIVATIONS = {nn.Tanh: "tanh", nn.Sigmoid: "sigmoid", nn.ReLU: "relu", nn.GELU: "gelu",
               nn.Identity: "linear"}


def activation_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """(kind, module) of every activation module, in forward order."""
    out = []
    for module in model.modules():
        for cls, kind in ACTIVATIONS.items():
            if type(module) is cls:
                out.append((kind, module))
    return out


def weight_matrices(model: nn.Module) -> list[tuple[str, torch.Tensor]]:
    """(label, parameter) for every weight matrix: W1, W2 … in forward order, with the
    shape read as inputs → outputs (``W1 2→16``)."""
    out = []
    for p in model.parameters():
        if p.requires_grad and p.dim() >= 2:
            n_out, n_in = p.shape[0], int(np.prod(p.shape[1:]))
            if isinstance_embedding(model, p):
                n_in, n_out = p.shape[0], p.shape[1]
            out.append((f"W{len(out) + 1} {n_in}→{n_out}", p))
    return out


def isinstance_embedding(model: nn.Module, p: torch.Tensor) -> bool:
    return any(isinstance(m, (nn.Embedding, nn.EmbeddingBag)) and m.weight is p
               for m in model.modules())


def saturated_mask(kind: str, a: torch.Tensor) -> torch.Tensor | None:
    """Where an activation sits in its flat tails (None: the kind cannot saturate)."""
    if kind == "tanh":
        return a.abs() > SATURATION
    if kind == "sigmoid":
        return (2 * a - 1).abs() > SATURATION
    return None


@dataclass(frozen=True)
class LayerHealth:
    """One hidden layer at the last record."""
    name: str                    # "hidden 1 (tanh)"
    kind: str                    # tanh | sigmoid | relu | gelu | linear
    units: int
    mean: float
    std: float
    saturated: float | None      # share of (example, unit) pairs in the tails; None: n/a
    dead: float | None           # share of units that are 0 on the whole probe batch
    grad_std: float              # std of ∂loss/∂(layer output) on the probe batch
    unit_saturated: np.ndarray   # [units] share of probe examples saturating each unit
    unit_dead: np.ndarray        # [units] bool
    values: np.ndarray           # [≤ SAMPLE] activations (first probe examples), a copy
    grads: np.ndarray            # [≤ SAMPLE] ∂loss/∂(layer output) at the same places

    def histogram(self) -> tuple[np.ndarray, np.ndarray]:
        """(share of values per bin [BINS], bin edges [BINS + 1]) of the activations;
        computed when read, off the training thread."""
        return histogram(self.values, *RANGES.get(self.kind, (None, None)))

    def grad_histogram(self) -> tuple[np.ndarray, np.ndarray]:
        """Over ±(the 99th percentile of |gradient|): a few large values would otherwise
        squeeze every other one into the middle bin."""
        finite = np.abs(self.grads[np.isfinite(self.grads)])
        top = float(np.percentile(finite, 99)) if finite.size else 0.0
        if top <= 0:
            return histogram(self.grads)
        return histogram(np.clip(self.grads, -top, top), -top, top)


@dataclass(frozen=True)
class Health:
    """Every layer's health at the last record plus the bounded time series."""
    step: int                              # the step of the last record
    every: int
    layers: tuple[LayerHealth, ...]
    matrices: tuple[str, ...]              # W1 2→16, …
    grad_data: tuple[float, ...]           # per matrix, last record
    steps: np.ndarray                      # [points] steps of the series
    update_data: np.ndarray                # [points, matrices] log10(std(Δw)/std(w))
    act_std: np.ndarray                    # [points, layers]
    act_saturated: np.ndarray              # [points, layers] (NaN where n/a)
    act_dead: np.ndarray                   # [points, layers] (NaN where n/a)

    def csv(self) -> str:
        """The series as CSV: one row per record, one column per statistic."""
        head = ["step"] + [f"update_data_log10 {m}" for m in self.matrices]
        for layer in self.layers:
            head += [f"std {layer.name}", f"saturated {layer.name}", f"dead {layer.name}"]
        rows = [",".join(f'"{h}"' for h in head)]
        for i, step in enumerate(self.steps):
            cells = [str(int(step))] + [_cell(v) for v in self.update_data[i]]
            for j in range(len(self.layers)):
                cells += [_cell(self.act_std[i, j]), _cell(self.act_saturated[i, j]),
                          _cell(self.act_dead[i, j])]
            rows.append(",".join(cells))
        return "\n".join(rows) + "\n"


def _cell(v: float) -> str:
    return "" if not math.isfinite(v) else f"{v:.6g}"


def histogram(values: np.ndarray, lo: float | None = None, hi: float | None = None):
    v = values[np.isfinite(values)]
    if v.size == 0:
        return np.zeros(BINS), np.linspace(-1, 1, BINS + 1)
    if lo is None:
        lo, hi = float(v.min()), float(v.max())
        if hi - lo < 1e-12:
            lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(v, BINS, (lo, hi))
    return counts / v.size, edges


RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


def probe_layers(model: nn.Module, inputs: tuple, targets: torch.Tensor,
                 loss_fn=F.cross_entropy) -> list[LayerHealth]:
    """Forward the probe batch (eval mode) and backprop its loss to each layer's output
    only (``torch.autograd.grad``: the parameters' ``.grad`` of the training step are
    left alone)."""
    layers = activation_layers(model)
    outputs: list[torch.Tensor] = []
    hooks = [m.register_forward_hook(lambda _m, _i, out: outputs.append(out))
             for _, m in layers]
    # eval mode only matters with dropout; switching 7 modules back and forth costs
    # ≈ 0.1 ms a record, a tenth of it
    dropout = any(isinstance(m, nn.Dropout) for m in model.modules())
    was_training = model.training
    if dropout:
        model.eval()
    try:
        with torch.enable_grad():
            logits = model(*inputs)
            loss = loss_fn(logits, targets)     # the run's own loss (regression: MSE)
            grads = (torch.autograd.grad(loss, outputs, allow_unused=True)
                     if outputs and loss.requires_grad else [None] * len(outputs))
    finally:
        for h in hooks:
            h.remove()
        if dropout:
            model.train(was_training)
    out = []
    for i, ((kind, _), a, g) in enumerate(zip(layers, outputs, grads)):
        a = a.detach().reshape(a.shape[0], -1)                 # [examples, units]
        g = torch.zeros_like(a) if g is None else g.detach().reshape(a.shape)
        units = a.shape[1]
        sat = saturated_mask(kind, a)
        unit_sat = sat.float().mean(0) if sat is not None else torch.zeros(units)
        unit_dead = (a == 0).all(0) if kind == "relu" else torch.zeros(units, dtype=torch.bool)
        # one .tolist() for the four numbers: each .item() is a round trip (≈ 5 µs)
        mean, std, grad_std, saturated = torch.stack([
            a.mean(), a.std(), g.std(), unit_sat.mean()]).tolist()
        rows = max(1, SAMPLE // units)                          # first examples, all units
        out.append(LayerHealth(
            name=f"hidden {i + 1} ({kind})", kind=kind, units=units, mean=mean, std=std,
            saturated=saturated if sat is not None else None,
            dead=unit_dead.float().mean().item() if kind == "relu" else None,
            grad_std=grad_std, unit_saturated=_frozen(unit_sat.numpy()),
            unit_dead=_frozen(unit_dead.numpy()),
            values=_frozen(a[:rows].reshape(-1).numpy()),
            grads=_frozen(g[:rows].reshape(-1).numpy())))
    return out


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


class HealthRecorder:
    """Lives on the training thread beside the trainer; ``after_step`` after every step.

    The step before a record clones the weight matrices (a few KB for these models), so
    the record can measure the update that the next step makes."""

    def __init__(self, model: nn.Module, probe: tuple[tuple, torch.Tensor],
                 every: int = HEALTH_EVERY, loss_fn=F.cross_entropy):
        if every < 1:
            raise ValueError(f"layer health interval must be ≥ 1 step, got {every}")
        self.model, self.every, self.loss_fn = model, every, loss_fn
        self.probe_inputs, self.probe_targets = probe
        self.matrices = weight_matrices(model)
        n_layers = len(activation_layers(model))
        self._before: list[torch.Tensor] | None = None
        self._before_step = -1
        # preallocated series (one spare row): a record copies n rows, never rebuilds
        self._n = 0
        self._steps = np.zeros(MAX_POINTS + 1, dtype=np.int64)
        self._update = np.full((MAX_POINTS + 1, len(self.matrices)), np.nan)
        self._layer = np.full((3, MAX_POINTS + 1, n_layers), np.nan)   # std, saturated, dead
        self.latest: Health | None = None

    @classmethod
    def for_trainer(cls, trainer, every: int = HEALTH_EVERY) -> "HealthRecorder":
        split = trainer.task.train
        n = min(PROBE_EXAMPLES, len(split))
        inputs, targets = split.take(torch.arange(n))
        return cls(trainer.model, (inputs, targets), every, trainer.loss)

    def due(self, step: int) -> bool:
        return step % self.every == 0

    def after_step(self, step: int) -> Health | None:
        """Call with the number of steps done; returns a new :class:`Health` when one
        was recorded at this step."""
        health = None
        if step % self.every == 0 and step > 0:
            health = self.record(step)
        if (step + 1) % self.every == 0:
            self._before = [p.detach().clone() for _, p in self.matrices]
            self._before_step = step
        return health

    def record(self, step: int) -> Health:
        layers = probe_layers(self.model, self.probe_inputs, self.probe_targets, self.loss_fn)
        have_before = self._before is not None and self._before_step == step - 1
        # every std in one tensor and one .tolist(): [grad, Δw, w] per matrix
        stds = []
        for i, (_, p) in enumerate(self.matrices):
            w = p.detach()
            g = p.grad if p.grad is not None else torch.full_like(w, float("nan"))
            d = w - self._before[i] if have_before else torch.full_like(w, float("nan"))
            stds += [g.std(), d.std(), w.std()]
        values = torch.stack(stds).tolist() if stds else []
        grad_data, updates = [], []
        for i in range(len(self.matrices)):
            g, d, w = values[3 * i:3 * i + 3]
            grad_data.append(g / w if w > 0 else float("nan"))
            r = d / w if w > 0 else float("nan")
            updates.append(math.log10(r) if r > 0 and math.isfinite(r) else float("nan"))
        self._before = None
        n = self._n
        self._steps[n] = step
        self._update[n] = updates
        self._layer[:, n] = [[l.std for l in layers], [_nan(l.saturated) for l in layers],
                             [_nan(l.dead) for l in layers]]
        n += 1
        if n > MAX_POINTS:      # thin: keep every other point (the newest stays)
            keep = np.r_[n - 1 - np.arange(0, n, 2)[::-1]]
            self._steps[:len(keep)] = self._steps[keep]
            self._update[:len(keep)] = self._update[keep]
            self._layer[:, :len(keep)] = self._layer[:, keep]
            n = len(keep)
        self._n = n
        self.latest = Health(
            step=step, every=self.every, layers=tuple(layers),
            matrices=tuple(name for name, _ in self.matrices), grad_data=tuple(grad_data),
            steps=_frozen(self._steps[:n]), update_data=_frozen(self._update[:n]),
            act_std=_frozen(self._layer[0, :n]), act_saturated=_frozen(self._layer[1, :n]),
            act_dead=_frozen(self._layer[2, :n]))
        return self.latest


def _nan(v: float | None) -> float:
    return float("nan") if v is None else v
