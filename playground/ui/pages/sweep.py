"""LR sweep page: find a learning rate before you train.

Two modes on the sidebar's setup: a range test (one step per η on a ramp, as in
fastai / torch-lr-finder / makemore) and short runs (T steps at each of K fixed η).
Sweeps are registry jobs: they run off the page with a progress bar and Cancel, on
fresh copies of the model, and leave every live run untouched.
"""
from __future__ import annotations

import streamlit as st

from playground.config import OPTIMIZERS, RunConfig
from playground.registry import RunRegistry
from playground.short_runs import MAX_POINTS, MAX_SEEDS, ShortRunSettings, short_runs_many
from playground.figures.sweep import range_test_figure
from playground.sweep import (MAX_SWEEP_STEPS, MIN_SWEEP_STEPS, PRESETS, RAMPS, LiveCurves,
                              SweepSettings, auto_beta, range_test_many)
from playground.ui import runtime
from playground.ui.controls import INT_FORMAT, whole
from playground.ui.sweep_results import result_key, show_result

JOB_KEY = "sweep_job"
MODES = {"range": "Range test", "short": "Short runs"}
FRESH = "__fresh__"
POLL_S = 0.5
LR_FORMAT = "%g"
FIELD_LABELS = {"start_lr": "Start LR", "end_lr": "End LR", "steps": "Steps",
                "ramp": "Ramp", "beta": "Smoothing β", "stop_factor": "Stop factor",
                "batch_size": "Batch size", "points": "Learning rates (K)", "seeds": "Seeds"}
# Every setting persists for the session: Streamlit would otherwise drop the other
# mode's settings (not drawn) and all of them on a page switch.
PERSIST = "session"
SHORT_DEFAULTS = {"sr_start": 1e-4, "sr_end": 1.0, "sr_points": 9.0, "sr_steps": 200.0,
                  "sr_seeds": 1.0}


def render() -> None:
    reg = runtime.registry()
    sid = runtime.session_id()
    reg.touch(sid)
    handoff = runtime.take_handoff("sweep")
    if handoff and handoff.get("preset") in PRESETS:
        _apply_preset(handoff["preset"])
        st.session_state["sw_mode"] = "range"
    config = runtime.get_config()       # as the sidebar (drawn by the shell) left it
    errors = config.validate()
    _init_widgets(config)

    st.title("LR sweep")
    st.caption("Find a learning rate before you train. The **range test** raises η a little "
               "every step and watches the loss: it falls, flattens, then blows up. **Short "
               "runs** train a few hundred steps at each of several fixed η and compare where "
               "they end. Both use the setup in the sidebar and never touch your runs.")
    mode = st.radio("Mode", list(MODES), format_func=MODES.get, horizontal=True, key="sw_mode", persist_state=PERSIST,
                    help="Range test: one step per η, fast, biased toward small η (early "
                         "steps always have higher loss). Short runs: slower, unbiased.")
    source = _source_picker(reg, sid, config)
    run_config = source[0] if source else config
    optimizers = _optimizer_picker(run_config)
    if mode == "range":
        settings = _range_settings(run_config)
    else:
        settings = _short_settings(run_config, len(optimizers))

    problems = settings.validate() if mode == "range" else settings.validate(len(optimizers))
    if not problems and not (errors and source is None):
        # What the sweep will really train (its own batch size on this setup): checked
        # here, by its box, instead of failing once the job has started.
        problems = [e for e in settings.apply(run_config).validate() if e.field == "batch_size"]
    for err in problems:
        st.error(f"**{FIELD_LABELS.get(err.field, err.field)}**: {err.reason}",
                 icon=":material/error:")
    if errors and source is None:
        st.error("Fix the settings marked in the sidebar to run a sweep.", icon=":material/error:")
    if not optimizers:
        st.error("Choose at least one optimizer to sweep.", icon=":material/error:")
    blocked = bool(problems) or (bool(errors) and source is None) or not optimizers

    job = st.session_state.get(JOB_KEY)
    busy = job is not None and _job_active(reg, job["id"])
    go = st.button("Run sweep", type="primary", key="sw_run", icon=":material/play_arrow:",
                   disabled=blocked or busy,
                   help="Start the sweep in the background; the page stays usable.")
    if (go or (handoff and handoff.get("start"))) and not blocked and not busy:
        _start(reg, sid, mode, run_config, optimizers, settings, source)
        st.rerun()
    _job_panel(reg)
    if st.session_state.get(result_key(mode)):
        show_result(st.session_state[result_key(mode)], config)


