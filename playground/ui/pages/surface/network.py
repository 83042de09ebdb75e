"""Loss surface page, tab 2: the loss around a real run's weights, its path on it."""
from __future__ import annotations

import streamlit as st

from playground.config import RunConfig
from playground.config import MAX_SEED
from playground.runs.status import TERMINAL, JobStatus, Status
from playground.surface.network import (MAX_RES, MIN_RES, PLANES, SPLITS, SurfaceSpec,
                                        cache_key, cached, surface_job)
from playground.ui import runtime
from playground.ui.pages.surface.result import show_result

USABLE = TERMINAL - {Status.FAILED} | {Status.PAUSED}    # runs with a path to draw
BUSY = frozenset({Status.QUEUED, Status.RUNNING})
# Small and quick (≈1 s on one core), so the tab is never empty.
DEMO = RunConfig(dataset="spiral", n_samples=600, classes=3, hidden_layers=2, width=16,
                 activation="tanh", optimizer="adam", lr=0.01, batch_size=32, length=400,
                 seed=0, eval_every=50)


def _label(s) -> str:
    return f"{s.run_id} · {s.label} · {s.config.dataset} · {s.status.value} at step {s.step:,}"


def _start_demo(configs: list[RunConfig]) -> None:
    reg, owner = runtime.registry(), runtime.session_id()
    try:
        ids = [reg.start(c, owner=owner) for c in configs]
    except Exception as exc:   # run limit, invalid config: say so, keep the page alive
        st.session_state["net_error"] = f"Could not start the demo run: {exc}"
        return
    st.session_state["net_pending"] = ids


def render(handoff=None) -> None:
    """``handoff``: the Compare page's ``ToSurface(run_ids)``, taken by the page."""
    reg, owner = runtime.registry(), runtime.session_id()
    if handoff is not None and handoff.run_ids:
        st.session_state["net_pending"] = list(handoff.run_ids)
    runs = sorted(reg.snapshots(owner=owner, max_points=2, with_weights=False),
                  key=lambda s: s.created, reverse=True)
    usable = {s.run_id: s for s in runs if s.status in USABLE and s.step > 0}
    busy = [s for s in runs if s.status in BUSY]
    exists = {s.run_id for s in runs}
    pending = st.session_state.get("net_pending") or []
    if pending and all(i in usable for i in pending if i in exists):
        st.session_state["net_runs"] = [i for i in pending if i in usable]
        st.session_state.pop("net_pending", None)
        # runs sent here (Compare, demo button) are drawn without another click
        st.session_state["net_autorun"] = bool(st.session_state["net_runs"])
    if "net_error" in st.session_state:
        st.error(st.session_state.pop("net_error"))
    _demo_buttons(not usable)
    if busy:
        _busy_panel(busy, pending)
    if not usable:
        st.info("No paused or finished run in this session yet. Train one on the Train or "
                "Compare page, or press **Train a quick demo run** above.")
        return
    st.session_state["net_runs"] = [i for i in st.session_state.get("net_runs", [])
                                    if i in usable] or [next(iter(usable))]
    chosen = st.multiselect(
        "Runs to draw", list(usable), key="net_runs", format_func=lambda i: _label(usable[i]),
        help="One run, or several with the same model and data (e.g. from Compare): their "
             "paths share one plane, PCA of all their checkpoints together.")
    spec = _settings()
    if spec is None or not chosen:
        if not chosen:
            st.info("Choose at least one run.")
        return
    go = st.button("Compute surface", type="primary", key="net_compute",
                   icon=":material/landscape:",
                   help="Evaluate the loss on the grid in the background (cancellable).")
    if go or st.session_state.pop("net_autorun", False):
        _launch(list(chosen), spec, [usable[i].step for i in chosen])
    _job_panel()
    key = st.session_state.get("net_result_key")
    result = cached(key) if key is not None else None
    if result is not None:
        stale = _stale(st.session_state.get("net_result_for"), list(chosen), spec, usable)
        if stale:
            st.warning(f"**Out of date:** this surface was computed for {stale}. Press "
                       "**Compute surface** to draw it for the current choice.",
                       icon=":material/update:")
        show_result(result)


