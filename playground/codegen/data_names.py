"""The makemore data as code: census names (or the user's list), split by name, cut into
windows of the previous ``CONTEXT`` letters → the next letter.

Written the way makemore part 2 writes it (a Python loop over each name's letters); it
gives exactly the windows of the app's vectorized ``playground/data/names.py``, in the
same order.
"""
from __future__ import annotations

from playground.data.alphabet import ITOS

from .data_dense import SPLIT
from .sections import DataCode, Section, fill
from .source import DataSource

CENSUS_FILES = {"names": ("dist.female.first", "dist.male.first"),
                "surnames": ("dist.all.last",)}


def _census_section(config) -> Section:
    files = CENSUS_FILES[config.dataset]
    which = "first" if config.dataset == "names" else "last"
    joined = " + ".join(f'read_census("{f}")' for f in files)
    return Section(
        f"The data: US-census {which} names",
        "The census lists ship inside the `names` package (nothing is downloaded): one name "
        "per line, most frequent first. Keep the names made of a–z only, lowercased, each "
        "once.",
        fill('''
            CENSUS = Path(names_package.__file__).parent
            LETTERS = set("abcdefghijklmnopqrstuvwxyz")


            def read_census(file_name):
                words = []
                for line in (CENSUS / file_name).read_text(encoding="ascii").splitlines():
                    word = line.split(" ", 1)[0].strip().lower()
                    if word and set(word) <= LETTERS:
                        words.append(word)
                return words


            words = list(dict.fromkeys($JOINED))   # unique, in order
            ''', JOINED=joined),
        ("from pathlib import Path", "import names as names_package"))


def _file_section(source: DataSource) -> Section:
    return Section(
        f"The data: your file {source.file_name}",
        "Your upload, read with the app's rules: one name per line, letters a–z, blank "
        "lines skipped. Put the file next to this script or change `DATA_FILE`.",
        fill('''
            DATA_FILE = Path($FILE)
            lines = DATA_FILE.read_text(encoding="utf-8-sig").splitlines()
            words = [w for w in (line.strip().lower() for line in lines) if w]
            ''', FILE=f'"{source.file_name}"'),
        ("from pathlib import Path",))


def names_data(config, source: DataSource) -> DataCode:
    data = _file_section(source) if source.from_file else _census_section(config)
    windows = Section(
        "Windows: the previous letters → the next letter",
        "Names are split into training, validation and test sets *by name*, so validation "
        "measures names the model never saw. Each name then gives one example per letter "
        "plus one for its end: the last `CONTEXT` symbols ('.'-padded at the start) and the "
        "symbol that follows. '.' marks both the start and the end of a name.",
        fill('''
            itos = $ITOS   # symbol id -> symbol
            stoi = {ch: i for i, ch in enumerate(itos)}


            def build_windows(words):
                X, Y = [], []
                for word in words:
                    context = [0] * CONTEXT        # all '.': the start of a name
                    for ch in word + ".":
                        ix = stoi[ch]
                        X.append(context)
                        Y.append(ix)
                        context = context[1:] + [ix]
                return (torch.tensor(X, dtype=torch.long).reshape(-1, CONTEXT),   # [N, CONTEXT]
                        torch.tensor(Y, dtype=torch.long))                         # [N]


            train_idx, val_idx, test_idx = split_indices(len(words))
            x_train, y_train = build_windows([words[i] for i in train_idx.tolist()])
            x_val, y_val = build_windows([words[i] for i in val_idx.tolist()])
            x_test, y_test = build_windows([words[i] for i in test_idx.tolist()])
            print(f"{len(words):,} names: {len(y_train):,} training, {len(y_val):,} validation, "
                  f"{len(y_test):,} test windows")
            ''', ITOS=f'"{ITOS}"'),
        ("import torch",))
    return DataCode((data, SPLIT, windows), n_classes="len(itos)", n_features="CONTEXT",
                    take="xb, yb = x_train[batch], y_train[batch]     # [B, CONTEXT], [B]",
                    forward="model(xb)")