# ------------------------------------------------------------------ settings
def _init_widgets(config: RunConfig) -> None:
    if "sw_start" not in st.session_state:
        _apply_preset("default")
    st.session_state.setdefault("sw_batch", float(config.batch_size)
                                if isinstance(config.batch_size, int) else 32.0)
    st.session_state.setdefault("sw_opts", [config.optimizer])
    for k, v in SHORT_DEFAULTS.items():
        st.session_state.setdefault(k, v)


def _apply_preset(name: str) -> None:
    s = PRESETS[name][1]
    st.session_state.update({"sw_preset": name, "sw_start": s.start_lr, "sw_end": s.end_lr,
                             "sw_steps": float(s.steps), "sw_ramp": s.ramp, "sw_beta_auto": True,
                             "sw_stop": s.stop_factor})
    if s.batch_size is not None:
        st.session_state["sw_batch"] = float(s.batch_size)


def _on_preset() -> None:
    _apply_preset(st.session_state["sw_preset"])


def _source_picker(reg: RunRegistry, sid: str, config: RunConfig):
    """Sweep from the config's initial weights, or from a copy of a run's current ones."""
    runs = [w for w in reg.runs(sid) if w.trainer is not None]
    options = [FRESH] + [w.run_id for w in runs]
    labels = {FRESH: f"Fresh initial weights (seed {config.seed})"}
    for w in runs:
        snap = w.snapshot(poll=False, with_weights=False)
        labels[w.run_id] = (f"Run {w.run_id}: {w.config.short_label()}, current weights at "
                            f"step {snap.step:,} ({snap.status.value})")
    if st.session_state.get("sw_from") not in options:
        st.session_state["sw_from"] = FRESH
    choice = st.selectbox("Start from", options, format_func=labels.get, persist_state=PERSIST, key="sw_from",
                          help="Fresh: the weights a new run with this setup starts from. A "
                               "run: a copy of its latest weights (with that run's setup); "
                               "the run itself is not changed or paused.")
    if choice == FRESH:
        return None
    snap = reg.snapshot(choice)
    if snap is None or snap.weights is None:
        st.warning("That run has no weights to copy yet; using fresh weights.")
        return None
    st.caption(f"Sweeping from run {choice}'s weights at step {snap.weights_step:,} with that "
               f"run's setup ({snap.config.short_label()}); the sidebar's setup is ignored.")
    return snap.config, snap.weights


def _optimizer_picker(config: RunConfig) -> list[str]:
    return st.multiselect("Optimizers", list(OPTIMIZERS), key="sw_opts", persist_state=PERSIST,
                          format_func=OPTIMIZERS.get,
                          help="Sweep several optimizers from the same initial weights and "
                               "the same batches; each keeps its sidebar hyper-parameters "
                               "(momentum, betas…). Colors match every other page.")


