"""News topics: tokenizer, vocabulary, EmbeddingBag batching, CSV loader, generated corpus."""
from __future__ import annotations

import torch
import pytest
from torch import nn

from playground import data
from playground.config import RunConfig
from playground.data import news_csv, text
from playground.data.news_corpus import generated_corpus
from playground.data.news_csv import CsvFormatError, read_news_csv
from playground.training.trainer import Trainer
from playground.lessons import news as news_lesson
from playground.models import build_model
from playground.models.text import TextClassifier


# ------------------------------------------------------------------ tokenizer / vocabulary
def test_tokenizer_lowercases_and_splits_punctuation():
    assert text.tokenize("U.S. Stocks RALLY, again!") == [
        "u", ".", "s", ".", "stocks", "rally", ",", "again", "!"]
    assert text.tokenize("Zürich's 3rd") == ["zürich", "'", "s", "3rd"]
    assert text.tokenize("   ") == []


def test_vocab_min_freq_unk_and_order():
    docs = [["b", "a", "a"], ["c", "b", "a"], ["d"]]
    v = text.build_vocab(docs, min_freq=2)
    assert v.itos == ("<unk>", "a", "b")        # most frequent first, singletons dropped
    assert v.encode(["a", "c", "zzz", "b"]) == [1, 0, 0, 2]
    assert "c" not in v and "a" in v
    # ties broken alphabetically, so the ids never depend on document order
    assert text.build_vocab([["y", "x"]], 1).itos == text.build_vocab([["x", "y"]], 1).itos \
        == ("<unk>", "x", "y")
    with pytest.raises(ValueError):
        text.build_vocab(docs, min_freq=0)


def test_vocabulary_comes_from_the_training_split_only():
    from playground.data.base import split_indices

    cfg = RunConfig(dataset="news", val_fraction=0.2, test_fraction=0.2, seed=1)
    rows = [(i % 4, f"common word{i % 4} filler") for i in range(40)]
    _, _, test_idx = split_indices(len(rows), cfg.val_fraction, cfg.test_fraction, cfg.seed)
    held_out = test_idx[0].item()
    rows[held_out] = (3, "common onlyintest onlyintest onlyintest")
    task = text.build_task(rows, cfg, min_freq=1)
    vocab = task.extra["vocab"]
    assert "onlyintest" not in vocab                  # 3 occurrences, but none in training
    assert {"common", "filler", "word0"} <= set(vocab.itos)
    assert (task.test.tokens == 0).sum() == 3         # ... so the test split sees <unk>
    assert (task.train.tokens == 0).sum() == 0


