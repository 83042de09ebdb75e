"""The sidebar config editor: RunConfig ⇄ widgets ⇄ URL query string.

One widget per config field, keyed ``cfg_<field>``; the widgets are initialised from
the shared config (``runtime.get_config()``) whenever it was changed elsewhere (a
"Use this LR" button, a lesson preset, a pasted link), and the config is rebuilt from
the widgets on every run. Invalid values are *kept* and explained next to their
control: the user sees what is wrong instead of a silently clamped number.
"""
from __future__ import annotations

import math

import streamlit as st

from playground.config import (ACTIVATIONS, INITS, LENGTH_UNITS, OPTIMIZER_PARAMS,
                               OPTIMIZERS, SCHEDULERS, ConfigError, RunConfig)
from playground.data import DATASETS
from playground.ui import runtime, state
from playground.ui.safe import md_escape

PREFIX = "cfg_"
# Round numbers a teacher would say out loud, six per decade, 1e-5 … 10.
LR_GRID = [round(m * 10.0 ** e, 12) for e in range(-5, 1) for m in (1, 1.5, 2, 3, 5, 7)] + [10.0]
URL_LOADED = state.URL_LOADED
URL_ERRORS = state.URL_ERRORS
RUN_PARAM = "run"
GROUP_PARAM = "group"
LINKED_IDS = (RUN_PARAM, GROUP_PARAM)
LINK_IDS = state.LINK_IDS
# Classroom links (TF Playground's "hide" idea): ?hide=lr,optimizer hides controls,
# ?lock=1 freezes the preset. Kept for the whole session and in every rewritten URL.
HIDE_PARAM, LOCK_PARAM = "hide", "lock"
CHOICE_FIELDS = ("dataset", "activation", "init", "optimizer", "scheduler", "length_unit")
# Fields drawn as sliders: a slider cannot display a value outside its range.
SLIDER_RANGES = {"noise": (0.0, 1.0), "classes": (2, 5)}
CLASSROOM_KEY = state.CLASSROOM
# Whole-number fields get a *float* box: the browser's integer box reads "1e12" as 1
# (parseInt), silently; a float box keeps what was typed, and RunConfig then says
# "must be a whole number" or "must be between …" with the real value.
INT_BOXES = ("n_samples", "hidden_layers", "width", "embed_dim", "context", "batch_size",
             "length", "step_size", "seed", "eval_every")
INT_FORMAT = "%.12g"
# Widget values survive page switches and controls that are hidden for a while (the
# betas while SGD is chosen, Points while digits are): Streamlit drops a widget's state
# when it is not drawn in a run unless it persists for the session.
PERSIST = "session"

INIT_HELP = {
    "xavier_uniform": "U(±√(6/(fan_in+fan_out))): keeps activation variance stable (Glorot).",
    "xavier_normal": "N(0, 2/(fan_in+fan_out)): Xavier with a Gaussian.",
    "kaiming_uniform": "Scaled for ReLU-like units by fan_in (He): deep ReLU nets stay alive.",
    "kaiming_normal": "He initialization with a Gaussian.",
    "orthogonal": "A random orthogonal matrix: preserves vector norms layer to layer.",
    "normal": "N(0, σ²) with your σ: large σ saturates tanh, small σ makes signals vanish.",
    "zeros": "All weights 0: every hidden unit is identical and stays identical (symmetry).",
}
OPTIMIZER_HELP = {
    "sgd": "θ ← θ − η·g. The baseline; often generalizes best.",
    "momentum": "Velocity v ← μv + g; θ ← θ − η·v. Rolls through small bumps.",
    "nesterov": "Momentum that looks ahead before computing the step.",
    "adam": "Per-parameter steps from running means of g and g² (β1, β2). Fast start.",
    "adamw": "Adam with decoupled weight decay.",
    "rmsprop": "Divides by a running RMS of the gradient (α).",
    "adagrad": "Divides by the root of all past squared gradients: steps shrink over time.",
}
SCHEDULER_HELP = {
    "none": "Constant learning rate.",
    "step": "Multiply by γ every step_size epochs (the course's StepLR).",
    "exponential": "Multiply by γ after every epoch.",
    "cosine": "Smoothly anneal from η to 0 over the run.",
    "onecycle": "Warm up to η over the first 30%, then anneal far below it.",
}


def _k(name: str) -> str:
    return PREFIX + name