def _range_settings(config: RunConfig) -> SweepSettings:
    c = st.columns([2.2, 1.3, 1.2, 1.2, 1, 1])
    c[0].selectbox("Preset", list(PRESETS), key="sw_preset", on_change=_on_preset, persist_state=PERSIST,
                   format_func=lambda k: PRESETS[k][0],
                   help="Default: a wide 100-step look. makemore: the lecture's "
                        "10**linspace(-3, 0, 1000) at batch 32. fastai: lr_find's range.")
    ramp = c[1].radio("Ramp", list(RAMPS), key="sw_ramp", format_func=RAMPS.get, persist_state=PERSIST,
                      horizontal=True, help="Exponential: the same number of steps per "
                      "decade of η (the usual choice). Linear: equal steps in η.")
    start = c[2].number_input("Start LR", persist_state=PERSIST, key="sw_start", format=LR_FORMAT, step=None,
                              help="Smallest η, used for the first step.")
    end = c[3].number_input("End LR", persist_state=PERSIST, key="sw_end", format=LR_FORMAT, step=None,
                            help="Largest η, reached at the last step if the loss has "
                                 "not blown up before.")
    steps = c[4].number_input("Steps", persist_state=PERSIST, key="sw_steps", step=100.0, format=INT_FORMAT,
                              help=f"One optimizer step (one minibatch) per η; "
                                   f"{MIN_SWEEP_STEPS}–{MAX_SWEEP_STEPS:,}.")
    batch = c[5].number_input("Batch size", persist_state=PERSIST, key="sw_batch", step=1.0, format=INT_FORMAT,
                              help=f"Examples per step for the sweep (0 = full batch). The "
                                   f"sidebar's setup uses {config.batch_size}.")
    c = st.columns([1.2, 2, 1.2, 3])
    auto = c[0].toggle("Auto β", persist_state=PERSIST, key="sw_beta_auto",
                       help="Pick the smoothing from the number of steps: an average "
                            "over about 5% of the ramp.")
    n = whole(steps)
    beta_auto = auto_beta(n) if isinstance(n, int) and n > 0 else 0.9
    if auto or "sw_beta" not in st.session_state:
        st.session_state["sw_beta"] = round(beta_auto, 3)
    beta = c[1].slider("Smoothing β", 0.0, 0.995, persist_state=PERSIST, key="sw_beta", step=0.005, disabled=auto,
                       help="Bias-corrected exponential moving average of the loss: "
                            "smoothed = β·previous + (1−β)·loss. Higher = smoother but "
                            "later. Also adjustable after the sweep.")
    stop = c[2].number_input("Stop factor", persist_state=PERSIST, key="sw_stop", step=0.5, format="%g",
                             help="Stop once the smoothed loss exceeds this many times its "
                                  "best value (or the loss is not finite).")
    return SweepSettings(start_lr=float(start), end_lr=float(end), steps=whole(steps), ramp=ramp,
                         beta=None if auto else float(beta), stop_factor=float(stop),
                         batch_size=whole(batch))


def _short_settings(config: RunConfig, n_opts: int) -> ShortRunSettings:
    c = st.columns(6)
    start = c[0].number_input("Smallest LR", persist_state=PERSIST, key="sr_start", format=LR_FORMAT, step=None,
                              help="First point of the log grid.")
    end = c[1].number_input("Largest LR", persist_state=PERSIST, key="sr_end", format=LR_FORMAT, step=None,
                            help="Last point of the log grid.")
    points = c[2].number_input("Learning rates (K)", key="sr_points", persist_state=PERSIST, step=1.0, format=INT_FORMAT,
                               help=f"How many η on the log grid (2–{MAX_POINTS}).")
    steps = c[3].number_input("Steps each (T)", key="sr_steps", persist_state=PERSIST, step=50.0, format=INT_FORMAT,
                              help="Optimizer steps at each fixed η; every η starts from the "
                                   "same weights with the same batches.")
    seeds = c[4].number_input("Seeds", persist_state=PERSIST, key="sr_seeds", step=1.0, format=INT_FORMAT,
                              help=f"1–{MAX_SEEDS}: repeat with other initial weights and batch "
                                   "orders (same data) and show the spread as a band.")
    batch = c[5].number_input("Batch size", persist_state=PERSIST, key="sw_batch", step=1.0, format=INT_FORMAT,
                              help=f"Examples per step (0 = full batch). The sidebar's setup "
                                   f"uses {config.batch_size}.")
    s = ShortRunSettings(start_lr=float(start), end_lr=float(end), points=whole(points),
                         steps=whole(steps), seeds=whole(seeds), batch_size=whole(batch))
    if not s.validate(n_opts):
        total = s.points * s.steps * s.seeds * max(1, n_opts)
        st.caption(f"{total:,} optimizer steps in all ({s.points} η × {s.steps} steps × "
                   f"{s.seeds} seed{'s' * (s.seeds > 1)} × {max(1, n_opts)} optimizer"
                   f"{'s' * (n_opts > 1)}).")
    return s


