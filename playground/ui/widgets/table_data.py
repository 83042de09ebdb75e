"""The sidebar's Data controls for "Your table": an example or an upload, the label,
what to predict, the features and the missing-value choice; each control has the
message slot its problems are shown in (the sidebar's own error style).

The values live in the setup's keys (``cfg_table``, ``cfg_label_column``, ...), so a
link, a preset or Run again sets them like any other field. Each widget is keyed by
the value it shows and only reports the user's choice into that key: a changed value
draws a fresh widget, never a write into a live one (see ``lr_control.py`` for why).
"""
from __future__ import annotations

import hashlib

import streamlit as st

from playground.config import RunConfig
from playground.data import tables, user_data
from playground.ui import state
from playground.ui.widgets.lr_control import key
from playground.ui.widgets.safe import md_escape
from playground.ui.widgets.setup_help import label
from playground.ui.widgets.table_report import table_report

UPLOAD_WIDGET = "tbl_upload"
TASK_LABELS = {"auto": "Auto", "classification": "Classes", "regression": "A number"}


def table_controls(drawer) -> None:
    """Draw the controls when the dataset is "Your table" (``drawer``: the sidebar's)."""
    if st.session_state.get(key("dataset")) != "table":
        return
    name = st.session_state.get(key("table"), "iris")
    if drawer.show("table"):
        _source_picker(name, drawer)
    try:
        table = tables.load_table(name)
    except tables.TableProblem:
        return          # said in the file's slot (the setup's check gives the message)
    label_now = st.session_state.get(key("label_column"), "") or table.default_label
    if drawer.show("label_column"):
        _select("label_column", _with(table.columns, label_now), label_now, drawer,
                then=_label_changed)
    if drawer.show("table_task"):
        _select("table_task", list(TASK_LABELS), st.session_state.get(key("table_task")),
                drawer, format_func=lambda t: TASK_LABELS.get(t, t), horizontal=True)
    if drawer.show("feature_columns"):
        _features(table, label_now, drawer)
    if drawer.show("drop_missing"):
        _missing(table, drawer)
    table_report(table, _config_now())


def _source_picker(name: str, drawer) -> None:
    uploads: dict = st.session_state.setdefault(state.TABLE_UPLOADS, {})
    options = list(tables.EXAMPLES) + [k for k in uploads if k not in tables.EXAMPLES]
    options = _with(options, name)

    def shown(n: str) -> str:
        if n in tables.EXAMPLES:
            return tables.EXAMPLES[n].label
        return f"Your file: {uploads[n]}" if n in uploads else f"An uploaded file ({n})"

    _select("table", options, name, drawer, format_func=shown, slot=False,
            then=_table_changed)
    st.file_uploader("Upload a table (CSV, TSV or Parquet, with a header row)",
                     type=["csv", "tsv", "txt", "parquet"], key=UPLOAD_WIDGET,
                     on_change=_uploaded, disabled=drawer.locked,
                     help=f"Up to {tables.MAX_BYTES // 2**20} MB and "
                     f"{tables.MAX_ROWS:,} rows; the first row names the columns. The file "
                     "stays on this server; the link names it by its content.")
    why = st.session_state.get(state.TABLE_UPLOAD_ERROR)
    if why:
        st.error(why, icon=":material/error:")
    drawer.slots["table"] = st.empty()


def _uploaded() -> None:
    """Keep the file by its content and point the setup at it (label and features back
    to their defaults: the new file has its own columns)."""
    file = st.session_state.get(UPLOAD_WIDGET)
    st.session_state[state.TABLE_UPLOAD_ERROR] = None
    if file is None:
        return
    try:
        content = user_data.put(file.getvalue())
    except ValueError as exc:
        st.session_state[state.TABLE_UPLOAD_ERROR] = md_escape(f"{file.name} was not kept: {exc}")
        return
    st.session_state.setdefault(state.TABLE_UPLOADS, {})[content] = file.name
    st.session_state[key("table")] = content
    _table_changed()


def _table_changed() -> None:
    """Another table has its own columns: the label and features back to its defaults."""
    st.session_state[key("label_column")] = ""
    st.session_state[key("feature_columns")] = ""


def _label_changed() -> None:
    """The new label leaves the chosen features (it cannot be both)."""
    label_now = st.session_state.get(key("label_column"), "")
    held = st.session_state.get(key("feature_columns"), "")
    kept = [f for f in (p.strip() for p in held.split(",")) if f and f != label_now]
    st.session_state[key("feature_columns")] = ",".join(kept)


def _widget_key(field: str, *shown) -> str:
    digest = hashlib.sha1(repr(shown).encode()).hexdigest()[:10]
    return f"tbl_{field}_{digest}"


def _select(field: str, options: list, value, drawer, format_func=str, horizontal=False,
            slot=True, then=None) -> None:
    """A selectbox (or radio) that reports the choice into the field's key (``then``
    runs after it: what the choice changes besides)."""
    index = options.index(value) if value in options else 0
    wkey = _widget_key(field, options, value)

    def chosen() -> None:
        st.session_state[key(field)] = st.session_state[wkey]
        if then is not None:
            then()

    kw = dict(index=index, key=wkey, on_change=chosen, disabled=drawer.locked,
              format_func=format_func, help=RunConfig.help(field))
    if horizontal:
        st.radio(label(field), options, horizontal=True, **kw)
    else:
        st.selectbox(label(field), options, **kw)
    if slot:
        drawer.slots[field] = st.empty()


def _features(table, label_now: str, drawer) -> None:
    held = st.session_state.get(key("feature_columns"), "")
    everything = [c for c in table.columns if c != label_now]
    chosen_now = [f.strip() for f in held.split(",") if f.strip()] or everything
    wkey = _widget_key("feature_columns", table.columns, label_now, held)

    def chosen() -> None:
        picked = st.session_state[wkey] or []
        st.session_state[key("feature_columns")] = (
            "" if picked == everything else ",".join(picked))

    st.multiselect(label("feature_columns"), _with(table.columns, *chosen_now),
                   default=chosen_now, key=wkey, on_change=chosen, disabled=drawer.locked,
                   help=RunConfig.help("feature_columns"))
    drawer.slots["feature_columns"] = st.empty()


def _missing(table, drawer) -> None:
    config = _config_now()
    try:
        label_col, features = tables.columns_used(table, tables.Setup.from_config(config))
    except tables.TableProblem:
        return
    report = tables.missing_report(table, [label_col] + features)
    if not report.any and not config.drop_missing:
        return
    st.caption(report.sentence())
    held = bool(st.session_state.get(key("drop_missing"), 0))
    wkey = _widget_key("drop_missing", held)

    def chosen() -> None:
        st.session_state[key("drop_missing")] = int(bool(st.session_state[wkey]))

    st.checkbox(label("drop_missing"), value=held, key=wkey, on_change=chosen,
                disabled=drawer.locked, help=RunConfig.help("drop_missing"))
    drawer.slots["drop_missing"] = st.empty()


def _config_now() -> RunConfig:
    values = {f: st.session_state.get(key(f)) for f in
              ("table", "label_column", "feature_columns", "drop_missing", "table_task",
               "val_fraction", "test_fraction", "seed")}
    config, _ = RunConfig.from_dict({k: v for k, v in values.items() if v is not None},
                                    base=RunConfig(dataset="table"))
    return config


def _with(options: list, *values) -> list:
    """``options`` plus any value not among them (a link's, shown so its error reads)."""
    return list(options) + [v for v in dict.fromkeys(values) if v and v not in options]
