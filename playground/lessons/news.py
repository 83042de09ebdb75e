"""Lesson: news topics from a bag of word embeddings (the course notes' torchtext model).

The source is the course notes, after torchtext's text-classification tutorial:
EmbeddingBag (mean) → linear → 4 topics, the tutorial's U(−0.5, 0.5) init, SGD at
0.1, batch 64, embeddings of 64, gradients clipped to norm 0.1, and StepLR (γ 0.1)
stepped the tutorial's way — only after an epoch whose validation accuracy fell. The
evidence runs exactly that on the app's corpus, then each of the app's two
deviations beside it: the tutorial's own LR of 5 (the app's preset), and the Train
page's Step decay, which cuts the LR after every epoch.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from playground import data as data_registry
from playground.config import RunConfig
from playground.data import news_corpus, text

from .base import (DEVIATION, SOURCE, Deviation, Evidence, Finding, Lesson, Preset, Source,
                   Span, reproduced, shown, trainer_for)

EPOCHS = 10                         # the tutorial's EPOCHS
GAMMA = 0.1
NOTES = RunConfig(dataset="news", optimizer="sgd", lr=0.1, scheduler="none", clip=0.1,
                  batch_size=64, embed_dim=64, init="uniform", length_unit="epochs",
                  length=EPOCHS, eval_every=25, test_fraction=0.1)
TUTORIAL_LR = 5.0
# The Train page's schedules depend on the step alone: Step decay every epoch.
EVERY_EPOCH = NOTES.replace(scheduler="step", step_size=1, gamma=GAMMA)
PRESET = EVERY_EPOCH.replace(lr=TUTORIAL_LR)
AG_NEWS_STEPS_PER_EPOCH = 114_000 // 64   # 95% of AG_NEWS's 120,000 rows, batch 64

LR_FIVE = Deviation(
    "Learning rate 5 (the tutorial's, the app's preset)",
    "The built-in corpus is small: an epoch is a few dozen steps of 64 headlines, where "
    f"AG_NEWS gives about {AG_NEWS_STEPS_PER_EPOCH:,}. Clipped to norm 0.1, a step moves "
    "the weights by at most lr × 0.1 — 0.01 at lr 0.1 — so the notes' LR needs many "
    "epochs here; the tutorial's own lr 5 allows 0.5 a step.")
STEP_EVERY_EPOCH = Deviation(
    "Step decay after every epoch (the Train page's schedule)",
    "The app's schedules are a function of the step alone (so a live LR change keeps "
    "their shape): Step decay cannot wait for the validation accuracy to fall and cuts "
    "the LR ×0.1 after every epoch. At lr 0.1 the run is then over before it starts.")


def news_task(config: RunConfig, rows=None, source: str = ""):
    """The generated corpus (shared, cached) or the user's uploaded rows."""
    if rows is None:
        return data_registry.load(config)
    return text.build_task(rows, config, source=source or "uploaded CSV")


def train_epochs(tr, span: Span, cut_on_drop: bool) -> dict[str, list]:
    """Whole epochs, validation accuracy after each. With ``cut_on_drop`` the LR is cut
    ×γ after an epoch whose accuracy fell below the best so far — the tutorial's
    ``if total_accu > accu_val: scheduler.step()``; without it the trainer's own
    schedule runs."""
    out: dict[str, list] = {"epoch": [0], "val_accuracy": [tr.evaluate("val").accuracy],
                            "lr": [tr.lr], "cut_after": []}
    best = None
    for epoch in range(1, EPOCHS + 1):
        for _ in range(tr.steps_per_epoch):
            tr.step()
        acc = tr.evaluate("val").accuracy
        if cut_on_drop and best is not None and best > acc:
            tr.set_lr(tr.base_lr * GAMMA)
            out["cut_after"].append(epoch)
        else:
            best = acc if best is None else max(best, acc)
        out["epoch"].append(epoch)
        out["val_accuracy"].append(acc)
        out["lr"].append(tr.lr)
        span(epoch / EPOCHS)
    return out


