"""The search's own settings: which fields, their ranges, the budget, sampler, pruning.

Every widget persists for the session (``persist_state``), so leaving the page and
coming back keeps the search being set up.
"""
from __future__ import annotations

import streamlit as st

from playground.config import INITS, OPTIMIZERS, RunConfig
from playground.data import is_regression
from playground.search.space import (MAX_FIELDS, MAX_GRID_POINTS, MAX_SEEDS, MAX_STEPS,
                                     MAX_TRIALS, OBJECTIVES, PRUNERS, SAMPLERS, SEARCHABLE,
                                     FieldRange, SearchSettings, objectives_for)
from playground.ui.widgets.boxes import INT_FORMAT, whole

PERSIST = "session"
BATCH_CHOICES = (8, 16, 32, 64, 128, 256)
SET_OPTIONS = {"optimizer": OPTIMIZERS, "init": INITS}
FIELD_HELP = {
    "lr": "Searched on a log scale: 1e-4 … 1 spends as many trials on each decade.",
    "batch_size": "A set of batch sizes to try.",
    "width": "Whole numbers in a range; only for models with hidden layers.",
    "hidden_layers": "How many hidden layers, a whole-number range.",
    "dropout": "A range in [0, 1); only for models with hidden layers.",
    "momentum": "Only SGD + momentum and Nesterov read it.",
    "weight_decay": "Searched on a log scale (the range cannot include 0).",
    "optimizer": "A set of update rules to try.",
    "init": "A set of initializations to try.",
}
SAMPLER_HELP = ("Grid: every combination of a few values per field, in order. Random: each "
                "trial draws every field afresh. TPE (Bayesian): after a few random trials, "
                "draws where the good trials so far are dense.")
PRUNER_HELP = ("Median rule: stop a trial whose objective so far is worse than the median of "
               "the other trials at the same step. Successive halving: at each rung (steps × "
               "3, × 9 …) keep only the best third going.")


def _defaults(name: str) -> None:
    spec = SEARCHABLE[name]
    if spec.kind in ("log", "float", "int") and not spec.choices:
        st.session_state.setdefault(f"se_{name}_lo", float(spec.low))
        st.session_state.setdefault(f"se_{name}_hi", float(spec.high))
    else:
        st.session_state.setdefault(f"se_{name}_set", list(spec.choices))


def _range(name: str) -> FieldRange:
    spec = SEARCHABLE[name]
    _defaults(name)
    if name == "batch_size":
        picked = st.multiselect(f"{spec.label}: values", BATCH_CHOICES, key=f"se_{name}_set",
                                persist_state=PERSIST, help=FIELD_HELP[name])
        return FieldRange(name, choices=tuple(sorted(picked)))
    if spec.kind == "choice":
        options = SET_OPTIONS[name]
        picked = st.multiselect(f"{spec.label}: values", list(options), key=f"se_{name}_set",
                                format_func=options.get, persist_state=PERSIST,
                                help=FIELD_HELP[name])
        return FieldRange(name, choices=tuple(picked))
    c = st.columns(2)
    fmt = "%g" if spec.kind != "int" else INT_FORMAT
    step = 1.0 if spec.kind == "int" else None
    lo = c[0].number_input(f"{spec.label}: from", key=f"se_{name}_lo", format=fmt, step=step,
                           persist_state=PERSIST, help=FIELD_HELP[name])
    hi = c[1].number_input(f"{spec.label}: to", key=f"se_{name}_hi", format=fmt, step=step,
                           persist_state=PERSIST, help=FIELD_HELP[name])
    if spec.kind == "int":
        lo, hi = whole(lo), whole(hi)
    return FieldRange(name, lo, hi)


def search_settings(config: RunConfig) -> SearchSettings:
    st.session_state.setdefault("se_fields", ["lr", "batch_size"])
    names = st.multiselect(
        "Fields to search", list(SEARCHABLE), key="se_fields", max_selections=MAX_FIELDS,
        format_func=lambda n: SEARCHABLE[n].label, persist_state=PERSIST,
        help=f"1 to {MAX_FIELDS} fields of the setup; every other field stays as the sidebar "
             "has it.")
    fields = tuple(_range(n) for n in names)
    with st.container(border=True):
        c = st.columns(4)
        sampler = c[0].selectbox("Sampler", list(SAMPLERS), format_func=SAMPLERS.get,
                                 key="se_sampler", persist_state=PERSIST, help=SAMPLER_HELP,
                                 index=2)
        trials = whole(c[1].number_input("Trials", 1, MAX_TRIALS, 16, key="se_trials",
                                         format=INT_FORMAT, persist_state=PERSIST,
                                         help="The budget: how many configurations to train."))
        steps = whole(c[2].number_input("Steps per trial", 1, MAX_STEPS, 500, key="se_steps",
                                        format=INT_FORMAT, step=100, persist_state=PERSIST,
                                        help="Optimizer steps each trial trains."))
        seeds = whole(c[3].number_input("Seeds per trial", 1, MAX_SEEDS, 1, key="se_seeds",
                                        format=INT_FORMAT, persist_state=PERSIST,
                                        help="Each trial trains this many seeds; its "
                                             "objective is their mean."))
        c = st.columns(3)
        choices = objectives_for(is_regression(config))
        if st.session_state.get("se_objective") not in choices:   # the task changed
            st.session_state.pop("se_objective", None)
        objective = c[0].selectbox("Objective", list(choices), format_func=OBJECTIVES.get,
                                   key="se_objective", persist_state=PERSIST,
                                   help="What a trial is judged by, measured on the "
                                        "validation split.")
        pruner = c[1].selectbox("Pruning", list(PRUNERS), format_func=PRUNERS.get,
                                key="se_pruner", persist_state=PERSIST, help=PRUNER_HELP)
        points = whole(c[2].number_input(
            "Grid points per range", 2, MAX_GRID_POINTS, 4, key="se_points",
            format=INT_FORMAT, persist_state=PERSIST, disabled=sampler != "grid",
            help="Grid only: how many values each range gets (sets use every value)."))
    return SearchSettings(fields=fields, sampler=sampler, trials=trials, steps=steps,
                          seeds=seeds, objective=objective, pruner=pruner, grid_points=points,
                          seed=config.seed)
