"""The setup sidebar: one widget per RunConfig field, grouped Data / Model / Optimizer /
Training, every one with its tooltip.

The widgets are keyed ``cfg_<field>`` and persist for the session (Streamlit would drop
a widget's value whenever it is not drawn: the betas while SGD is chosen, Points while
digits are). They are set from the shared config whenever it changed elsewhere ("Use
this LR", a lesson preset, a pasted link), and the config is rebuilt from them on every
run. Invalid values are *kept* and explained next to their control: the user sees what
is wrong instead of a silently clamped number. The learning rate is the exception: its
slider and box share one plain key (see ``widgets/lr_control.py`` for why).
"""
from __future__ import annotations

import streamlit as st

from playground.config import (ACTIVATIONS, INITS, LENGTH_UNITS, OPTIMIZER_PARAMS,
                               OPTIMIZERS, SCHEDULERS, ConfigError, RunConfig)
from playground.data import DATASETS
from playground.models.features import FEATURE_HELP, FEATURES, PLAIN, canonical, parse
from playground.ui import runtime, state
from playground.ui.widgets.boxes import INT_FORMAT, as_box_value
from playground.ui.widgets.drawn_sidebar import drawn_controls
from playground.ui.widgets.regression_loss import regression_loss_controls
from playground.ui.widgets.lr_control import LR_VALUE, key, lr_widgets, set_lr_from_elsewhere
from playground.ui.widgets.safe import md_escape
from playground.ui.widgets.setup_help import (INIT_HELP, OPTIMIZER_HELP, SCHEDULER_HELP,
                                              SECTION_OF, label)
from playground.ui.widgets.setup_link import SLIDER_RANGES
from playground.ui.widgets.setup_sections import open_sections_with, section
from playground.ui.widgets.table_data import table_controls

PERSIST = "session"
# Whole-number fields drawn as float boxes (see widgets/boxes.py).
INT_BOXES = ("n_samples", "hidden_layers", "width", "embed_dim", "context", "batch_size",
             "length", "step_size", "seed", "eval_every")


def _box_value(name: str, value):
    return as_box_value(value, getattr(RunConfig(), name)) if name in INT_BOXES else value


def _sync_widgets(config: RunConfig) -> None:
    for name in RunConfig.field_names():
        if name != "lr":
            st.session_state[key(name)] = _box_value(name, getattr(config, name))
    set_lr_from_elsewhere(config.lr)


def _prepare(config: RunConfig) -> None:
    """Put the config into the widgets when it changed elsewhere (or on first run)."""
    if st.session_state.pop(state.CONFIG_CHANGED, False) or key("dataset") not in st.session_state:
        _sync_widgets(config)
    for name in RunConfig.field_names():
        if name != "lr":
            st.session_state.setdefault(key(name), _box_value(name, getattr(config, name)))
    st.session_state.setdefault(LR_VALUE, config.lr)
    for name, (lo, hi) in SLIDER_RANGES.items():   # e.g. a preset from another page
        value = st.session_state.get(key(name))
        if not (isinstance(value, (int, float)) and lo <= value <= hi):
            st.session_state[key(name)] = getattr(RunConfig(), name)


def config_sidebar(hidden: frozenset[str] = frozenset(), locked: bool = False) -> RunConfig:
    """Draw the grouped controls in the sidebar and return the resulting config.

    ``hidden`` fields are not shown (classroom links); ``locked`` disables every control.
    The returned config may be invalid; its problems are shown next to the controls and
    :meth:`RunConfig.validate` tells the caller the same.
    """
    config = runtime.get_config()
    _prepare(config)
    sb = st.sidebar
    sb.header("Setup")
    for err in st.session_state.pop(state.URL_ERRORS, []):
        sb.warning(f"The link's value for **{md_escape(label(err.field))}** was ignored: "
                   f"{md_escape(err.reason)}.")
    if "sidebar" in hidden:          # a classroom link that hides every control
        spec = DATASETS.get(config.dataset)
        sb.markdown(f"**Exercise**: {md_escape(config.short_label())} on "
                    f"{md_escape(spec.label if spec else config.dataset)}.")
        _show_errors(config.validate(), {}, sb)
        return config
    if locked:
        sb.info("This exercise's settings are fixed by the link you opened.",
                icon=":material/lock:")
    slots: dict = {}
    before = _problems(config)
    draw = _Drawer(hidden, locked, slots, wrong={e.field for e in before})
    open_sections_with(before, st.session_state.get(state.SETUP_PROBLEMS) or [])
    for name, fill in (("Data", draw.data_section), ("Model", draw.model_section),
                       ("Optimizer", draw.optimizer_section),
                       ("Training", draw.training_section)):
        box = section(sb, name)
        # A closed section's controls are not drawn (their values persist for the
        # session): ~3 ms of every rerun each, on a server a whole class shares. Its
        # problems are still said, under the sections.
        if box.open is not False:
            with box:
                fill()

    new_config, parse_errors = _read_widgets(config)   # as the drawn controls left them
    errors = parse_errors + new_config.validate()
    _show_errors(errors, slots, sb)
    st.session_state[state.SETUP_PROBLEMS] = [(e.field, e.reason) for e in errors]
    st.session_state[state.CONFIG] = new_config
    return new_config


