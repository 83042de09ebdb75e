"""What a lesson is, and the small training loops its evidence is measured with.

A lesson states a claim and the **source** it comes from (that source's exact setup
and the number it reports, or the behaviour it claims where it reports none), lists
every **deviation** the app makes from that setup with its reason, carries the
preset(s) that demonstrate it, and has an ``evidence(progress, source=None)`` function
that runs short real computations (seconds, on the same Trainer the app uses).

The evidence returns :class:`Evidence`: a list of :class:`Finding` — first what the
source's own setup gave here, then one finding per deviation, measured side by side —
plus the numbers, the curves for the figures, and live artifacts. Nothing is
hard-coded: a finding can come out "not reproduced", and then the page says so. More
measurements (say, per-layer activation statistics) are more findings appended after
the deviations, with their numbers and series beside the others.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from playground.config import RunConfig
from playground.training.trainer import Trainer

SOURCE, DEVIATION, EXTRA = "source", "deviation", "extra"   # the roles of a finding


@dataclass(frozen=True)
class Preset:
    """One "Open" button: which page receives which hand-off payload."""

    label: str            # button text, e.g. "Open in Train"
    page: str             # hand-off target: "train" | "sweep" | "compare"
    payload: dict         # shapes documented in playground/ui/runtime.py


@dataclass(frozen=True)
class Source:
    """Where a lesson's claim comes from, and what that source itself says."""

    name: str             # "makemore part 2 (Andrej Karpathy)"
    setup: str            # its exact setup: the lesson's first preset and evidence use it
    reports: str          # the number it reports, or the behaviour it claims
    here: str = ""        # what the app cannot copy (the data, the length) and why


@dataclass(frozen=True)
class Deviation:
    """One place where the app's preset differs from the source's setup."""

    title: str            # what changes: "Xavier init (the app's default)"
    why: str              # why the app does it, and why the result moves


@dataclass(frozen=True)
class Finding:
    """One measured claim, in words written from this run's numbers."""

    role: str             # SOURCE, DEVIATION or EXTRA
    title: str            # a deviation's finding carries the deviation's title
    observed: bool
    text: str


@dataclass
class Evidence:
    findings: list[Finding]
    numbers: dict[str, float] = field(default_factory=dict)
    series: dict[str, dict[str, list]] = field(default_factory=dict)  # figures + download
    artifacts: dict[str, Any] = field(default_factory=dict)  # trained models etc. (not JSON)

    @property
    def observed(self) -> bool:
        """Every finding came out as claimed."""
        return bool(self.findings) and all(f.observed for f in self.findings)

    @property
    def verdict(self) -> str:
        return " ".join(f.text for f in self.findings)

    def to_json(self) -> dict:
        """Everything measured, for the download button (artifacts are live objects)."""
        # NaN ("never reached the target") is not valid JSON: write null instead.
        numbers = {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                   for k, v in self.numbers.items()}
        return {"observed": self.observed,
                "findings": [{"role": f.role, "title": f.title, "observed": f.observed,
                              "text": f.text} for f in self.findings],
                "numbers": numbers, "series": self.series}


def reproduced(observed: bool) -> str:
    """The closing words of a source finding."""
    return "Reproduced." if observed else "Not reproduced this time."


def shown(observed: bool) -> str:
    """The closing words of a deviation's finding."""
    return "Observed." if observed else "Not observed this time."


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    claim: str
    source: Source
    presets: tuple[Preset, ...]
    evidence: Callable[..., Evidence]
    deviations: tuple[Deviation, ...] = ()
    upload: str | None = None      # "news_csv" | "names_txt": evidence accepts your data
    seconds: float = 3.0           # rough cost of the evidence on two cores, for the UI


class Quiet:
    """Stands in for :class:`playground.jobs.Progress` when nobody is watching."""

    def update(self, fraction: float, message: str = "") -> None:
        pass

    def check(self) -> None:
        pass


class Span:
    """Maps a sub-computation's 0..1 progress into [lo, hi] of the whole evidence."""

    def __init__(self, progress, lo: float, hi: float, label: str):
        self.progress, self.lo, self.hi, self.label = progress or Quiet(), lo, hi, label

    def __call__(self, frac: float) -> None:
        self.progress.update(self.lo + (self.hi - self.lo) * frac, self.label)


def train(trainer: Trainer, steps: int, span: Span, every: int = 25,
          split: str = "val", on_eval: Callable[[Trainer], dict] | None = None,
          after_step: Callable[[int], None] | None = None) -> dict[str, list]:
    """Run ``steps`` optimizer steps, evaluating every ``every`` steps (and at 0 and the end).

    Returns lists keyed "step", "examples", "loss" (minibatch), "eval_step",
    "eval_loss", "eval_acc", plus whatever ``on_eval`` adds at each evaluation.
    Stops early (and says so in "diverged_at") if the loss explodes. ``after_step``
    hears every finished step's count (layer health records from it).
    """
    out: dict[str, list] = {"step": [], "examples": [], "loss": [], "eval_step": [],
                            "eval_examples": [], "eval_loss": [], "eval_acc": []}

    def evaluate() -> None:
        res = trainer.evaluate(split)
        out["eval_step"].append(trainer.step_count)
        out["eval_examples"].append(trainer.examples_seen)
        out["eval_loss"].append(res.loss)
        out["eval_acc"].append(res.accuracy)
        for k, v in (on_eval(trainer) if on_eval else {}).items():
            out.setdefault(k, []).append(v)

    evaluate()
    for i in range(steps):
        r = trainer.step()
        out["step"].append(r.step)
        out["examples"].append(r.examples)
        out["loss"].append(r.loss)
        if trainer.divergence(r.loss):
            out["diverged_at"] = [r.step]
            break
        if after_step is not None:
            after_step(r.step)
        if r.step % every == 0 or i == steps - 1:
            evaluate()
        if i % 50 == 0:
            span(i / steps)
    span(1.0)
    return out


def trainer_for(config: RunConfig, task=None) -> Trainer:
    return Trainer(config, task=task)


def first_below(steps: list[int], values: list[float], threshold: float) -> int | None:
    """The first step whose value is below ``threshold``, or None if it never gets there."""
    for s, v in zip(steps, values):
        if math.isfinite(v) and v < threshold:
            return s
    return None


def fmt_steps(n: int | None) -> str:
    return "never (within the budget)" if n is None else f"{n:,} steps"


def final(values: list[float]) -> float:
    return float(values[-1]) if values else float("nan")
