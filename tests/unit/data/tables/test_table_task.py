"""The "Your table" dataset end to end: examples, uploads by key, the config's checks,
the regression contract, training, and a search trial in a worker process."""
import pytest

from playground import data as datasets
from playground.config import RunConfig
from playground.data import user_data
from playground.data.tables import EXAMPLES, example_table

TABLE = RunConfig(dataset="table", table="iris", width=16)
UPLOAD = ("size,weight,kind\n" + "".join(
    f"{i % 10},{(i * 7) % 13},{'cat' if i % 10 < 5 else 'dog'}\n" for i in range(120))).encode()


def problems(config) -> dict:
    return {e.field: e.reason for e in config.validate()}


def test_example_tables_carry_scikit_learns_column_names():
    from sklearn import datasets as sk   # only here: the app reads the files directly

    for name, load in (("iris", sk.load_iris), ("wine", sk.load_wine),
                       ("breast_cancer", sk.load_breast_cancer), ("diabetes", sk.load_diabetes)):
        bunch, table = load(), example_table(name)
        assert table.columns[:-1] == [str(f) for f in bunch.feature_names]
        assert len(table) == len(bunch.target)
        if name != "diabetes":    # scikit-learn scales diabetes; the app reads the raw file
            assert table.frame.iloc[:, :-1].to_numpy() == pytest.approx(bunch.data)
    assert example_table("iris").frame["species"].iloc[0] == "setosa"
    assert set(EXAMPLES) == {"iris", "wine", "breast_cancer", "diabetes"}


def test_iris_is_a_three_class_table_task():
    task = datasets.load(TABLE)
    assert (task.kind, task.model_kind, task.task) == ("table", "mlp", "classification")
    assert task.n_features == 4 and task.class_names == ["setosa", "versicolor", "virginica"]
    assert len(task.train) + len(task.val) + len(task.test) == 150


def test_diabetes_follows_the_regression_contract():
    task = datasets.load(TABLE.replace(table="diabetes"))
    assert task.is_regression and task.n_classes == 1 and task.class_names == ["progression"]
    _, y = task.train.all()
    assert str(y.dtype) == "torch.float32" and y.shape == (len(task.train),)
    assert abs(float(y.mean())) < 1e-5 and abs(float(y.std(unbiased=False)) - 1) < 1e-4
    assert 100 < task.extra["target_mean"] < 200 and task.extra["target_std"] > 50


def test_iris_trains_past_ninety_percent_validation_accuracy():
    from playground.training.trainer import Trainer

    trainer = Trainer(TABLE.replace(length=600, lr=0.01, batch_size=16))
    while not trainer.finished:
        trainer.step()
    assert trainer.evaluate("val").accuracy > 0.9


def test_an_upload_is_found_by_its_key_and_round_trips_in_the_link():
    key = user_data.put(UPLOAD)
    config = TABLE.replace(table=key, label_column="kind", feature_columns="size")
    assert problems(config) == {}
    again, errors = RunConfig.from_query(config.to_query())
    assert again == config and not errors
    task = datasets.load(again)
    assert task.n_features == 1 and task.class_names == ["cat", "dog"]
    assert task.extra["balance"] == {"cat": 60, "dog": 60}


def test_a_link_to_an_upload_this_server_never_saw_says_so():
    config = TABLE.replace(table="0123456789abcdef")
    assert "not on this server" in problems(config)["table"]


def test_bad_table_fields_are_named():
    assert "neither an example" in problems(TABLE.replace(table="../etc/passwd"))["table"]
    assert "0 or 1" in problems(TABLE.replace(drop_missing=2))["drop_missing"]
    assert "unknown value" in problems(TABLE.replace(table_task="cluster"))["table_task"]
    assert "there is no column" in problems(TABLE.replace(label_column="colour"))["label_column"]
    assert "regression needs a numeric label" in problems(
        TABLE.replace(table_task="regression"))["table_task"]


def test_other_datasets_ignore_the_table_fields():
    assert problems(RunConfig(dataset="spiral", table="nonsense", drop_missing=5)) == {}


def test_a_search_trial_in_a_worker_process_reads_the_upload_by_its_key():
    from playground.search.pool import WorkerPool
    from playground.search.space import FieldRange, SearchSettings
    from playground.search.study import run_search

    key = user_data.put(UPLOAD)
    config = TABLE.replace(table=key, label_column="kind")
    pool = WorkerPool(1)
    try:
        pool.start()
        settings = SearchSettings(fields=(FieldRange("lr", 1e-3, 1e-1),), sampler="random",
                                  trials=2, steps=40, checkpoints=1)
        _, records = run_search(config, settings, pool)
    finally:
        pool.close()
    assert [r.state for r in records] == ["complete", "complete"], [r.message for r in records]


def test_the_task_is_known_before_building():
    from playground.data.tables import task_of

    assert task_of(TABLE) == "classification"
    assert task_of(TABLE.replace(table="diabetes")) == "regression"
    assert task_of(TABLE.replace(table="diabetes", table_task="classification")) == \
        "classification"
    assert task_of(TABLE.replace(table="0123456789abcdef")) == "classification"
