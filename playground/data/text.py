"""Text classification data: tokenizer, vocabulary, and EmbeddingBag-ready splits.

As in the course's torchtext lecture, a document is a bag of token ids: a minibatch
is one flat tensor of every document's ids plus the offset where each document
starts, which is exactly what ``nn.EmbeddingBag`` consumes — no padding needed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import torch

from .base import TaskData, split_indices

UNK = "<unk>"
MIN_FREQ = 2   # words seen once in training are mostly typos and names: map them to <unk>
AG_NEWS_CLASSES = ["World", "Sports", "Business", "Sci/Tech"]

# Words (letters/digits of any script) or any single punctuation character.
_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Lowercase and split into words and punctuation: "U.S. wins!" → u . s . wins !"""
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Vocab:
    """Token ↔ id. Id 0 is ``<unk>``: every token not in the table maps there."""

    itos: tuple[str, ...]

    def __post_init__(self):
        object.__setattr__(self, "_stoi", {t: i for i, t in enumerate(self.itos)})

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: str) -> bool:
        return token in self._stoi

    def index(self, token: str) -> int:
        return self._stoi.get(token, 0)

    def encode(self, tokens: Iterable[str]) -> list[int]:
        return [self._stoi.get(t, 0) for t in tokens]


def build_vocab(documents: Iterable[Sequence[str]], min_freq: int = MIN_FREQ,
                max_size: int | None = None) -> Vocab:
    """Vocabulary of tokens seen at least ``min_freq`` times, most frequent first.

    Ties are broken alphabetically so the same documents always give the same ids.
    Build it from the *training* split only: a word the model never trained on must
    look unknown at test time too.
    """
    if min_freq < 1:
        raise ValueError(f"min_freq must be at least 1, got {min_freq}")
    counts = Counter(t for doc in documents for t in doc)
    kept = sorted((t for t, c in counts.items() if c >= min_freq and t != UNK),
                  key=lambda t: (-counts[t], t))
    if max_size is not None:
        kept = kept[: max(0, max_size - 1)]
    return Vocab((UNK, *kept))


class TextSplit:
    """Documents stored as one flat id tensor plus start offsets (CSR layout)."""

    def __init__(self, ids: Sequence[Sequence[int]], labels: Sequence[int]):
        if len(ids) != len(labels):
            raise ValueError(f"{len(ids)} documents but {len(labels)} labels")
        lengths = torch.tensor([len(d) for d in ids], dtype=torch.long)
        self.bounds = torch.zeros(len(ids) + 1, dtype=torch.long)
        self.bounds[1:] = torch.cumsum(lengths, 0)
        self.tokens = torch.tensor([t for d in ids for t in d], dtype=torch.long)
        self.y = torch.as_tensor(list(labels), dtype=torch.long)

    def __len__(self) -> int:
        return len(self.y)

    def take(self, idx: torch.Tensor) -> tuple[tuple[torch.Tensor, torch.Tensor], torch.Tensor]:
        """((flat token ids, offsets), labels) for the documents ``idx``, in that order."""
        idx = torch.as_tensor(idx, dtype=torch.long)
        starts, ends = self.bounds[idx], self.bounds[idx + 1]
        lengths = ends - starts
        offsets = torch.zeros(len(idx), dtype=torch.long)
        if len(idx) > 1:
            offsets[1:] = torch.cumsum(lengths, 0)[:-1]
        total = int(lengths.sum())
        # Position i of the output belongs to document d = repeat(lengths); its source
        # index is start[d] + (i - offset[d]): one vectorized gather, no Python loop.
        doc = torch.repeat_interleave(torch.arange(len(idx)), lengths)
        src = starts[doc] + torch.arange(total) - offsets[doc]
        return (self.tokens[src], offsets), self.y[idx]

    def all(self) -> tuple[tuple[torch.Tensor, torch.Tensor], torch.Tensor]:
        return (self.tokens, self.bounds[:-1].clone()), self.y


def encode_batch(texts: Sequence[str], vocab: Vocab) -> tuple[torch.Tensor, torch.Tensor]:
    """(flat ids, offsets) for raw strings, e.g. a headline typed by the user."""
    docs = [vocab.encode(tokenize(t)) for t in texts]
    split = TextSplit(docs, [0] * len(docs))
    return split.all()[0]


def build_task(rows: Sequence[tuple[int, str]], config, name: str = "news",
               class_names: Sequence[str] = AG_NEWS_CLASSES, source: str = "",
               min_freq: int = MIN_FREQ) -> TaskData:
    """Split labelled texts by the config's seed, build the vocabulary from training only."""
    docs = [tokenize(text) for _, text in rows]
    labels = [label for label, _ in rows]
    tr, va, te = split_indices(len(rows), config.val_fraction, config.test_fraction, config.seed)
    vocab = build_vocab((docs[i] for i in tr.tolist()), min_freq=min_freq)

    def split(ix: torch.Tensor) -> TextSplit:
        ix = ix.tolist()
        return TextSplit([vocab.encode(docs[i]) for i in ix], [labels[i] for i in ix])

    return TaskData(name=name, kind="tokens", n_features=len(vocab),
                    n_classes=len(class_names), class_names=list(class_names),
                    train=split(tr), val=split(va), test=split(te), model_kind="text",
                    extra={"vocab": vocab, "source": source, "n_documents": len(rows)})
