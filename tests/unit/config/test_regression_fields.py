"""The regression loss fields: checked with their field named, carried by a link, and each
with a tooltip."""
from playground.config import RunConfig


def test_a_link_carries_the_regression_loss_and_its_delta():
    config = RunConfig(dataset="plane", regression_loss="huber", huber_delta=0.25)
    query = config.to_query()
    assert query["regression_loss"] == "huber" and query["huber_delta"] == "0.25"
    back, errors = RunConfig.from_query(query)
    assert back == config and errors == []
    assert "regression_loss" not in RunConfig(dataset="plane").to_query()   # the default


def test_bad_regression_settings_are_named():
    errors = {e.field: e.reason for e in RunConfig(regression_loss="l1", huber_delta=0.0)
              .validate()}
    assert "choose one of mse, huber" in errors["regression_loss"]
    assert errors["huber_delta"] == "must be in (0, 100], got 0"
    _, parse = RunConfig.from_query({"huber_delta": "wide"})
    assert [e.field for e in parse] == ["huber_delta"]


def test_every_regression_field_explains_itself():
    assert "Huber" in RunConfig.help("regression_loss")
    assert "δ" in RunConfig.help("huber_delta")
