"""Lesson: news topics from a bag of word embeddings (the torchtext lecture).

The preset is the lecture's recipe: SGD at LR 5, the LR cut ×0.1 after every epoch,
gradients clipped to norm 0.1, batch 64, 64-dimensional embeddings, 5 epochs. (The
lecture's LR really is 5: with clipping at 0.1 every step moves the weights by at
most lr × 0.1, so at LR 0.1 the model barely leaves chance — the evidence measures
that too.)
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from playground import data as data_registry
from playground.config import RunConfig
from playground.data import text

from .base import Evidence, Lesson, Preset, Span, final, train, trainer_for

PRESET = RunConfig(dataset="news", optimizer="sgd", lr=5.0, scheduler="step", step_size=1,
                   gamma=0.1, clip=0.1, batch_size=64, embed_dim=64, length_unit="epochs",
                   length=5, eval_every=25, test_fraction=0.1)
SLOW_LR = 0.1


def news_task(config: RunConfig, rows=None, source: str = ""):
    """The generated corpus (shared, cached) or the user's uploaded rows."""
    if rows is None:
        return data_registry.load(config)
    return text.build_task(rows, config, source=source or "uploaded CSV")


def evidence(progress=None, source=None) -> Evidence:
    """``source``: None for the built-in corpus, or ``(rows, file name)`` from an upload."""
    rows, name = source if source else (None, "")
    task = news_task(PRESET, rows, name)
    runs, trainers = {}, {}
    for (label, cfg), (lo, hi) in zip(((f"lr {PRESET.lr:g}", PRESET),
                                       (f"lr {SLOW_LR:g}", PRESET.replace(lr=SLOW_LR))),
                                      ((0.0, 0.75), (0.75, 1.0))):
        tr = trainer_for(cfg, task)
        runs[label] = train(tr, tr.total_steps, Span(progress, lo, hi, f"training at {label}"),
                            every=max(1, tr.steps_per_epoch // 4))
        trainers[label] = tr
    best = trainers[f"lr {PRESET.lr:g}"]
    test = best.evaluate("test" if len(task.test) else "val")
    slow = trainers[f"lr {SLOW_LR:g}"].evaluate("test" if len(task.test) else "val")
    chance = 1 / task.n_classes
    confusion = confusion_matrix(best.model, task.test if len(task.test) else task.val,
                                 task.n_classes)
    observed = test.accuracy > chance + 0.25 and test.accuracy < 1.0
    verdict = (f"After {PRESET.length} epochs on {task.extra.get('source', 'the corpus')} "
               f"({len(task.train):,} training documents, vocabulary {task.n_features:,} words) "
               f"the bag-of-words model reached {test.accuracy:.1%} test accuracy (chance "
               f"{chance:.0%}); the same recipe at LR {SLOW_LR:g} reached {slow.accuracy:.1%}. "
               + ("Observed: far above chance, and the shared words keep it below 100%."
                  if observed else "Not observed this time."))
    model = best.model
    model.eval()
    return Evidence(observed, verdict,
                    numbers={"test_accuracy": test.accuracy, "test_loss": test.loss,
                             "slow_lr_test_accuracy": slow.accuracy, "chance": chance,
                             "vocabulary": task.n_features},
                    series={**{k: {"epoch": [s / best.steps_per_epoch for s in v["eval_step"]],
                                   "val_accuracy": v["eval_acc"], "val_loss": v["eval_loss"]}
                               for k, v in runs.items()},
                            "confusion": {"matrix": confusion,
                                          "classes": list(task.class_names)}},
                    artifacts={"model": model, "vocab": task.extra["vocab"],
                               "class_names": list(task.class_names),
                               "final_val_accuracy": final(runs[f"lr {PRESET.lr:g}"]["eval_acc"])})


@torch.no_grad()
def confusion_matrix(model, split, n_classes: int) -> list[list[int]]:
    """counts[true][predicted] on a split, in eval mode."""
    model.eval()
    inputs, targets = split.all()
    pred = model(*inputs).argmax(1)
    counts = torch.zeros(n_classes, n_classes, dtype=torch.long)
    counts.index_put_((targets, pred), torch.ones_like(targets), accumulate=True)
    return counts.tolist()


@torch.no_grad()
def topic_probabilities(model, vocab: text.Vocab, headline: str) -> tuple[list[float], int, int]:
    """(probability per topic, known words, total words) for a typed headline."""
    tokens = text.tokenize(headline)
    known = sum(1 for t in tokens if t in vocab)
    flat, offsets = text.encode_batch([headline], vocab)
    was = model.training
    model.eval()
    try:
        probs = F.softmax(model(flat, offsets), dim=1)[0].tolist()
    finally:
        model.train(was)
    return probs, known, len(tokens)


LESSON = Lesson(
    "news", "News topics from a bag of words",
    "Averaging the embeddings of a headline's words (nn.EmbeddingBag) and one linear layer "
    "classify news topics far above chance, with no word order at all. Words shared between "
    "topics (\"market\", \"court\", \"oil\") keep it below 100%.",
    (Preset("Open in Train", "train", {"config": PRESET, "start": True}),),
    evidence, upload="news_csv", seconds=2)
