"""The two directions that span a plane through weight space, and projections onto it.

Two kinds of plane (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"):

* **PCA of the trajectory**: the top two principal directions of (θ_i − θ_origin). The
  recorded path lies as close to this plane as any plane can make it.
* **Filter-normalized random directions**: Gaussian directions whose every row (one
  output unit's incoming weights) is rescaled to the norm of the matching row of θ,
  with 1-D parameters (biases) zeroed. Without this, a direction's effect depends on
  the arbitrary scale of each layer (scale invariance of ReLU nets), and pictures of
  different networks cannot be compared.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

_EPS = 1e-10


def split_flat(flat: torch.Tensor, shapes: list[torch.Size]) -> list[torch.Tensor]:
    """Views of a flat vector, one per parameter shape (registration order)."""
    out, pos = [], 0
    for shape in shapes:
        n = int(torch.Size(shape).numel())
        out.append(flat[pos:pos + n].view(shape))
        pos += n
    if pos != flat.numel():
        raise ValueError(f"flat vector has {flat.numel():,} numbers but the shapes need {pos:,}")
    return out


def filter_normalize(direction: torch.Tensor, theta: torch.Tensor,
                     shapes: list[torch.Size]) -> torch.Tensor:
    """A copy of ``direction`` with each row of every ≥2-D parameter rescaled to the norm
    of the same row of ``theta``, and every 1-D parameter zeroed."""
    out = direction.clone()
    for d, t in zip(split_flat(out, shapes), split_flat(theta, shapes)):
        if d.dim() < 2:
            d.zero_()
            continue
        d2, t2 = d.reshape(d.shape[0], -1), t.reshape(t.shape[0], -1)
        scale = t2.norm(dim=1, keepdim=True) / (d2.norm(dim=1, keepdim=True) + _EPS)
        d2.mul_(scale)
    return out


def random_directions(theta: torch.Tensor, shapes: list[torch.Size], seed: int
                      ) -> tuple[torch.Tensor, torch.Tensor]:
    """Two filter-normalized Gaussian directions, reproducible from ``seed``."""
    g = torch.Generator().manual_seed(int(seed))
    d1 = torch.randn(theta.numel(), generator=g, dtype=theta.dtype)
    d2 = torch.randn(theta.numel(), generator=g, dtype=theta.dtype)
    return filter_normalize(d1, theta, shapes), filter_normalize(d2, theta, shapes)


@dataclass(frozen=True)
class PCAPlane:
    d1: torch.Tensor
    d2: torch.Tensor
    explained: tuple[float, float]    # share of Σ‖θ_i − origin‖² along each direction


def pca_directions(points: torch.Tensor, origin: torch.Tensor) -> PCAPlane:
    """Top-2 principal directions of (points − origin), unit length.

    Deliberately *not* mean-centred: the plane must pass through ``origin`` (the final
    weights), and "explained" then reads as the share of the path's squared distance
    from the origin that the plane captures — the complement of what fidelity shows.
    Signs are fixed so the path's first point has negative coordinates (the walk goes
    towards +α, +β), making the picture reproducible.
    """
    diffs = (points - origin).double()
    if diffs.shape[0] < 2:
        raise ValueError("a PCA plane needs at least two recorded checkpoints; "
                         "train the run a few more steps")
    _, s, vh = torch.linalg.svd(diffs, full_matrices=False)
    total = float((s ** 2).sum())
    if total <= 0 or len(s) < 2 or float(s[1]) <= 1e-12 * float(s[0]):
        raise ValueError("the recorded path does not span two directions (the weights "
                         "barely moved); train longer or use random directions")
    dirs = [vh[0].clone(), vh[1].clone()]
    for k in range(2):
        if float(diffs[0] @ dirs[k]) > 0:
            dirs[k] = -dirs[k]
    explained = (float(s[0] ** 2) / total, float(s[1] ** 2) / total)
    return PCAPlane(dirs[0].to(points.dtype), dirs[1].to(points.dtype), explained)


@dataclass(frozen=True)
class Projection:
    coords: torch.Tensor      # (n, 2) plane coordinates (α, β)
    off_plane: torch.Tensor   # (n,) ‖θ_i − its projection‖
    from_origin: torch.Tensor  # (n,) ‖θ_i − origin‖


def project(points: torch.Tensor, origin: torch.Tensor, d1: torch.Tensor,
            d2: torch.Tensor) -> Projection:
    """Least-squares plane coordinates of each point (the directions need not be
    orthogonal or unit length, as random ones are not) and the distance left over."""
    basis = torch.stack([d1, d2], dim=1).double()          # (P, 2)
    diffs = (points - origin).double()                     # (n, P)
    gram = basis.T @ basis
    coords = torch.linalg.solve(gram, (diffs @ basis).T).T  # (n, 2)
    residual = diffs - coords @ basis.T
    return Projection(coords, residual.norm(dim=1), diffs.norm(dim=1))