def evidence(progress=None, source=None) -> Evidence:
    """``source``: None for the built-in corpus, or ``(rows, file name)`` from an upload."""
    rows, name = source if source else (None, "")
    task = news_task(NOTES, rows, name)
    split = "test" if len(task.test) else "val"
    plan = (("notes", "the notes: lr 0.1, cut when accuracy falls", NOTES, True),
            ("lr5", f"lr {TUTORIAL_LR:g}, cut when accuracy falls",
             NOTES.replace(lr=TUTORIAL_LR), True),
            ("every_epoch", "lr 0.1, cut after every epoch", EVERY_EPOCH, False))
    runs, trainers = {}, {}
    for i, (key, label, cfg, rule) in enumerate(plan):
        tr = trainer_for(cfg, task)
        runs[key] = train_epochs(tr, Span(progress, i / 3, (i + 1) / 3, f"training: {label}"),
                                 rule)
        runs[key]["label"] = [label]
        trainers[key] = tr
    acc = {k: tr.evaluate(split).accuracy for k, tr in trainers.items()}
    chance = 1 / task.n_classes
    steps = trainers["notes"].steps_per_epoch
    notes, lr5 = runs["notes"], runs["lr5"]
    # How far clipped steps can carry the weights when the LR is cut every epoch.
    reach = steps * NOTES.lr * NOTES.clip * sum(GAMMA ** k for k in range(EPOCHS))
    where = task.extra.get("source", "the corpus")

    notes_ok = acc["notes"] > chance + 0.25
    lr5_ok = acc["notes"] < acc["lr5"] < 1.0
    every_ok = acc["every_epoch"] < acc["notes"] - 0.2
    cuts = notes["cut_after"]
    findings = [
        Finding(SOURCE, "The notes' setup", notes_ok,
                f"On {where} ({len(task.train):,} training headlines, {steps} steps an "
                f"epoch, vocabulary {task.n_features:,} words) the notes' setup reached "
                f"{acc['notes']:.1%} {split} accuracy after {EPOCHS} epochs (chance "
                f"{chance:.0%}). "
                + (f"The rule cut the LR after epoch{'s' if len(cuts) > 1 else ''} "
                   f"{', '.join(map(str, cuts))}; " if cuts else
                   "Validation accuracy never fell, so the rule never cut the LR; ")
                + f"the last epoch still added "
                f"{notes['val_accuracy'][-1] - notes['val_accuracy'][-2]:+.1%} validation "
                "accuracy. " + reproduced(notes_ok)),
        Finding(DEVIATION, LR_FIVE.title, lr5_ok,
                f"At lr {TUTORIAL_LR:g} the same setup reached {acc['lr5']:.1%} {split} "
                f"accuracy — "
                f"{lr5['val_accuracy'][1]:.1%} validation accuracy after one epoch, against "
                f"{notes['val_accuracy'][1]:.1%} at 0.1 — and words shared between topics "
                "keep it below 100%. " + shown(lr5_ok)),
        Finding(DEVIATION, STEP_EVERY_EPOCH.title, every_ok,
                f"Cutting the LR after every epoch, lr 0.1 reached only "
                f"{acc['every_epoch']:.1%}: with {steps} steps of at most "
                f"{NOTES.lr * NOTES.clip:g} an epoch, the whole run can move the weights by "
                f"at most {reach:.2f}. " + shown(every_ok)),
    ]
    best = trainers["lr5"]
    confusion = confusion_matrix(best.model, getattr(task, split), task.n_classes)
    model = best.model
    model.eval()
    return Evidence(
        findings,
        numbers={"test_accuracy": acc["notes"], "lr5_test_accuracy": acc["lr5"],
                 "every_epoch_test_accuracy": acc["every_epoch"], "chance": chance,
                 "steps_per_epoch": steps, "vocabulary": task.n_features,
                 "lr_cuts": len(cuts), "reach_every_epoch": reach},
        series={**runs, "confusion": {"matrix": confusion, "classes": list(task.class_names),
                                      "model": [f"lr-{TUTORIAL_LR:g} model"]}},
        artifacts={"model": model, "vocab": task.extra["vocab"],
                   "class_names": list(task.class_names)})


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
    Source(
        "the course notes, after torchtext's text-classification tutorial",
        "tokens → `nn.EmbeddingBag` (mean, 64 dimensions) → linear → 4 topics; weights from "
        "U(−0.5, 0.5), biases 0 (the tutorial's `init_weights`); SGD at lr 0.1, batches of "
        "64, `clip_grad_norm_` 0.1; `StepLR` with γ 0.1, stepped as the tutorial does — only "
        f"after an epoch whose validation accuracy fell below the best; {EPOCHS} epochs.",
        "no accuracy of their own: the claim is that a bag of word embeddings, with no "
        "word order, tells the four topics apart far above chance (25%). The tutorial "
        "itself trains at lr 5 on AG_NEWS.",
        f"AG_NEWS cannot be downloaded at run time: the app trains on "
        f"{news_corpus.N_HEADLINES:,} generated headlines in its four topics (70% for "
        "training), or on your AG_NEWS-format CSV. The Train page cannot cut the LR on a "
        "validation signal: its notes' preset keeps 0.1 constant (the same run while the "
        "rule never cuts) and its lr-5 preset uses Step decay."),
    (Preset("Train: notes' setup", "train", {"config": NOTES, "start": True}),
     Preset("Train: lr 5", "train", {"config": PRESET, "start": True})),
    evidence, deviations=(LR_FIVE, STEP_EVERY_EPOCH), upload="news_csv", seconds=3)
