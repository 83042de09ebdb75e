"""What the training-chapter lessons share: their source, their network, their presets.

The source is the course notes' training chapter ("The Little Book of Deep Learning"
notes). It states its claims without a model, a dataset or a number, so the app
supplies the setup: one small MLP (64 → 64 ReLU → 10) on scikit-learn's 8×8 digits,
trained for a few hundred to a couple of thousand steps — seconds on two cores.
"""
from __future__ import annotations

from playground.config import RunConfig

from .base import Preset, Source

BASE = RunConfig(dataset="digits", hidden_layers=1, width=64, activation="relu",
                 optimizer="sgd", lr=0.1, batch_size=32, length=1500, seed=0, eval_every=25)
CHAPTER = "the course notes' training chapter"
NO_SETUP = ("the chapter names no model, data or number, so the lesson measures the claim "
            "on the app's own setup (above) with 8×8 digits (1,797 images; 70% for "
            "training).")


def chapter_source(setup: str, claims: str) -> Source:
    """The training chapter as a lesson's source: the app's setup, the chapter's claim."""
    return Source(CHAPTER, setup, "no number; it claims " + claims, NO_SETUP)


def compare_preset(configs: dict[str, RunConfig]) -> Preset:
    return Preset("Open in Compare", "compare",
                  {"configs": list(configs.values()), "labels": list(configs), "start": True})
