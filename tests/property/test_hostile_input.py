"""Hostile input: whatever a student pastes, types or uploads, the app answers with a
clear message naming what is wrong, and never with an exception.

Property-based (Hypothesis) over the three doors user data comes through:
- ``RunConfig.from_query`` / ``from_dict`` / ``validate`` (links, JSON, widgets);
- the upload parsers of the Lessons page (news CSV, names TXT);
- the Train page itself, opened with a random garbage link (AppTest).
"""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from playground.ui.widgets.safe import md_escape
from playground.ui import state
from playground.ui.widgets.setup_help import label
from playground.config import (ACTIVATIONS, INITS, LENGTH_UNITS, OPTIMIZERS, SCHEDULERS,
                               ConfigError, InvalidConfig, RunConfig)
from playground.data import DATASETS
from playground.data.names import MAX_NAME, NamesFileError, parse_names
from playground.data.news_csv import CsvFormatError, read_news_csv

FIELDS = RunConfig.field_names()
APP = "../../app.py"

# ------------------------------------------------------------------ strategies
# URL/JSON text: any unicode except lone surrogates (a browser cannot send those).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
numeric_text = st.one_of(
    st.sampled_from(["nan", "NaN", "inf", "-inf", "+inf", "Infinity", "1e400", "-1e400",
                     "1e-400", "0x10", "1_000", " 3 ", "", " ", "٣", "１２", "1,5", "--1",
                     "9" * 5000, "0." + "0" * 400 + "1", "True", "None", "[1, 2]", "\x00"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
)
scalar = st.one_of(
    st.none(), st.booleans(), text, numeric_text,
    st.integers(min_value=-10**400, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
)
any_value = st.one_of(scalar, st.lists(scalar, max_size=3),
                      st.dictionaries(text, scalar, max_size=2), st.tuples(scalar))
key = st.one_of(st.sampled_from(FIELDS), text)


def assert_errors_are_useful(errors: list) -> None:
    for err in errors:
        assert isinstance(err, ConfigError), err
        assert err.field in FIELDS, f"error names no real field: {err}"
        assert isinstance(err.reason, str) and err.reason.strip(), f"empty reason: {err!r}"


# ------------------------------------------------------------------ RunConfig
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(key, st.one_of(any_value, st.lists(text, max_size=3)), max_size=8))
@example({"lr": "nan", "batch_size": "1e400", "seed": "-1", "dataset": "🙂"})
@example({"lr": 10**400, "n_samples": float("inf"), "noise": float("nan"), "width": [1, 2]})
@example({"length": "9" * 5000, "eps": "1e-400", "dropout": True, "optimizer": None})
@example({"seed": 10**5000, "clip": -10**5000, "width": -(10**30)})
def test_from_dict_never_raises_and_every_error_names_a_field(data):
    config, errors = RunConfig.from_dict(data)
    assert isinstance(config, RunConfig)
    assert_errors_are_useful(errors)
    # fields that could not be parsed keep the default
    for err in errors:
        assert getattr(config, err.field) == getattr(RunConfig(), err.field)
    problems = config.validate()
    assert_errors_are_useful(problems)
    if problems:
        with pytest.raises(InvalidConfig) as info:
            config.checked()
        assert info.value.errors == problems and str(info.value)
    else:
        assert config.checked() is config


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(key, st.one_of(numeric_text, text, st.lists(st.one_of(numeric_text,
                                                                            text), max_size=3)),
                       max_size=10))
@example({"lr": ["0.1", "abc"], "batch_size": [], "dataset": ["spiral", "\x00"]})
def test_from_query_never_raises_and_every_error_names_a_field(params):
    config, errors = RunConfig.from_query(params)
    assert_errors_are_useful(errors)
    assert_errors_are_useful(config.validate())


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FIELDS), st.one_of(scalar, st.lists(scalar, max_size=2)))
def test_a_bad_value_in_any_field_is_reported_on_that_field(name, raw):
    """A value that is parsed but out of range, or not parsed at all, is reported on the
    field it was given for (and only there, if the rest of the config is the default)."""
    config, errors = RunConfig.from_dict({name: raw})
    reported = {e.field for e in errors + config.validate()}
    assert reported <= {name, "batch_size", "test_fraction"}, reported
    if not reported:
        assert not config.validate()


