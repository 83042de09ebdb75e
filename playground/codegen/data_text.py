"""The news-topics data as code: the generated corpus (or the user's CSV), the tokenizer,
the training-only vocabulary and the EmbeddingBag minibatches.

The corpus is rebuilt from the app's own word lists and generator functions
(``playground/data/news_corpus.py``), so the script sees the app's 6,000 headlines.
"""
from __future__ import annotations

from playground.data import news_corpus
from playground.data.text import AG_NEWS_CLASSES, MIN_FREQ

from .data_dense import SPLIT
from .sections import (DataCode, Section, fill, literal, public_name, public_source,
                       python_literal)
from .source import DataSource

_CORPUS_TABLES = ("_WORDS", "_SHARED", "_NEUTRAL", "_TITLES", "_DESCRIPTIONS",
                  "_NEUTRAL_VERBS", "_DAYS", "_NEUTRAL_TITLES")
_CORPUS_NUMBERS = ("N_HEADLINES", "CORPUS_SEED", "AMBIGUOUS_SLOT", "NEUTRAL_HEADLINE")


def _corpus_section() -> Section:
    numbers = "\n".join(f"{name} = {literal(getattr(news_corpus, name))}"
                        for name in _CORPUS_NUMBERS)
    tables = "\n".join(f"{public_name(name)} = {python_literal(getattr(news_corpus, name))}"
                       for name in _CORPUS_TABLES)
    functions = public_source(news_corpus._slot, news_corpus._headline, news_corpus._capital)
    code = (numbers + "\n\n" + tables + "\n\n\n" + functions + "\n\n" + fill('''
        rng = random.Random(CORPUS_SEED)
        rows = [(i % 4, headline(rng, i % 4)) for i in range(N_HEADLINES)]   # (topic, text)
        '''))
    return Section(
        "The data: 6,000 generated news headlines",
        "The app cannot download AG_NEWS, so it ships a generator: headlines assembled from "
        "topic word lists and templates by a fixed-seed `random.Random`, identical on every "
        "machine. Some slots take words two topics share (\"market\", \"court\", \"oil\") "
        "and a few headlines are topic-neutral, so 100% accuracy is out of reach.",
        code, ("import random",))


def _file_section(source: DataSource) -> Section:
    return Section(
        f"The data: your file {source.file_name}",
        "Your upload, read with the app's rules: AG_NEWS layout, no header, three quoted "
        "columns (class 1–4 = World, Sports, Business, Sci/Tech; title; description). Put "
        "the file next to this script or change `DATA_FILE`.",
        fill('''
            DATA_FILE = Path($FILE)


            def read_news_csv(path):
                """(topic 0-3, "title description") rows, blank lines skipped."""
                rows = []
                with open(path, newline="", encoding="utf-8-sig") as f:
                    for row in csv.reader(f, strict=True):
                        if not row or all(not cell.strip() for cell in row):
                            continue
                        label, title, description = row
                        text = f"{title.strip()} {description.strip()}".strip()
                        rows.append((int(label.strip()) - 1, text))
                return rows


            rows = read_news_csv(DATA_FILE)
            ''', FILE=f'"{source.file_name}"'),
        ("import csv", "from pathlib import Path"))


def news_data(config, source: DataSource) -> DataCode:
    data = _file_section(source) if source.from_file else _corpus_section()
    words = Section(
        "Words",
        "Lowercase, then split into words and single punctuation marks: "
        "\"U.S. wins!\" → u . s . wins !",
        fill('''
            TOKEN = re.compile(r"\\w+|[^\\w\\s]")
            CLASS_NAMES = $CLASSES


            def tokenize(text):
                return TOKEN.findall(text.lower())


            documents = [tokenize(text) for _, text in rows]
            labels = torch.tensor([label for label, _ in rows])
            ''', CLASSES=repr(list(AG_NEWS_CLASSES))),
        ("import re", "import torch"))
    vocab = Section(
        "The vocabulary",
        f"Every word seen at least {MIN_FREQ} times in the *training* documents, most "
        "frequent first (ties alphabetical); id 0 is `<unk>`, where every other word goes. "
        "Built from training only: a word the model never trained on must look unknown at "
        "test time too.",
        fill('''
            train_idx, val_idx, test_idx = split_indices(len(rows))
            MIN_FREQ = $MIN_FREQ   # words seen once are mostly typos and names: they become <unk>
            counts = Counter(t for i in train_idx.tolist() for t in documents[i])
            kept = [t for t, c in counts.items() if c >= MIN_FREQ and t != "<unk>"]
            itos = ["<unk>"] + sorted(kept, key=lambda t: (-counts[t], t))
            stoi = {t: i for i, t in enumerate(itos)}


            def encode(idx):
                """The documents ``idx`` as tensors of token ids (unknown words -> 0)."""
                return [torch.tensor([stoi.get(t, 0) for t in documents[i]], dtype=torch.long)
                        for i in idx.tolist()]


            x_train, y_train = encode(train_idx), labels[train_idx]
            x_val, y_val = encode(val_idx), labels[val_idx]
            x_test, y_test = encode(test_idx), labels[test_idx]
            print(f"{len(y_train):,} training, {len(y_val):,} validation, {len(y_test):,} test "
                  f"documents; a vocabulary of {len(itos):,} words")
            ''', MIN_FREQ=str(MIN_FREQ)),
        ("from collections import Counter", "import torch"))
    collate = Section(
        "Minibatches of documents",
        "`nn.EmbeddingBag` reads a minibatch as one flat tensor of every document's ids "
        "plus the offset where each document starts: documents of any length, no padding.",
        fill('''
            def collate(docs, labels, batch):
                """(flat token ids, offsets, labels) of the documents ``batch``, in order."""
                chosen = [docs[i] for i in batch.tolist()]
                lengths = torch.tensor([len(d) for d in chosen], dtype=torch.long)
                offsets = torch.zeros(len(chosen), dtype=torch.long)
                offsets[1:] = torch.cumsum(lengths, 0)[:-1]
                return torch.cat(chosen), offsets, labels[batch]
            '''),
        ("import torch",))
    return DataCode((data, words, SPLIT, vocab, collate), n_classes="len(CLASS_NAMES)",
                    n_features="len(itos)",
                    take="tokens, offsets, yb = collate(x_train, y_train, batch)",
                    forward="model(tokens, offsets)",
                    prepare_eval="tokens, offsets, y = collate(x, y, torch.arange(len(x)))",
                    eval_forward="model(tokens, offsets)")
