import math

import pytest

from playground.config import ConfigError, InvalidConfig, RunConfig


def fields_of(errors):
    return [e.field for e in errors]


def test_default_config_is_valid():
    assert RunConfig().validate() == []


@pytest.mark.parametrize("field,value", [
    ("lr", 0.0), ("lr", -1.0), ("lr", math.inf), ("lr", math.nan),
    ("batch_size", -1), ("batch_size", 10_000),
    ("dropout", 1.0), ("dropout", -0.1),
    ("optimizer", "adamm"), ("init", "glorot"), ("activation", "swish"),
    ("scheduler", "plateau"), ("dataset", "mnist"), ("momentum", 1.0),
    ("beta2", 1.5), ("eps", 0.0), ("clip", -1.0), ("seed", -3), ("length", 0),
    ("eval_every", 0), ("width", 0), ("hidden_layers", 99), ("classes", 9),
    ("val_fraction", 0.9), ("n_samples", 3), ("gamma", 0.0), ("init_std", 0.0),
])
def test_each_bad_field_gets_its_own_message(field, value):
    errors = RunConfig().replace(**{field: value}).validate()
    assert field in fields_of(errors), errors
    msg = next(e for e in errors if e.field == field)
    # The message says what is wrong: a range, a choice or a limit, never just "invalid".
    assert any(w in msg.reason for w in ("must", "unknown", "between", "only", "leave")), msg


def test_every_problem_is_reported_at_once():
    cfg = RunConfig(lr=-1.0, batch_size=100_000, dropout=1.5, optimizer="nope", seed=-1)
    got = set(fields_of(cfg.validate()))
    assert {"lr", "batch_size", "dropout", "optimizer", "seed"} <= got


def test_batch_size_message_names_the_training_set_size():
    (err,) = RunConfig(dataset="spiral", n_samples=100, batch_size=500).validate()
    assert err.field == "batch_size" and "70" in err.reason and "full batch" in err.reason


def test_full_batch_is_allowed():
    assert RunConfig(batch_size=0).validate() == []


def test_checked_raises_with_all_errors():
    with pytest.raises(InvalidConfig) as exc:
        RunConfig(lr=0.0, dropout=2.0).checked()
    assert {e.field for e in exc.value.errors} == {"lr", "dropout"}


def test_dict_round_trip():
    cfg = RunConfig(dataset="digits", optimizer="nesterov", lr=0.0123, batch_size=0,
                    scheduler="step", clip=0.5, seed=7, dropout=0.25)
    again, errors = RunConfig.from_dict(cfg.to_dict())
    assert errors == [] and again == cfg


def test_query_round_trip_is_short_and_exact():
    cfg = RunConfig(lr=3e-4, optimizer="sgd", hidden_layers=3, noise=0.3)
    q = cfg.to_query()
    assert set(q) == {"dataset", "batch_size", "lr", "optimizer", "hidden_layers", "noise"}
    assert all(isinstance(v, str) for v in q.values())
    again, errors = RunConfig.from_query(q)
    assert errors == [] and again == cfg


def test_bad_query_values_are_reported_and_ignored():
    cfg, errors = RunConfig.from_query({"lr": "fast", "width": "3.5", "seed": ["1", "2"],
                                        "unknown": "x"})
    assert fields_of(errors) == ["lr", "width"]
    assert cfg.lr == RunConfig().lr and cfg.width == RunConfig().width and cfg.seed == 2
    assert all(isinstance(e, ConfigError) and e.reason for e in errors)


def test_every_field_has_a_tooltip():
    for name in RunConfig.field_names():
        assert len(RunConfig.help(name)) > 15, name


def test_a_message_never_comes_from_another_fields_invalid_value():
    for bad in (RunConfig(val_fraction=1e12), RunConfig(n_samples=-5),
                RunConfig(test_fraction=-3.0)):
        text = " ".join(str(e) for e in bad.validate())
        assert "batch_size" not in text and "training set has only" not in text, text
    # with valid data settings the batch check still speaks
    assert any(e.field == "batch_size" for e in RunConfig(batch_size=5000).validate())