def _valid_configs():
    """Configs built field by field inside the documented ranges; invalid combinations
    (e.g. a batch bigger than the training set) are filtered out."""
    finite = dict(allow_nan=False, allow_infinity=False)
    return st.builds(
        RunConfig,
        dataset=st.sampled_from([d for d in DATASETS if d in ("spiral", "circle", "xor",
                                                             "gauss", "moons", "digits")]),
        n_samples=st.integers(50, 100_000), noise=st.floats(0, 2, **finite),
        classes=st.integers(2, 5), val_fraction=st.floats(0.05, 0.4, **finite),
        test_fraction=st.floats(0, 0.3, **finite), hidden_layers=st.integers(0, 8),
        width=st.integers(1, 1024), activation=st.sampled_from(ACTIVATIONS),
        dropout=st.floats(0, 0.99, **finite), init=st.sampled_from(list(INITS)),
        init_std=st.floats(1e-6, 100, **finite), embed_dim=st.integers(1, 256),
        context=st.integers(1, 16), optimizer=st.sampled_from(list(OPTIMIZERS)),
        lr=st.floats(1e-12, 1e4, **finite), momentum=st.floats(0, 0.999, **finite),
        beta1=st.floats(0, 0.999, **finite), beta2=st.floats(0, 0.999, **finite),
        alpha=st.floats(0, 0.999, **finite), eps=st.floats(1e-300, 1, **finite),
        weight_decay=st.floats(0, 10, **finite),
        rmsprop_momentum=st.floats(0, 0.999, **finite), adamw_decay=st.floats(0, 10, **finite),
        batch_size=st.integers(0, 300),
        length_unit=st.sampled_from(LENGTH_UNITS), length=st.integers(1, 10_000_000),
        scheduler=st.sampled_from(list(SCHEDULERS)), step_size=st.integers(1, 10_000),
        gamma=st.floats(1e-6, 1, **finite), clip=st.floats(0, 1e6, **finite),
        seed=st.integers(0, 2**31 - 1), eval_every=st.integers(1, 10_000),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(_valid_configs())
def test_valid_configs_round_trip_through_the_url_and_json(config):
    assume(not config.validate())
    back, errors = RunConfig.from_query(config.to_query())
    assert errors == [] and back == config
    # what a browser actually sends: every value as a one-element list of strings
    back, errors = RunConfig.from_query({k: [v] for k, v in config.to_query().items()})
    assert errors == [] and back == config
    back, errors = RunConfig.from_dict(config.to_dict())
    assert errors == [] and back == config
    assert back.validate() == []


@pytest.mark.parametrize("name", ["lr", "noise", "dropout", "eps", "gamma", "clip"])
@pytest.mark.parametrize("raw", [float("nan"), float("inf"), -float("inf"), "nan", "-inf"])
def test_non_finite_numbers_are_refused_by_name(name, raw):
    config, errors = RunConfig.from_dict({name: raw})
    problems = errors + config.validate()
    assert [e.field for e in problems] == [name]
    assert "finite" in problems[0].reason


# ------------------------------------------------------------------ uploads
def _only_documented_error(parse, error_type, data):
    """Run a parser; the only exception allowed out is its documented error, with a
    message a student can act on."""
    try:
        return parse(data)
    except error_type as exc:
        assert str(exc).strip(), "an upload error without a message"
        return None


hostile_bytes = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from([b"", b"\x00", b"\x00" * 1000, b"\xff\xfe", b"\xef\xbb\xbf", b"\n" * 500,
                     b"\xc3\x28", b'"' * 33, b'1,"unterminated\n' * 30,
                     b"1," + b"x" * 200_000 + b",y\n", b"a" * 300_000]),
    # plausible text with a hostile twist: NULs, CR-only line ends, stray quotes, unicode
    st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
             max_size=40).map(lambda lines: "\n".join(lines).encode("utf-8")),
)


def _csv_row_strategy():
    field = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
    return st.tuples(st.one_of(st.sampled_from(["1", "2", "3", "4"]), field), field, field)


@settings(max_examples=300, deadline=None)
@given(hostile_bytes)
def test_news_csv_upload_only_raises_its_own_error(data):
    rows = _only_documented_error(read_news_csv, CsvFormatError, data)
    if rows is not None:
        assert len(rows) >= 20
        assert all(label in (0, 1, 2, 3) and isinstance(t, str) and t for label, t in rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(_csv_row_strategy(), max_size=40), st.booleans())
def test_news_csv_rows_written_by_a_csv_writer_parse_back_or_are_explained(rows, crlf):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    data = buf.getvalue().encode("utf-8")
    parsed = _only_documented_error(read_news_csv, CsvFormatError, data)
    good = [r for r in rows if any(c.strip() for c in r)]
    if parsed is not None:
        assert len(parsed) == len(good)
        for (label, txt), (raw, title, desc) in zip(parsed, good):
            assert label == int(raw.strip()) - 1
            assert txt == f"{title.strip()} {desc.strip()}".strip()
    else:
        # it failed: either too few rows or a row with a bad class / empty text
        bad_row = any(r[0].strip() not in ("1", "2", "3", "4")
                      or not (r[1].strip() or r[2].strip()) for r in good)
        assert bad_row or len(good) < 20


