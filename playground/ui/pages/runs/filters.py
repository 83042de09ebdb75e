"""The Runs page's filters: search, dataset, optimizer, status, tag, dates, sort."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from playground.config import OPTIMIZERS
from playground.store import SORTABLE, RunFilter

SORT_LABELS = {"created": "started", "ended": "ended", "label": "name", "status": "status",
               "step": "steps", "lr": "learning rate", "final_loss": "final train loss",
               "final_val_loss": "final validation loss", "final_val_acc":
               "final validation accuracy", "best_val_loss": "best validation loss",
               "best_val_acc": "best validation accuracy", "test_acc": "test accuracy",
               "dataset": "dataset", "optimizer": "optimizer",
               "final_val_rmse": "final validation RMSE (regression)",
               "best_val_rmse": "best validation RMSE (regression)",
               "final_val_r2": "final validation R² (regression)",
               "best_val_r2": "best validation R² (regression)"}
KIND_LABELS = {"train": "Train", "compare": "Compare member", "sweep": "sweep trial",
               "lesson": "lesson evidence", "search": "search trial"}


def _day_start(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time()).timestamp()


def run_filter(store, owner: str | None) -> RunFilter:
    hidden = st.session_state.get("runs_hidden", False)
    menus = store.facets(owner, include_hidden=hidden)
    search = st.text_input("Search", key="runs_search", placeholder="name, tag, note or setting",
                           help="Finds runs whose name, tags, notes or settings contain this "
                                "text (e.g. 'adam', 'dropout', a note you wrote).")
    cols = st.columns(5)
    datasets = cols[0].multiselect("Dataset", menus["dataset"], key="runs_dataset",
                                   help="Only runs on these datasets (none = all).")
    optimizers = cols[1].multiselect("Optimizer", menus["optimizer"], key="runs_optimizer",
                                     format_func=lambda o: OPTIMIZERS.get(o, o),
                                     help="Only runs with these optimizers (none = all).")
    statuses = cols[2].multiselect("Status", menus["status"], key="runs_status",
                                   help="finished, stopped, diverged, failed, interrupted (the "
                                        "server stopped while it trained), or still live.")
    tag = cols[3].selectbox("Tag", [""] + menus["tag"], key="runs_tag",
                            format_func=lambda t: t or "any tag",
                            help="Only runs carrying this tag.")
    kinds = cols[4].multiselect("Kind", menus["kind"], key="runs_kind",
                                format_func=lambda k: KIND_LABELS.get(k, k),
                                help="Train runs, Compare members, sweep trials, lesson "
                                     "evidence.")
    cols = st.columns([2, 2, 1, 1.5], vertical_alignment="bottom")
    days = cols[0].date_input("Started between", value=(), key="runs_dates",
                              help="Only runs started on these days (pick the first and "
                                   "the last day).")
    sort = cols[1].selectbox("Sort by", list(SORTABLE), key="runs_sort",
                             format_func=SORT_LABELS.get,
                             help="Runs without that metric go last.")
    descending = cols[2].toggle("Highest first", value=True, key="runs_desc",
                                help="Newest / largest first; off for oldest / smallest.")
    cols[3].toggle("Lesson evidence", key="runs_hidden",
                   help="Also list the runs lessons trained to show their evidence "
                        "(hidden by default).")
    since = until = None
    if isinstance(days, (tuple, list)) and days:
        since = _day_start(days[0])
        until = _day_start(days[-1]) + 86400
    return RunFilter(owner=owner, datasets=tuple(datasets), optimizers=tuple(optimizers),
                     statuses=tuple(statuses), kinds=tuple(kinds), tag=tag or "",
                     search=search or "", since=since, until=until, include_hidden=hidden,
                     sort=sort or "created", descending=descending)
