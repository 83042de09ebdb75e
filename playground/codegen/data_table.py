"""A table's data as code: scikit-learn's example or the user's file read with the app's
own functions (copied in), the rows with a missing value dropped, the seeded split, then
the features standardised / one-hot encoded from the training rows, as the app does."""
from __future__ import annotations

from playground.data import tables
from playground.data.tables import read, table as table_module

from .data_dense import DENSE_SPLITS, SPLIT
from .sections import DataCode, Section, fill, public_source
from .source import DataSource

_LOADERS = {"iris": "load_iris", "wine": "load_wine", "breast_cancer": "load_breast_cancer",
            "diabetes": "load_diabetes"}


def _example_section(config, p) -> Section:
    loader = _LOADERS[config.table]
    example = tables.EXAMPLES[config.table]
    if config.table == "diabetes":    # the raw measurements, as the app reads them
        target = "bunch.target"
        call = "load_diabetes(scaled=False)"
    else:
        target = "[str(bunch.target_names[i]) for i in bunch.target]"
        call = f"{loader}()"
    return Section(
        f"The data: {example.label}",
        f"{example.description} scikit-learn ships the table with the package (nothing "
        "is downloaded).",
        fill('''
            bunch = $CALL
            frame = pd.DataFrame(bunch.data, columns=list(bunch.feature_names))
            frame[$LABEL] = $TARGET
            ''', CALL=call, LABEL=repr(example.target), TARGET=target),
        ("import pandas as pd", f"from sklearn.datasets import {loader}"))


def _file_section(p, source: DataSource) -> Section:
    table = p.table
    helpers = (f"MISSING_TEXT = {tables.table.MISSING_TEXT!r}   # cells read as missing\n\n\n"
               + public_source(table_module.typed_column))
    if table.source == "Parquet":
        code = helpers + "\n\n" + public_source(read.frame_from_arrow) + "\n\n" + fill('''
            DATA_FILE = Path($FILE)
            frame = frame_from_arrow(pq.read_table(DATA_FILE, columns=$COLUMNS))
            ''', FILE=repr(source.file_name), COLUMNS=repr(table.columns))
        imports = ("import pandas as pd", "import pyarrow.parquet as pq", "from pathlib import Path")
        how = "Parquet, read by column with pyarrow (never unpickled)"
    else:
        code = helpers + "\n\n" + public_source(read.frame_from_cells) + "\n\n" + fill('''
            DATA_FILE = Path($FILE)
            cells = pd.read_csv(DATA_FILE, sep=$SEP, header=None, dtype=str, keep_default_na=False,
                                na_filter=False, skip_blank_lines=True, encoding="utf-8-sig")
            frame = frame_from_cells(cells)   # the first row names the columns
            ''', FILE=repr(source.file_name), SEP=repr(table.delimiter))
        imports = ("import pandas as pd", "from pathlib import Path")
        how = f"{table.source}, every cell read as text first"
    return Section(
        f"The data: your file {source.file_name}",
        f"Your upload, read with the app's rules ({how}): a column whose cells are all "
        "numbers becomes numbers, any other column text; empty cells, NA, NaN, null and ? "
        "are missing. Put the file next to this script or change `DATA_FILE`.",
        code, imports)


def _prepare_section(p) -> Section:
    regression = p.task == "regression"
    target = (fill('''
        values = frame[LABEL].to_numpy(dtype=np.float64)
        TARGET_MEAN, TARGET_STD = values[train_rows].mean(), values[train_rows].std()
        y = torch.from_numpy(((values - TARGET_MEAN) / TARGET_STD).astype(np.float32))  # standardised
        ''') if regression else fill('''
        CLASS_NAMES = sorted(frame[LABEL].unique().tolist())   # numbers ascending, text A-Z
        y = torch.from_numpy(frame[LABEL].map({c: i for i, c in enumerate(CLASS_NAMES)})
                             .to_numpy(dtype=np.int64))              # [rows] class ids
        '''))
    return Section(
        "Label and features",
        "The label column and the feature columns the app used. Rows with a missing value "
        "in them are dropped (the app trains only when there are none, or when you chose to "
        "drop them). Then the split, and the features from the **training rows only**: "
        "numbers standardised with their mean and standard deviation, text one-hot encoded "
        "over the categories seen in training; validation and test rows reuse those numbers.",
        fill('''
            LABEL = $LABEL
            FEATURES = $FEATURES
            frame = frame.dropna(subset=[LABEL, *FEATURES]).reset_index(drop=True)
            train_idx, val_idx, test_idx = split_indices(len(frame))
            train_rows = train_idx.numpy()

            inputs, input_names = [], []
            for name in FEATURES:
                column = frame[name]
                if pd.api.types.is_float_dtype(column.dtype):   # numbers: standardise
                    values = column.to_numpy(dtype=np.float64)
                    mean, std = float(values[train_rows].mean()), float(values[train_rows].std())
                    std = std if std > 0 else 1.0                # a constant column: centred only
                    inputs.append(((values - mean) / std)[:, None])
                    input_names.append(name)
                else:                                           # text: one column per category
                    categories = sorted(column.iloc[train_rows].dropna().unique().tolist())
                    inputs.append(np.stack([(column == c).to_numpy(dtype=np.float64)
                                            for c in categories], 1))
                    input_names += [f"{name}={c}" for c in categories]
            x = torch.from_numpy(np.concatenate(inputs, axis=1).astype(np.float32))  # [rows, $N]
            $TARGET
            ''', LABEL=repr(p.label), FEATURES=repr(p.features), N=len(p.input_names),
            TARGET=target),
        ("import numpy as np", "import pandas as pd", "import torch"))


def table_data(config, source: DataSource) -> DataCode:
    p = tables.prepared(config)
    if p.task == "regression":
        raise ValueError("Copy as PyTorch exports classification tables only, for now")
    read_section = (_example_section(config, p) if source.origin == "scikit-learn"
                    else _file_section(p, source))
    splits = Section("Training, validation and test sets", "Index the rows by the split.",
                     DENSE_SPLITS.replace("train_idx, val_idx, test_idx = split_indices(len(y))\n",
                                          ""))
    return DataCode((read_section, SPLIT, _prepare_section(p), splits),
                    n_classes=str(len(p.class_names)), n_features=str(len(p.input_names)),
                    take=f"xb, yb = x_train[batch], y_train[batch]     # [B, "
                    f"{len(p.input_names)}], [B]", forward="model(xb)")
