"""A search space names the field at fault for every bad range."""
from playground.config import RunConfig
from playground.search.space import FieldRange, SearchSettings

DIGITS = RunConfig(dataset="digits")


def problems(*fields, base=DIGITS, **settings) -> dict[str, str]:
    return {e.field: e.reason for e in SearchSettings(fields=fields, **settings).validate(base)}


def test_a_good_space_has_no_problems():
    assert problems(FieldRange("lr", 1e-4, 1.0), FieldRange("batch_size", choices=(16, 64)),
                    FieldRange("optimizer", choices=("sgd", "adam"))) == {}


def test_an_inverted_range_is_named_by_its_field():
    assert "inverted" in problems(FieldRange("width", 64, 8))["width"]


def test_an_empty_range_and_an_empty_set_are_named():
    got = problems(FieldRange("dropout", 0.2, 0.2), FieldRange("init", choices=()))
    assert "empty" in got["dropout"] and "empty" in got["init"]


def test_a_log_range_through_zero_is_refused():
    assert "log range" in problems(FieldRange("lr", 0.0, 1.0))["lr"]


def test_more_grid_points_than_trials_is_refused():
    got = problems(FieldRange("lr", 1e-3, 1.0), FieldRange("batch_size", choices=(16, 32, 64)),
                   sampler="grid", grid_points=4, trials=8)
    assert "12 points" in got["trials"] and "8 trials" in got["trials"]


def test_a_field_the_model_does_not_read_is_refused():
    linear = DIGITS.replace(hidden_layers=0)
    assert "0 hidden layers" in problems(FieldRange("width", 8, 64), base=linear)["width"]
    assert "does not read momentum" in problems(FieldRange("momentum", 0.0, 0.9))["momentum"]
    news = RunConfig(dataset="news")
    assert "embedding bag" in problems(FieldRange("dropout", 0.0, 0.5), base=news)["dropout"]


def test_a_range_end_the_config_refuses_is_named():
    assert "not a valid dropout" in problems(FieldRange("dropout", 0.0, 1.0))["dropout"]


def test_the_grid_spreads_a_log_field_on_a_log_scale():
    lr = FieldRange("lr", 1e-4, 1.0).grid(5)
    assert [round(v, 10) for v in lr] == [1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    assert FieldRange("width", 8, 10).grid(5) == [8, 9, 10]