def _stale(made_for, run_ids: list[str], spec: SurfaceSpec, usable: dict) -> str:
    """What differs between the shown surface and the current choice ("" if nothing):
    another run selection, other settings, or runs that trained on since."""
    if made_for is None:
        return ""
    ids, old_spec, steps = made_for
    if list(ids) != run_ids:
        return "other runs (" + ", ".join(ids) + ")"
    changed = [f for f in SurfaceSpec.__dataclass_fields__
               if getattr(old_spec, f) != getattr(spec, f)]
    if changed:
        return "other settings (" + ", ".join(f.replace("_", " ") for f in changed) + ")"
    moved = [i for i, s in zip(ids, steps) if i in usable and usable[i].step != s]
    if moved:
        return "earlier weights: " + ", ".join(moved) + " trained on since"
    return ""


def _demo_buttons(primary: bool) -> None:
    c1, c2, _ = st.columns([1, 1, 2])
    c1.button("Train a quick demo run", key="net_demo", on_click=_start_demo, args=([DEMO],),
              type="primary" if primary else "secondary", icon=":material/bolt:",
              help="Adam on the spiral, 2×16 tanh MLP, 400 steps (about a second).")
    c2.button("Train SGD+momentum vs Adam", key="net_demo_pair", on_click=_start_demo,
              args=([DEMO.replace(optimizer="momentum", lr=0.05), DEMO],),
              icon=":material/compare_arrows:",
              help="Two demo runs from the same initial weights, drawn on one shared plane.")


@st.fragment(run_every=0.5)
def _busy_panel(busy, pending) -> None:
    reg = runtime.registry()
    still = []
    for b in busy:
        snap = reg.snapshot(b.run_id, with_weights=False)
        if snap is not None and snap.active and snap.status in BUSY:
            still.append(snap)
    if not still:
        st.rerun(scope="app")
    for snap in still:
        st.progress(snap.progress, text=f"{snap.run_id} · {snap.config.short_label()}: "
                    f"{snap.message}")
    waiting = [s.run_id for s in still if s.run_id in pending]
    if waiting and st.button("Pause these runs to draw them now", key="net_pause",
                             help="A surface needs a run that is not training; pausing "
                                  "keeps its progress (resume it on its page)."):
        for i in waiting:
            reg.pause(i)
    elif not waiting:
        st.caption("Runs that are still training appear above the run picker once they "
                   "pause or finish.")