# ------------------------------------------------------------------ EmbeddingBag batching
def test_take_matches_a_padded_reference():
    docs = [[1, 2, 3], [4], [5, 6], [7, 8, 9, 1], [2]]
    split = text.TextSplit(docs, [0, 1, 2, 3, 0])
    idx = torch.tensor([3, 0, 4, 1])
    (flat, offsets), y = split.take(idx)
    assert y.tolist() == [3, 0, 0, 1]
    assert offsets.tolist() == [0, 4, 7, 8]
    assert flat.tolist() == [7, 8, 9, 1, 1, 2, 3, 2, 4]

    torch.manual_seed(0)
    model = TextClassifier(vocab_size=10, embed_dim=5, n_classes=4)
    bag = model.embedding(flat, offsets)
    # Reference: pad every document to the longest, average only the real tokens.
    chosen = [docs[i] for i in idx.tolist()]
    width = max(map(len, chosen))
    padded = torch.tensor([d + [0] * (width - len(d)) for d in chosen])
    mask = torch.tensor([[1.0] * len(d) + [0.0] * (width - len(d)) for d in chosen])
    emb = nn.functional.embedding(padded, model.embedding.weight)
    reference = (emb * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    torch.testing.assert_close(bag, reference)
    torch.testing.assert_close(model(flat, offsets), model.fc(reference))


def test_all_returns_every_document_in_order():
    docs = [[1, 2], [3], [4, 5, 6]]
    split = text.TextSplit(docs, [2, 1, 0])
    (flat, offsets), y = split.all()
    (flat2, offsets2), y2 = split.take(torch.arange(3))
    assert flat.tolist() == flat2.tolist() and offsets.tolist() == offsets2.tolist()
    assert y.tolist() == y2.tolist() == [2, 1, 0]


# ------------------------------------------------------------------ CSV loader
GOOD = ('"3","Wall St. Bears Claw Back","Reuters - Short-sellers, Wall Street\'s dwindling band"\n'
        '"4","NASA, ESA plan probe","The space agencies said on Monday ""soon"""\n') * 12


def test_csv_good_bytes_and_path(tmp_path):
    rows = read_news_csv(GOOD.encode())
    assert len(rows) == 24
    assert rows[0][0] == 2 and rows[1][0] == 3          # classes 1–4 become 0–3
    assert "short-sellers, wall street" in rows[0][1].lower()   # commas inside quotes kept
    assert '"soon"' in rows[1][1]
    path = tmp_path / "train.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())     # a BOM from a spreadsheet export
    assert read_news_csv(path) == rows


@pytest.mark.parametrize("payload, words", [
    (b"", ["empty"]),
    (b"  \n\n", ["empty"]),
    (b'"1","only two"\n', ["line 1", "3 columns", "found 2"]),
    (GOOD.encode() + b'"2","a","b","c"\n', ["line 25", "found 4"]),
    (b'"Class Index","Title","Description"\n' + GOOD.encode(), ["line 1", "column 1", "header"]),
    (GOOD.encode() + b'"7","x","y"\n', ["line 25", "class must be 1", "'7'"]),
    (GOOD.encode() + b'"2","",""\n', ["line 25", "empty"]),
    (b'"1","t","d"\n' * 5, ["only 5 rows"]),
])
def test_csv_errors_name_what_and_where(payload, words):
    with pytest.raises(CsvFormatError) as info:
        read_news_csv(payload)
    for w in words:
        assert w in str(info.value)


def test_csv_non_utf8_names_the_line():
    data = GOOD.encode() + '"1","Café","crème"\n'.encode("latin-1")
    with pytest.raises(CsvFormatError, match=r"line 25, column \d+.*not UTF-8.*0xe9"):
        read_news_csv(data)
    assert issubclass(CsvFormatError, ValueError)


def test_csv_huge_input_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(news_csv, "MAX_BYTES", 1000)
    with pytest.raises(CsvFormatError, match="MB; the limit"):
        read_news_csv(GOOD.encode() * 10)
    path = tmp_path / "big.csv"
    path.write_bytes(GOOD.encode() * 10)
    with pytest.raises(CsvFormatError, match="MB; the limit"):
        read_news_csv(path)


def test_csv_broken_quote_and_missing_file(tmp_path):
    with pytest.raises(CsvFormatError, match="line"):
        read_news_csv(GOOD.encode() + b'"1","unterminated title,"desc"\n' + b'"2","a","b"\n' * 3)
    with pytest.raises(CsvFormatError, match="no such file"):
        read_news_csv(tmp_path / "missing.csv")


# ------------------------------------------------------------------ generated corpus + model
def test_generated_corpus_is_deterministic_balanced_and_large():
    corpus = generated_corpus()
    assert corpus == generated_corpus.__wrapped__()      # same text when regenerated
    assert len(corpus) >= 4000
    counts = [sum(1 for c, _ in corpus if c == k) for k in range(4)]
    assert max(counts) - min(counts) <= 1
    assert len({t for _, t in corpus}) > 0.8 * len(corpus)   # mostly distinct headlines


def test_news_dataset_is_registered_and_builds_a_text_model():
    cfg = news_lesson.PRESET
    assert "news" in data.DATASETS and cfg.validate() == []
    task = data.load(cfg)
    assert task.kind == "tokens" and task.model_kind == "text" and task.n_classes == 4
    assert task.class_names == ["World", "Sports", "Business", "Sci/Tech"]
    model = build_model(cfg, task)
    assert isinstance(model, TextClassifier)
    assert model.embedding.mode == "mean" and model.embedding.embedding_dim == cfg.embed_dim


def test_text_model_beats_chance_after_a_short_run():
    cfg = news_lesson.PRESET.replace(length=1)
    tr = Trainer(cfg)
    before = tr.evaluate("test")
    for _ in range(tr.steps_per_epoch):
        tr.step()
    after = tr.evaluate("test")
    assert after.accuracy > 0.6 > before.accuracy + 0.2
    assert after.loss < before.loss


def test_topic_probabilities_for_a_typed_headline():
    cfg = news_lesson.PRESET.replace(length=2)
    tr = Trainer(cfg)
    for _ in range(tr.total_steps):
        tr.step()
    vocab = tr.task.extra["vocab"]
    probs, known, total = news_lesson.topic_probabilities(
        tr.model, vocab, "NASA launch satellite software")
    assert abs(sum(probs) - 1) < 1e-5 and known == total == 4
    assert max(range(4), key=probs.__getitem__) == 3            # Sci/Tech
    probs, known, total = news_lesson.topic_probabilities(tr.model, vocab, "qwxz blorp")
    assert known == 0 and total == 2 and abs(sum(probs) - 1) < 1e-5
