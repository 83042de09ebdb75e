"""Preparing a table: label checks, missing rows, one-hot cap, train-only statistics."""
import numpy as np
import pytest

from playground.data.tables import (MAX_CATEGORIES, Setup, TableProblem, prepare,
                                    read_table)


def table(text: str):
    return read_table(text.encode())


def problem(tbl, **setup) -> TableProblem:
    with pytest.raises(TableProblem) as caught:
        prepare(tbl, Setup(**setup), 0.2, 0.1, 0)
    return caught.value


SMALL = "x,colour,y\n" + "".join(f"{i},{'red green blue'.split()[i % 3]},{i % 2}\n"
                                 for i in range(60))


def test_numeric_features_are_standardised_with_the_training_split_only():
    p = prepare(table(SMALL), Setup(label="y"), 0.2, 0.1, 0)
    train, val, _ = p.splits
    raw = np.arange(60, dtype=np.float64)
    mean, std = p.scaling["x"]
    assert mean == pytest.approx(raw[train].mean()) and std == pytest.approx(raw[train].std())
    assert mean != pytest.approx(raw.mean())      # not the whole table's mean
    col = p.input_names.index("x")
    assert p.x[train, col].mean() == pytest.approx(0, abs=1e-6)
    assert p.x[train, col].std() == pytest.approx(1, abs=1e-5)
    assert np.allclose(p.x[val, col], (raw[val] - mean) / std, atol=1e-5)
    assert any("training split's mean and standard deviation" in n for n in p.notes)


def test_text_features_are_one_hot_encoded():
    p = prepare(table(SMALL), Setup(label="y"), 0.2, 0.1, 0)
    assert p.input_names == ["x", "colour=blue", "colour=green", "colour=red"]
    assert p.x[:, 1:].sum(1).tolist() == [1.0] * 60
    assert p.class_names == ["0", "1"] and p.balance == {"0": 30, "1": 30}


WIDE = "id,x,y\n" + "".join(f"user{i},{i},{i % 2}\n" for i in range(60))


def test_a_text_column_over_the_one_hot_cap_is_left_out_and_named():
    p = prepare(table(WIDE), Setup(label="y"), 0.2, 0.1, 0)
    assert p.features == ["x"] and p.input_names == ["x"]
    assert any("'id' (60 values)" in n and str(MAX_CATEGORIES) in n for n in p.notes)


def test_a_chosen_column_over_the_cap_is_refused_with_its_name():
    err = problem(table(WIDE), label="y", features=("id", "x"))
    assert err.field == "feature_columns" and "'id' (60 values)" in str(err)


HOLES = "a,b,y\n" + "".join(f"{'' if i in (3, 7) else i},{'NA' if i == 7 else i},{i % 2}\n"
                            for i in range(40))


def test_missing_values_are_reported_by_column_and_row_then_dropped_on_request():
    err = problem(table(HOLES), label="y")
    assert err.field == "drop_missing"
    assert "2 of 40 rows" in str(err) and "'a': 2" in str(err) and "'b': 1" in str(err)
    assert "rows 4, 8" in str(err)
    p = prepare(table(HOLES), Setup(label="y", drop_missing=True), 0.2, 0.1, 0)
    assert len(p.y) == 38 and p.missing.rows == (4, 8)
    assert any("Dropped 2 rows" in n for n in p.notes)


def test_missing_values_in_unused_columns_do_not_count():
    p = prepare(table(HOLES), Setup(label="y", features=("b",), drop_missing=True),
                0.2, 0.1, 0)
    assert p.missing.rows == (8,) and len(p.y) == 39


def test_one_class_only_is_refused():
    err = problem(table("x,y\n" + "".join(f"{i},same\n" for i in range(40))), label="y")
    assert err.field == "label_column" and "one class only" in str(err)


def test_a_text_label_cannot_be_a_regression_target():
    err = problem(table(SMALL), label="colour", task="regression")
    assert err.field == "table_task" and "regression needs a numeric label" in str(err)


def test_too_few_rows_to_split():
    err = problem(table("x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(8))), label="y")
    assert "only 8 rows" in str(err) and "at least 20" in str(err)


def test_unknown_columns_and_a_label_among_the_features_are_named():
    assert "there is no column 'z'" in str(problem(table(SMALL), label="z"))
    err = problem(table(SMALL), label="y", features=("x", "q"))
    assert err.field == "feature_columns" and "'q'" in str(err)
    assert "cannot also be a feature" in str(problem(table(SMALL), label="y",
                                                     features=("x", "y")))


def test_a_numeric_label_with_many_values_is_regression_by_default():
    text = "x,price\n" + "".join(f"{i},{i * 1.5 + 3}\n" for i in range(60))
    p = prepare(table(text), Setup(), 0.2, 0.1, 0)
    train = p.splits[0]
    assert p.task == "regression" and p.class_names == ["price"]
    assert p.y.dtype == np.float32 and abs(float(p.y[train].mean())) < 1e-6
    assert p.target_mean == pytest.approx((np.arange(60) * 1.5 + 3)[train].mean())
    err = problem(table(text), task="classification")
    assert "60 distinct values" in str(err) and "Choose regression" in str(err)


def test_column_names_with_a_comma_cannot_be_listed_as_features():
    tbl = table('"a,b",c,y\n' + "".join(f"{i},{i},{i % 2}\n" for i in range(40)))
    assert prepare(tbl, Setup(label="y"), 0.2, 0.1, 0).features == ["a,b", "c"]
    err = problem(tbl, label="y", features=("a", "b", "c"))
    assert err.field == "feature_columns" and "with a comma ('a,b')" in str(err)