def test_news_csv_error_messages_point_at_the_line():
    good = b'3,"Stocks up","Markets rallied."\n' * 25
    with pytest.raises(CsvFormatError, match="line 26, column 1: class must be 1"):
        read_news_csv(good + b'7,"x","y"\n')
    with pytest.raises(CsvFormatError, match="line 1.*header"):
        read_news_csv(b"label,title,description\n" + good)
    with pytest.raises(CsvFormatError, match="line 26.*not UTF-8"):
        read_news_csv(good + b'1,"caf\xe9","y"\n')
    with pytest.raises(CsvFormatError, match="empty"):
        read_news_csv(b"   \n\n")
    with pytest.raises(CsvFormatError, match="line 26: expected 3 columns"):
        read_news_csv(good + b"1,only two\n")
    assert len(read_news_csv(b"\xef\xbb\xbf" + good)) == 25   # a spreadsheet's BOM is fine


@settings(max_examples=300, deadline=None)
@given(hostile_bytes)
def test_names_upload_only_raises_its_own_error(data):
    names = _only_documented_error(parse_names, NamesFileError, data)
    if names is not None:
        assert len(names) >= 20
        assert all(n and n.isascii() and n.isalpha() and n.islower() and len(n) <= MAX_NAME
                   for n in names)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("abcdefghijklmnopqrstuvwxyzABCXYZ", min_size=1, max_size=MAX_NAME),
                min_size=0, max_size=60), st.sampled_from(["\n", "\r\n", "\r"]))
def test_names_in_any_case_and_line_ending_parse_back(names, newline):
    data = newline.join(f"  {n} " for n in names).encode()
    parsed = _only_documented_error(parse_names, NamesFileError, data)
    if len(names) >= 20:
        assert parsed == [n.lower() for n in names]
    else:
        assert parsed is None


def test_names_error_messages_name_the_lines():
    ok = b"\n".join([b"emma"] * 25)
    with pytest.raises(NamesFileError, match=r"line 26: 'o\\x00no'"):
        parse_names(ok + b"\no\x00no")
    with pytest.raises(NamesFileError, match="line 3: not UTF-8"):
        parse_names(b"ann\nbob\n\xff\xfe")
    with pytest.raises(NamesFileError, match="found 0 names"):
        parse_names(b"")
    with pytest.raises(NamesFileError, match=f"line 26: longer than {MAX_NAME}"):
        parse_names(ok + b"\n" + b"a" * 10_000)
    with pytest.raises(NamesFileError, match="limit"):
        parse_names(b"a\n" * (3 * 2**20))


# ------------------------------------------------------------------ the page
url_value = st.one_of(numeric_text, text,
                      st.sampled_from(["<script>alert(1)</script>", "**bold**", "$x$",
                                       "../../etc/passwd", "' OR 1=1 --", "%00", "🙂" * 50]))
url_params = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS + ("run", "page", "hide", "lock", "embed")),
              st.text("abcdefghij_", min_size=1, max_size=8)),
    st.one_of(url_value, st.lists(url_value, min_size=1, max_size=3)),
    min_size=1, max_size=8)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(url_params)
@example({"lr": "nan", "batch_size": "1e400", "dataset": "<script>alert(1)</script>",
          "run": "../../x", "seed": ["1", "-5"], "noise": "inf"})
@example({"optimizer": "🙂", "activation": "**bold**", "init": "", "scheduler": "$x$",
          "length_unit": "\x00"})
@example({"noise": "2", "classes": "9"})                    # outside the sliders' ranges
@example({"hidden_layers": "99999999999999999999999999"})   # more layers than a list holds
def test_a_pasted_garbage_link_never_crashes_the_train_page(clean_streamlit, params):
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Train"
    # every unparsable value in the link is named in the sidebar, as the sidebar calls it
    _, parse_errors = RunConfig.from_query(params)
    shown = " ".join(w.value for w in at.sidebar.warning) + " ".join(
        e.value for e in at.sidebar.error)
    for err in parse_errors:
        assert f"**{md_escape(label(err.field))}**" in shown, (err, shown)
    # the page keeps working: a rerun is clean and an invalid config disables Start
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    config = at.session_state[state.CONFIG]
    assert isinstance(config, RunConfig)
    assert at.button(key="btn_start").disabled == bool(config.validate())
    # user text never becomes markup: no HTML is injected anywhere on the page
    assert not any("<script>" in getattr(m, "value", "") for m in at.get("markdown")
                   if getattr(m.proto, "allow_html", False))