# ----------------------------------------------------------------------- jobs
def _start(reg: RunRegistry, sid: str, mode: str, config: RunConfig, optimizers: list[str],
           settings, source) -> None:
    init_state = source[1] if source else None
    live = LiveCurves() if mode == "range" else None
    if mode == "range":
        def fn(progress):
            return range_test_many(config, optimizers, settings, progress, init_state=init_state,
                                   live=live)
    else:
        def fn(progress):
            return short_runs_many(config, optimizers, settings, progress, init_state=init_state)
    label = f"{MODES[mode]}: {', '.join(OPTIMIZERS[o] for o in optimizers)}"
    job_id = reg.start_job(fn, owner=sid, label=label)
    st.session_state[JOB_KEY] = {"id": job_id, "mode": mode, "settings": settings,
                                 "config": config, "label": label, "live": live}


def _job_active(reg: RunRegistry, job_id: str) -> bool:
    snap = reg.job_snapshot(job_id)
    return snap is not None and snap.active


def _job_panel(reg: RunRegistry) -> None:
    job = st.session_state.get(JOB_KEY)
    if job is None:
        return
    polling = POLL_S if _job_active(reg, job["id"]) else None

    @st.fragment(run_every=polling)
    def panel() -> None:
        snap = reg.job_snapshot(job["id"])
        if snap is None:
            st.warning("The sweep is gone (the server restarted); run it again.")
            st.session_state.pop(JOB_KEY, None)
            return
        if snap.active:
            if snap.status == "queued":
                text = (f"Waiting for a free compute slot (place {snap.queue_position} in the "
                        "queue)…" if snap.queue_position else "Starting…")
            else:
                text = f"{job['label']} — {snap.message or 'running'} ({snap.fraction:.0%})"
            c = st.columns([5, 1])
            c[0].progress(snap.fraction, text=text)
            if c[1].button("Cancel", key="sw_cancel", icon=":material/cancel:",
                           help="Stop the sweep; nothing is kept from it."):
                reg.job(job["id"]).cancel()
                st.rerun(scope="app")
            live = job.get("live")
            partial = live.curves(job["settings"]) if live is not None else []
            if partial:   # the curve so far, redrawn with every poll
                span = (job["settings"].start_lr, job["settings"].end_lr)
                st.plotly_chart(range_test_figure(partial, suggestions=False, x_span=span,
                                                  title=None),
                                key="sw_live_chart", theme="streamlit",
                                config={"displaylogo": False})
            return
        st.session_state.pop(JOB_KEY, None)
        if snap.status == "done":
            st.session_state[result_key(job["mode"])] = {"id": job["id"], "mode": job["mode"],
                                                         "items": snap.result,
                                                         "settings": job["settings"],
                                                         "config": job["config"],
                                                         "seconds": snap.elapsed_s}
        elif snap.status == "cancelled":
            st.session_state["sw_notice"] = ("info", "Sweep cancelled.")
        else:
            st.session_state["sw_notice"] = ("error", f"The sweep failed: {snap.error}")
        if polling:
            st.rerun(scope="app")

    panel()
    notice = st.session_state.pop("sw_notice", None)
    if notice:
        getattr(st, notice[0])(notice[1])