def load_from_url() -> None:
    """Once per browser session: take the config from the link, report what was wrong."""
    if st.session_state.get(URL_LOADED):
        return
    st.session_state[URL_LOADED] = True
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    # A run or group named by the link is re-attached once, by its page (a reload);
    # after that the page's own state says what it shows (Reset detaches for good).
    st.session_state[LINK_IDS] = {k: (params.get(k) or [""])[-1][:40]
                                  for k in LINKED_IDS if params.get(k)}
    errors = _load_classroom(params)
    if any(k in RunConfig.field_names() for k in params):
        config, parse_errors = RunConfig.from_query(params)
        errors += parse_errors
        # A select box cannot show an unknown option: name it and use the default.
        # (Bad numbers stay, and are explained next to their box.)
        default = RunConfig()
        for err in config.validate():
            if err.field in CHOICE_FIELDS:
                errors.append(err)
                config = config.replace(**{err.field: getattr(default, err.field)})
        for name, (lo, hi) in SLIDER_RANGES.items():
            value = getattr(config, name)
            if not lo <= value <= hi:          # also catches NaN
                errors.append(ConfigError(name, f"must be between {lo} and {hi}, got {value}"))
                config = config.replace(**{name: getattr(default, name)})
        runtime.set_config(config)
    st.session_state[URL_ERRORS] = errors


def _load_classroom(params: dict) -> list[ConfigError]:
    hide_raw = ",".join(params.get(HIDE_PARAM, []))
    names = [n.strip() for n in hide_raw.split(",") if n.strip()]
    known = set(RunConfig.field_names()) | {"sidebar"}
    unknown = [n for n in names if n not in known]
    lock = (params.get(LOCK_PARAM) or ["0"])[-1].strip().lower() in ("1", "true", "yes")
    st.session_state[CLASSROOM_KEY] = {"hide": frozenset(n for n in names if n in known),
                                       "lock": lock}
    if unknown:
        return [ConfigError(HIDE_PARAM, "no such control: " + ", ".join(n[:30] for n in unknown))]
    return []


def classroom() -> tuple[frozenset[str], bool]:
    """(hidden field names, locked) from the link this session was opened with."""
    c = st.session_state.get(CLASSROOM_KEY) or {}
    return c.get("hide", frozenset()), c.get("lock", False)


def classroom_query(hidden: frozenset[str] | set[str], locked: bool) -> dict[str, str]:
    q = {}
    if hidden:
        q[HIDE_PARAM] = ",".join(sorted(hidden))
    if locked:
        q[LOCK_PARAM] = "1"
    return q


def sync_url(config: RunConfig, extra: dict[str, str] | None = None) -> None:
    """Mirror the config, the classroom settings and the page's own ids (``run``,
    ``group``) into the address bar, if anything changed."""
    wanted = config.to_query()
    wanted.update(classroom_query(*classroom()))
    wanted.update({k: v for k, v in (extra or {}).items() if v})
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


def take_link_ids() -> dict[str, str]:
    """The run and group ids the session's link named, handed out once."""
    return st.session_state.pop(LINK_IDS, None) or {}


