""""Draw your own" on the Train page: click to add a point, shift-click to remove one.

The points are the config's ``points`` text, kept in the setup's own session key (the
sidebar rebuilds the config from it) and mirrored to the address bar on every change,
so a reload or a shared link has them. The canvas is a fragment: a click reruns only
it (one figure of a few hundred points), not the page; the page reruns only when a
click changes what the setup's check says (the fifth point enables Start).
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from playground.data import DATASETS, drawn, drawn_points, toy2d
from playground.data.label_noise import flipped
from playground.figures.drawing import drawing_figure
from playground.figures.theme import CLASS_COLORS
from playground.ui import runtime, state
from playground.ui.widgets.charts import chart
from playground.ui.widgets.lr_control import key
from playground.ui.widgets.safe import md_escape
from playground.ui.widgets.setup_link import classroom

CANVAS = "draw_canvas"                 # the chart; its value holds the last click
MODE, CLASS, CLASSES = "draw_mode", "draw_class", "draw_classes"
SOURCE, PER_CLASS = "draw_source", "draw_per_class"
MODES = {"add": "Add", "remove": "Remove"}
REMOVE_WITHIN = 0.25                   # plane units: a click farther from every point removes none
UNDO_DEPTH = 100
SOURCES = tuple(toy2d.GENERATORS)      # spiral, circle, xor, gauss, moons
SOURCE_NOISE = "draw_source_noise"


def draw_canvas(config, snap) -> None:
    """The canvas for a "draw" setup (nothing otherwise); folded away under a run."""
    if config.dataset != "draw":
        return
    errors = _said(config.validate())
    if snap is None:
        _canvas(errors)
    else:
        with st.expander("Edit your points (then press **Restart**)", icon=":material/edit:"):
            _canvas(errors)


def _said(errors) -> tuple:
    return tuple((e.field, e.reason) for e in errors)


def current_points() -> tuple[str, np.ndarray, np.ndarray, str | None]:
    """(text, points [N, 2], labels [N], why the text cannot be read or None)."""
    text = st.session_state.get(key("points"), runtime.get_config().points) or ""
    try:
        xy, labels = drawn_points.decode(text)
    except (ValueError, KeyError) as exc:
        return text, *drawn_points.decode(""), str(exc)
    return text, xy, labels, None


def _set_points(xy: np.ndarray, labels: np.ndarray) -> None:
    """The new set becomes the setup's (session key, shared config, address bar)."""
    old = st.session_state.get(key("points"), "") or ""
    try:
        text = drawn_points.encode(xy, labels)
    except ValueError as exc:
        st.toast(str(exc), icon=":material/error:")
        return
    if text == old:
        return
    undo = st.session_state.setdefault(state.DRAW_UNDO, [])
    undo.append(old)
    del undo[:-UNDO_DEPTH]
    st.session_state[key("points")] = text
    st.session_state[state.CONFIG] = runtime.get_config().replace(points=text)
    if text:
        st.query_params["points"] = text
    elif "points" in st.query_params:
        del st.query_params["points"]


def _on_click() -> None:
    click = getattr(st.session_state.get(CANVAS), "click", None)
    if not click:
        return
    _, xy, labels, _ = current_points()
    at = np.array([float(click["x"]), float(click["y"])], dtype=np.float32)
    if click.get("shift") or st.session_state.get(MODE) == "remove":
        if not len(labels):
            return
        distance = np.hypot(*(xy - at).T)
        nearest = int(distance.argmin())
        if distance[nearest] > REMOVE_WITHIN:
            st.toast("No point near there to remove.")
            return
        _set_points(np.delete(xy, nearest, 0), np.delete(labels, nearest))
    else:
        chosen = int(st.session_state.get(CLASS) or 0)
        _set_points(np.vstack([xy, at[None]]), np.append(labels, chosen))


def _undo() -> None:
    undo = st.session_state.get(state.DRAW_UNDO) or []
    if undo:
        previous = undo.pop()
        depth = len(undo)
        _set_points(*drawn_points.decode(previous))
        del undo[depth:]                 # the undo itself is not undoable


def _clear() -> None:
    _set_points(*drawn_points.decode(""))


def _copy_in() -> None:
    """Replace the drawing by a generated set's seeded points (then edit them)."""
    config = runtime.get_config()
    name = st.session_state.get(SOURCE) or "moons"
    classes = int(st.session_state.get(CLASSES) or 2) if name in toy2d.MULTICLASS else 2
    per_class = int(st.session_state.get(PER_CLASS) or 40)
    noise = float(st.session_state.get(SOURCE_NOISE, 0.15))
    xy, labels = toy2d.points(name, per_class * classes, noise, classes, config.seed)
    _set_points(xy, labels)