def _read_widgets(config: RunConfig) -> tuple[RunConfig, list[ConfigError]]:
    values = {name: st.session_state.get(LR_VALUE if name == "lr" else key(name),
                                         getattr(config, name))
              for name in RunConfig.field_names()}
    values = {k: v for k, v in values.items() if v is not None}
    return RunConfig.from_dict(values, base=config)


def _problems(config: RunConfig) -> list[ConfigError]:
    new_config, parse_errors = _read_widgets(config)
    return parse_errors + new_config.validate()


def problems_sentence(action: str) -> str:
    """"Fix … to start" that names each wrong setting and its sidebar section, from the
    sidebar's last check (``action``: "to start", "to run a sweep")."""
    problems = st.session_state.get(state.SETUP_PROBLEMS) or []
    if not problems:
        return f"Fix the settings marked in the sidebar {action}."
    named = []
    for field, reason in problems:
        where = SECTION_OF.get(field)
        named.append(f"**{md_escape(label(field))}**"
                     + (f" (sidebar › {where})" if where else "") + f": {md_escape(reason)}")
    head = "Fix this setting" if len(named) == 1 else "Fix these settings"
    return f"{head} {action}:\n\n- " + "\n- ".join(named)


class _Drawer:
    """Draws the sections; remembers a message slot under each drawn control."""

    def __init__(self, hidden: frozenset[str], locked: bool, slots: dict,
                 wrong: set[str] = frozenset()):
        self.hidden, self.locked, self.slots = hidden, locked, slots
        self.wrong = wrong          # fields with a problem as the run began

    def show(self, name: str) -> bool:
        return name not in self.hidden

    def _slot(self, name: str) -> None:
        # Only a control with a problem gets a place for its message: an empty slot
        # under each of ~20 controls was a quarter of the elements every rerun sends.
        # A problem that appears while drawing is said under the sections instead.
        if name in self.wrong:
            self.slots[name] = st.empty()

    def number(self, name: str, **kw) -> None:
        if not self.show(name):
            return
        if name in INT_BOXES:
            kw = {"format": INT_FORMAT, **kw, "step": float(kw.get("step", 1))}
        st.number_input(label(name), key=key(name), help=RunConfig.help(name),
                        disabled=self.locked, persist_state=PERSIST, **kw)
        self._slot(name)

    def select(self, name: str, options, caption: dict | None = None, **kw) -> None:
        if not self.show(name):
            return
        st.selectbox(label(name), options, key=key(name), persist_state=PERSIST,
                     disabled=self.locked, help=kw.pop("help", RunConfig.help(name)), **kw)
        if caption is not None:
            st.caption(caption.get(st.session_state[key(name)], ""))
        self._slot(name)

    def slider(self, name: str, lo, hi, **kw) -> None:
        if self.show(name):
            st.slider(label(name), lo, hi, key=key(name), persist_state=PERSIST,
                      disabled=self.locked, help=RunConfig.help(name), **kw)
            self._slot(name)

    def features(self) -> None:
        """Toggles for the 2D inputs; the config holds them as text (``x1,x2sq``), kept
        in the field's own key, which the pills mirror."""
        if not self.show("features"):
            return
        pick = key("features_pick")
        held = canonical(parse(st.session_state.get(key("features"), ",".join(PLAIN))))
        if canonical(st.session_state.get(pick) or ()) != held:
            st.session_state[pick] = list(parse(held))   # set elsewhere (a link, a reset)

        def chosen() -> None:
            st.session_state[key("features")] = canonical(st.session_state.get(pick) or ())

        st.pills(label("features"), list(FEATURES), selection_mode="multi", key=pick,
                 format_func=lambda n: FEATURES[n][0], on_change=chosen,
                 disabled=self.locked, persist_state=PERSIST,
                 help=RunConfig.help("features") + "\n\n" + "\n".join(
                     f"- **{FEATURES[n][0]}**: {FEATURE_HELP[n]}" for n in FEATURES))
        self._slot("features")

    # ---------------------------------------------------------------- sections
    def data_section(self) -> None:
        if self.show("dataset"):
            self.select("dataset", list(DATASETS),
                        format_func=lambda n: DATASETS[n].label if n in DATASETS else n)
            spec = DATASETS.get(st.session_state[key("dataset")])
            if spec:
                st.caption(spec.description)
        table_controls(self)        # "Your table": the file, label, features, missing rows
        uses = _dataset().uses if _dataset() else ()
        if "n_samples" in uses:
            self.number("n_samples", step=50)
        if "noise" in uses:
            self.slider("noise", 0.0, 1.0, step=0.05)
        if "classes" in uses:
            self.slider("classes", 2, 5)
        drawn_controls(self, uses)
        self.number("val_fraction", step=0.05, format="%.2f")
        self.number("test_fraction", step=0.05, format="%.2f")

    def model_section(self) -> None:
        spec = _dataset()
        kind = spec.kind if spec else "points2d"
        if kind == "tokens":
            st.caption("Text model: token embeddings averaged (EmbeddingBag) → linear → "
                       "topics. Only the embedding size applies.")
        else:
            if kind == "points2d":
                self.features()
            self.number("hidden_layers", step=1)
            self.number("width", step=4)
            self.select("activation", ACTIVATIONS)
            self.number("dropout", step=0.1, format="%.2f")
        self.select("init", list(INITS), caption=INIT_HELP, format_func=lambda n: INITS.get(n, n),
                    help="\n".join(f"- **{INITS[k]}**: {v}" for k, v in INIT_HELP.items()))
        if st.session_state[key("init")] == "normal":
            self.number("init_std", step=0.1, format="%.3f")
        if kind in ("tokens", "chars"):
            self.number("embed_dim", step=1)
        if spec and "context" in spec.uses:
            self.number("context", step=1)

    def optimizer_section(self) -> None:
        self.select("optimizer", list(OPTIMIZERS), caption=OPTIMIZER_HELP,
                    format_func=lambda n: OPTIMIZERS.get(n, n),
                    help="\n".join(f"- **{OPTIMIZERS[k]}**: {v}"
                                   for k, v in OPTIMIZER_HELP.items()))
        if self.show("lr"):
            lr_widgets(self.locked)
            self._slot("lr")
        relevant = OPTIMIZER_PARAMS.get(st.session_state[key("optimizer")], ())
        for name in ("momentum", "beta1", "beta2", "alpha", "eps", "rmsprop_momentum",
                     "weight_decay", "adamw_decay"):
            if name in relevant:
                fmt = "%g" if name in ("eps", "weight_decay", "adamw_decay") else "%.3f"
                self.number(name, format=fmt, step=None if name == "eps" else 0.01)

    def training_section(self) -> None:
        regression_loss_controls(self, _dataset())
        self.number("batch_size", step=1)
        if self.show("length_unit"):
            st.radio(label("length_unit"), LENGTH_UNITS, key=key("length_unit"),
                     persist_state=PERSIST, horizontal=True, disabled=self.locked,
                     help=RunConfig.help("length_unit"))
        self.number("length", step=100)
        self.select("scheduler", list(SCHEDULERS), caption=SCHEDULER_HELP,
                    format_func=lambda n: SCHEDULERS.get(n, n),
                    help="\n".join(f"- **{SCHEDULERS[k]}**: {v}"
                                   for k, v in SCHEDULER_HELP.items()))
        scheduler = st.session_state[key("scheduler")]
        if scheduler == "step":
            self.number("step_size", step=1)
        if scheduler in ("step", "exponential"):
            self.number("gamma", step=0.05, format="%.3f")
        self.number("clip", step=0.1, format="%g")
        self.number("seed", step=1)
        self.number("eval_every", step=5)


def _dataset():
    return DATASETS.get(st.session_state[key("dataset")])


def _show_errors(errors: list[ConfigError], slots: dict, sb) -> None:
    for err in errors:
        slot = slots.get(err.field)
        if slot is not None:
            slot.error(md_escape(err.reason), icon=":material/error:")
        else:   # a hidden or dataset-irrelevant field: still say it
            sb.error(f"**{md_escape(label(err.field))}**: {md_escape(err.reason)}")