def _settings() -> SurfaceSpec | None:
    c1, c2, c3 = st.columns([1.4, 1, 1])
    plane = c1.radio("Plane", list(PLANES), format_func=PLANES.get, key="net_plane",
                     help="PCA: the two directions the recorded path moved along most (the "
                          "plane closest to the path). Random: two filter-normalized random "
                          "directions (Li et al. 2018) through the final weights, the classic "
                          "picture of a minimum's shape.")
    res = c2.slider("Grid resolution", MIN_RES, MAX_RES, 41, 2, key="net_res",
                    help="Points per side; the loss is evaluated at resolution² points.")
    split = c3.selectbox("Evaluate on", SPLITS, key="net_split",
                         format_func=lambda s: {"train": "training set",
                                                "val": "validation set"}[s],
                         help="Which examples the loss is measured on.")
    d1, d2, d3 = st.columns([1, 1, 1.4])
    full = d1.toggle("All examples", False, key="net_full",
                     help="Use the whole split (slower on big sets) instead of a fixed subset.")
    size = d2.number_input("Subset size", 50, 100_000, 1000, 250, key="net_eval",
                           disabled=full, help="How many examples (the same fixed, seeded "
                           "subset every time) the loss is averaged over.")
    # One span choice per plane: a PCA path fits its plane, a random plane is usually
    # viewed at ±1 (the path barely shows on it).
    fit = d3.radio("Span", ["fit", "manual"], horizontal=True, key=f"net_span_{plane}",
                   index=0 if plane == "pca" else 1,
                   format_func={"fit": "Fit to the path", "manual": "Manual"}.get,
                   help="Fit: the grid covers the projected path(s) plus a margin. Manual: "
                        "you choose the coordinate ranges (±1 is Li et al.'s view).")
    margin, a_rng, b_rng, seed = 0.3, (-1.0, 1.0), (-1.0, 1.0), 0
    e1, e2, e3, e4, e5 = st.columns(5)
    if fit == "fit":
        margin = e1.slider("Margin", 0.0, 2.0, 0.3, 0.05, key="net_margin",
                           help="Extra room around the path, as a share of its extent.")
    else:
        a_rng = (e1.number_input("α from", value=-1.0, key="net_a0", help="Left edge."),
                 e2.number_input("α to", value=1.0, key="net_a1", help="Right edge."))
        b_rng = (e3.number_input("β from", value=-1.0, key="net_b0", help="Bottom edge."),
                 e4.number_input("β to", value=1.0, key="net_b1", help="Top edge."))
    if plane == "random":
        seed = e5.number_input("Direction seed", 0, MAX_SEED, 0, key="net_seed",
                               help="Seed of the random directions: change it to see "
                                    "another slice through the same minimum.")
    spec = SurfaceSpec(plane=plane, resolution=int(res), fit_span=fit == "fit",
                       margin=float(margin), alpha_range=tuple(map(float, a_rng)),
                       beta_range=tuple(map(float, b_rng)), eval_size=0 if full else int(size),
                       split=split, seed=int(seed))
    problems = spec.problems()
    if problems:
        st.error("Fix the surface settings: " + "; ".join(problems))
        return None
    return spec


def _launch(run_ids: list[str], spec: SurfaceSpec, steps: list[int]) -> None:
    try:
        traces = [runtime.registry().capture(i) for i in run_ids]
    except ValueError as exc:
        st.error(str(exc))
        return
    key = cache_key(traces, spec)
    made_for = (tuple(run_ids), spec, tuple(steps))
    if cached(key) is not None:
        st.session_state["net_result_key"], st.session_state["net_result_for"] = key, made_for
        return
    runtime.registry().cancel_job(st.session_state.get("net_job"))
    job_id = runtime.registry().start_job(surface_job(traces, spec), owner=runtime.session_id(),
                                          label="Loss surface")
    st.session_state["net_job"], st.session_state["net_job_key"] = job_id, key
    st.session_state["net_job_for"] = made_for


def _job_panel() -> None:
    snap = runtime.registry().job_snapshot(st.session_state.get("net_job"))
    if snap is None:
        return
    if snap.active:
        _job_progress()
    elif snap.status == JobStatus.DONE and st.session_state.get("net_job_key") is not None:
        st.session_state["net_result_key"] = st.session_state.pop("net_job_key")
        st.session_state["net_result_for"] = st.session_state.pop("net_job_for", None)
    elif snap.status == JobStatus.FAILED:
        st.error(f"The surface computation failed: {snap.error}")
    elif snap.status == JobStatus.CANCELLED:
        st.warning("Surface computation cancelled.")


@st.fragment(run_every=0.5)
def _job_progress() -> None:
    reg = runtime.registry()
    snap = reg.job_snapshot(st.session_state.get("net_job"))
    if snap is None or not snap.active:
        st.rerun(scope="app")
    where = (f"waiting for a free compute slot (position {snap.queue_position})"
             if snap.status == JobStatus.QUEUED else snap.message or "starting")
    st.progress(snap.fraction, text=f"Computing the surface: {where} · {snap.elapsed_s:.1f} s")
    if st.button("Cancel", key="net_cancel", icon=":material/cancel:",
                 help="Stop the computation; nothing is kept."):
        reg.cancel_job(snap.job_id)
        st.session_state.pop("net_job_key", None)
