"""What a loss surface needs from a run: its path through weight space, as copies."""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

from playground.runs.status import Status


@dataclass(frozen=True)
class RunTrace:
    """Copies of what one run recorded; safe to use from any thread."""
    run_id: str
    label: str
    optimizer: str
    config: object
    task: object = field(repr=False)
    steps: tuple[int, ...]
    points: torch.Tensor = field(repr=False)   # (n, P) flattened weights, finite
    note: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.run_id, self.steps[-1])


def capture_record(record) -> RunTrace:
    """The trajectory and final weights of a paused or ended run, as copies.

    Taken under the run's lock (:meth:`RunRecord.capture`): the trajectory and the
    weights copy belong together, and nothing here can write into the live model.
    """
    if record.status in (Status.QUEUED, Status.RUNNING):
        raise ValueError(f"run {record.run_id} is {record.status.value}; pause it (or let it "
                         "finish) before drawing its surface")
    trainer = record.trainer
    if trainer is None:
        raise ValueError(f"run {record.run_id} has not started training yet")
    steps, points, weights, weights_step = record.capture()
    if weights is not None and (not steps or steps[-1] != weights_step):
        names = [n for n, _ in trainer.model.named_parameters()]
        current = torch.cat([weights[n].reshape(-1) for n in names])
        steps = [*steps, weights_step]
        points = current.unsqueeze(0) if not len(points) else torch.cat(
            [points, current.unsqueeze(0)])
    if not len(steps):
        raise ValueError(f"run {record.run_id} has no recorded checkpoints yet")
    finite = torch.isfinite(points).all(dim=1)
    note = ""
    if not bool(finite.all()):
        note = (f"{int((~finite).sum())} checkpoint(s) with non-finite weights were left out "
                "(the run diverged); the path ends at the last finite one")
        keep = finite.nonzero().flatten().tolist()
        steps = [steps[i] for i in keep]
        points = points[finite]
    if len(steps) < 2:
        raise ValueError(f"run {record.run_id} has fewer than two usable checkpoints; "
                         "train it for a few more steps first")
    cfg = record.config
    return RunTrace(record.run_id, record.label, cfg.optimizer, cfg, trainer.task,
                    tuple(steps), points, note)