def _controls(classes_drawn: int, locked: bool) -> None:
    st.session_state.setdefault(CLASSES, classes_drawn)
    if st.session_state[CLASSES] < classes_drawn:      # a link drew more classes
        st.session_state[CLASSES] = classes_drawn
    mode_col, class_col, count_col, undo_col, clear_col = st.columns(
        [2.2, 4.2, 1.3, 1, 1], vertical_alignment="bottom")
    mode_col.segmented_control(
        "A click does", list(MODES), default="add", key=MODE, format_func=MODES.get,
        disabled=locked,
        help="Add a point of the chosen class, or remove the point nearest the click. "
             "Shift-click always removes.")
    n = int(st.session_state[CLASSES])
    if st.session_state.get(CLASS) is not None and st.session_state[CLASS] >= n:
        st.session_state[CLASS] = 0
    class_col.segmented_control(
        "Class of new points", list(range(n)), default=0, key=CLASS,
        format_func=lambda k: f"class {k}", disabled=locked,
        help="The colour is the class's colour on the decision boundary.")
    count_col.number_input("Classes", 2, drawn_points.MAX_CLASSES, key=CLASSES,
                           disabled=locked, help="How many classes to draw (2 to 6).")
    undo_col.button("Undo", icon=":material/undo:", on_click=_undo, key="draw_undo_btn",
                    disabled=locked or not st.session_state.get(state.DRAW_UNDO))
    clear_col.button("Clear", icon=":material/delete:", on_click=_clear, key="draw_clear",
                     disabled=locked)
    # Each class button carries its colour (a swatch before the label), exactly the
    # boundary's: the segmented control's buttons are its only children.
    swatches = "".join(
        f".st-key-{CLASS} [role=radio]:nth-of-type({k + 1})::before{{content:'';display:inline-"
        f"block;width:0.9em;height:0.9em;border-radius:50%;margin-right:0.4em;"
        f"background:{CLASS_COLORS[k]};border:1.5px solid #222}}" for k in range(n))
    st.html(f"<style>{swatches}</style>")


def _start_from() -> None:
    with st.popover("Start from a generated set", icon=":material/auto_awesome:",
                    help="Copy a generated set's seeded points into the drawing (it "
                         "replaces the points; Undo brings them back)."):
        st.selectbox("Set", SOURCES, key=SOURCE, format_func=lambda n: DATASETS[n].label)
        st.number_input("Points per class", 5, 2000, 40, step=5, key=PER_CLASS,
                        help="Spiral and blobs draw one arm or blob per class (Classes "
                             "above); the others have two classes.")
        st.slider("Noise", 0.0, 1.0, 0.15, 0.05, key=SOURCE_NOISE,
                  help="How much the generator jitters each point (the seed is the "
                       "sidebar's).")
        st.button("Copy into the drawing", on_click=_copy_in, key="draw_copy_in",
                  icon=":material/content_copy:")


@st.fragment
def _canvas(page_errors: tuple) -> None:
    text, xy, labels, why = current_points()
    config = runtime.get_config().replace(points=text)
    if _said(config.validate()) != page_errors:
        st.rerun(scope="app")          # Start, the sidebar's messages: the page's to redraw
    st.subheader("Draw your own")
    if why:
        st.error(f"**Drawn points**: {md_escape(why)}. Click to start a new drawing.",
                 icon=":material/error:")
    locked = classroom()[1]             # a classroom link fixes the points too
    _controls(drawn.n_classes(labels), locked)
    n_classes = max(int(st.session_state[CLASSES]), drawn.n_classes(labels))
    split = dict(zip(("train", "val", "test"), drawn.split_indices(
        xy, config.val_fraction, config.test_fraction, config.seed)))
    shown = labels
    if config.label_noise and len(split["train"]):
        # The training labels the network sees (flipped ones in their new colour).
        noisy, _ = flipped(labels[split["train"]], config.label_noise, n_classes, config.seed)
        shown = labels.copy()
        shown[split["train"]] = noisy
    fig = drawing_figure(xy, shown, split, n_classes, drawn.PLANE_BOUNDS)
    chart(fig, CANVAS, on_click=None if locked else _on_click)
    _caption(text, labels, split, n_classes)
    if not locked:
        _start_from()


def _caption(text: str, labels: np.ndarray, split: dict, n_classes: int) -> None:
    counts = ", ".join(f"class {k}: {int((labels == k).sum())}" for k in range(n_classes))
    if not len(labels):
        where = "Click on the plane to add points of the chosen class."
    elif text.startswith(drawn_points.KEPT):
        where = (f"More than {drawn_points.MAX_IN_LINK} points: **kept on this server** "
                 f"(the link names them `{md_escape(text)}`; a link opened on another server "
                 "will not find them).")
    else:
        where = (f"The points travel **in the link** ({len(text):,} characters; up to "
                 f"{drawn_points.MAX_IN_LINK} points do).")
    st.caption(f"**{len(labels)} points** ({counts}) · {len(split['train'])} training, "
               f"{len(split['val'])} validation, {len(split['test'])} test. {where} "
               "Shift-click removes the nearest point.")