def whole(value):
    """An integer box's value: an int when it is whole, else as typed (2.5, inf), so
    validation names the problem instead of the box silently truncating it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _widget_value(name: str, value):
    """What the widget for ``name`` holds for a config value (floats in integer boxes)."""
    if name in INT_BOXES and isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:          # an absurd link value; the box shows the default
            return float(getattr(RunConfig(), name))
    return value


def _sync_widgets(config: RunConfig) -> None:
    for name in RunConfig.field_names():
        st.session_state[_k(name)] = _widget_value(name, getattr(config, name))
    st.session_state[_k("lr_slider")] = _nearest_grid(config.lr)


def _nearest_grid(lr: float) -> float:
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        return LR_GRID[0]
    return min(LR_GRID, key=lambda v: abs(math.log10(v) - math.log10(lr)))


def _lr_from_slider() -> None:
    st.session_state[_k("lr")] = st.session_state[_k("lr_slider")]


def _lr_from_box() -> None:
    st.session_state[_k("lr_slider")] = _nearest_grid(st.session_state[_k("lr")])


def config_sidebar(hidden: frozenset[str] = frozenset(), locked: bool = False,
                   title: str = "Setup") -> RunConfig:
    """Draw the grouped controls in the sidebar and return the resulting config.

    ``hidden`` fields are not shown (classroom links); ``locked`` disables every control.
    The returned config may be invalid; its problems are shown next to the controls
    and :meth:`RunConfig.validate` tells the caller the same.
    """
    load_from_url()
    config = runtime.get_config()
    if st.session_state.pop(runtime.SYNC_FLAG, False) or _k("dataset") not in st.session_state:
        _sync_widgets(config)
    for name in RunConfig.field_names():   # the first run of a session
        st.session_state.setdefault(_k(name), _widget_value(name, getattr(config, name)))
    st.session_state.setdefault(_k("lr_slider"), _nearest_grid(config.lr))
    for name, (lo, hi) in SLIDER_RANGES.items():   # e.g. a preset from another page
        value = st.session_state.get(_k(name))
        if not (isinstance(value, (int, float)) and lo <= value <= hi):
            st.session_state[_k(name)] = getattr(RunConfig(), name)

    slots: dict[str, st.delta_generator.DeltaGenerator] = {}
    show = lambda name: name not in hidden  # noqa: E731 - reads better inline
    sb = st.sidebar
    sb.header(title)
    if "sidebar" in hidden:          # a classroom link that hides every control
        for err in st.session_state.pop(URL_ERRORS, []):
            sb.warning(f"The link's value for **{err.field}** was ignored: "
                       f"{md_escape(err.reason)}.")
        sb.markdown(f"**Exercise**: {md_escape(config.short_label())} on "
                    f"{md_escape(DATASETS[config.dataset].label if config.dataset in DATASETS else config.dataset)}.")
        _show_errors(config.validate(), {}, sb)
        return config
    for err in st.session_state.pop(URL_ERRORS, []):
        sb.warning(f"The link's value for **{err.field}** was ignored: {md_escape(err.reason)}.")
    if locked:
        sb.info("This exercise's settings are fixed by the link you opened.",
                icon=":material/lock:")

    def number(name: str, label: str, **kw) -> None:
        if show(name):
            if name in INT_BOXES:
                kw = {"format": INT_FORMAT, **kw, "step": float(kw.get("step", 1))}
            st.number_input(label, key=_k(name), help=RunConfig.help(name), disabled=locked,
                            persist_state=PERSIST, **kw)
            slots[name] = st.empty()

    # ---------------------------------------------------------------- data
    with sb.expander("Data", expanded=True):
        if show("dataset"):
            st.selectbox("Dataset", list(DATASETS), key=_k("dataset"), persist_state=PERSIST, disabled=locked,
                         format_func=lambda n: DATASETS[n].label if n in DATASETS else n,
                         help=RunConfig.help("dataset"))
            ds = DATASETS.get(st.session_state[_k("dataset")])
            if ds:
                st.caption(ds.description)
            slots["dataset"] = st.empty()
        uses = DATASETS[st.session_state[_k("dataset")]].uses \
            if st.session_state[_k("dataset")] in DATASETS else ()
        if "n_samples" in uses:
            number("n_samples", "Points", step=50)
        if "noise" in uses and show("noise"):
            st.slider("Noise", 0.0, 1.0, step=0.05, key=_k("noise"), persist_state=PERSIST, disabled=locked,
                      help=RunConfig.help("noise"))
            slots["noise"] = st.empty()
        if "classes" in uses and show("classes"):
            st.slider("Classes", 2, 5, key=_k("classes"), persist_state=PERSIST, disabled=locked,
                      help=RunConfig.help("classes"))
            slots["classes"] = st.empty()
        number("val_fraction", "Validation fraction", step=0.05, format="%.2f")
        number("test_fraction", "Test fraction", step=0.05, format="%.2f")

    # --------------------------------------------------------------- model
    with sb.expander("Model", expanded=True):
        kind = DATASETS[st.session_state[_k("dataset")]].kind \
            if st.session_state[_k("dataset")] in DATASETS else "points2d"
        if kind == "tokens":
            st.caption("Text model: token embeddings averaged (EmbeddingBag) → linear → "
                       "topics. Only the embedding size applies.")
        else:
            number("hidden_layers", "Hidden layers", step=1)
            number("width", "Units per hidden layer", step=4)
            if show("activation"):
                st.selectbox("Activation", ACTIVATIONS, key=_k("activation"), persist_state=PERSIST, disabled=locked,
                             help=RunConfig.help("activation"))
                slots["activation"] = st.empty()
            number("dropout", "Dropout", step=0.1, format="%.2f")
        if show("init"):
            st.selectbox("Weight initialization", list(INITS), key=_k("init"), persist_state=PERSIST, disabled=locked,
                         format_func=lambda n: INITS.get(n, n),
                         help="\n".join(f"- **{INITS[k]}**: {v}" for k, v in INIT_HELP.items()))
            st.caption(INIT_HELP.get(st.session_state[_k("init")], ""))
            slots["init"] = st.empty()
            if st.session_state[_k("init")] == "normal":
                number("init_std", "Init σ", step=0.1, format="%.3f")
        if kind in ("tokens", "chars"):
            number("embed_dim", "Embedding size", step=1)
        if "context" in uses:
            number("context", "Context (previous characters)", step=1)

    # ----------------------------------------------------------- optimizer
    with sb.expander("Optimizer", expanded=True):
        if show("optimizer"):
            st.selectbox("Optimizer", list(OPTIMIZERS), key=_k("optimizer"), persist_state=PERSIST, disabled=locked,
                         format_func=lambda n: OPTIMIZERS.get(n, n),
                         help="\n".join(f"- **{OPTIMIZERS[k]}**: {v}"
                                        for k, v in OPTIMIZER_HELP.items()))
            st.caption(OPTIMIZER_HELP.get(st.session_state[_k("optimizer")], ""))
            slots["optimizer"] = st.empty()
        if show("lr"):
            st.select_slider("Learning rate (log scale)", LR_GRID, key=_k("lr_slider"), persist_state=PERSIST,
                             format_func=lambda v: f"{v:g}", on_change=_lr_from_slider,
                             disabled=locked, help=RunConfig.help("lr"))
            st.number_input("Learning rate (exact)", key=_k("lr"), persist_state=PERSIST, format="%g",
                            step=None, on_change=_lr_from_box, disabled=locked,
                            help="Type any value; the slider above snaps to the nearest mark.")
            slots["lr"] = st.empty()
        relevant = OPTIMIZER_PARAMS.get(st.session_state[_k("optimizer")], ())
        labels = {"momentum": "Momentum μ", "beta1": "β1", "beta2": "β2", "alpha": "α",
                  "eps": "ε", "weight_decay": "Weight decay"}
        for name in ("momentum", "beta1", "beta2", "alpha", "eps", "weight_decay"):
            if name in relevant:
                fmt = "%g" if name in ("eps", "weight_decay") else "%.3f"
                number(name, labels[name], format=fmt, step=None if name == "eps" else 0.01)

    # ------------------------------------------------------------ training
    with sb.expander("Training", expanded=False):
        number("batch_size", "Batch size (0 = full batch)", step=1)
        if show("length_unit"):
            st.radio("Run length in", LENGTH_UNITS, key=_k("length_unit"), persist_state=PERSIST, horizontal=True,
                     disabled=locked, help=RunConfig.help("length_unit"))
        number("length", "Length", step=100)
        if show("scheduler"):
            st.selectbox("LR schedule", list(SCHEDULERS), key=_k("scheduler"), persist_state=PERSIST, disabled=locked,
                         format_func=lambda n: SCHEDULERS.get(n, n),
                         help="\n".join(f"- **{SCHEDULERS[k]}**: {v}"
                                        for k, v in SCHEDULER_HELP.items()))
            st.caption(SCHEDULER_HELP.get(st.session_state[_k("scheduler")], ""))
            slots["scheduler"] = st.empty()
            if st.session_state[_k("scheduler")] == "step":
                number("step_size", "Step every (epochs)", step=1)
            if st.session_state[_k("scheduler")] in ("step", "exponential"):
                number("gamma", "Decay γ", step=0.05, format="%.3f")
        number("clip", "Gradient clipping max norm (0 = off)", step=0.1, format="%g")
        number("seed", "Seed", step=1)
        number("eval_every", "Evaluate every (steps)", step=5)

    values = {name: st.session_state.get(_k(name), getattr(config, name))
              for name in RunConfig.field_names()}
    values = {k: v for k, v in values.items() if v is not None}
    new_config, parse_errors = RunConfig.from_dict(values, base=config)
    errors = parse_errors + new_config.validate()
    _show_errors(errors, slots, sb)
    st.session_state[runtime.CONFIG_KEY] = new_config
    return new_config


def _show_errors(errors: list[ConfigError], slots: dict, sb) -> None:
    orphans = []
    for err in errors:
        slot = slots.get(err.field)
        if slot is not None:
            slot.error(md_escape(err.reason), icon=":material/error:")
        else:
            orphans.append(err)
    for err in orphans:  # a hidden or dataset-irrelevant field: still say it
        sb.error(f"**{md_escape(err.field)}**: {md_escape(err.reason)}")


def setup_summary() -> None:
    """The shared setup in one line, for pages that do not edit it (Loss surface,
    Lessons, Server): the sidebar is never an empty grey panel, and the user sees what
    Train, LR sweep and Compare will use."""
    config = runtime.get_config()
    spec = DATASETS.get(config.dataset)
    sb = st.sidebar
    sb.header("Setup")
    sb.markdown(f"**{md_escape(spec.label if spec else config.dataset)}** · "
                f"{md_escape(config.short_label())}")
    sb.caption("Used by Train, LR sweep and Compare; edit it there.")
