"""The search loop: Optuna's ask/tell over a backend that runs trials anywhere.

``run_search`` asks the sampler for as many trials as the backend has idle workers,
sends each as a plain spec, and tells the study each outcome as it comes back, so TPE
learns from every finished trial while the others are still training (its
``constant_liar`` keeps parallel asks from piling onto the same point). A diverged
trial is told with the worst objective and the search goes on; a failed one (its
worker died, its config raised) is told as failed and only it is lost.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from playground.config import RunConfig
from playground.search.space import SearchSettings


@dataclass(frozen=True)
class TrialRecord:
    number: int
    params: dict
    state: str              # complete | pruned | diverged | failed | cancelled
    value: float | None     # the objective (worst for a diverged trial)
    intermediate: dict      # {step: objective so far}
    curves: dict            # {"step", "loss", "val_loss", "val_acc"}
    message: str
    seconds: float
    started: float          # seconds after the search started
    ended: float
    config: dict = field(repr=False, default_factory=dict)
    run_id: str | None = None


class LiveSearch:
    """What a running search has done so far, for a page to poll (thread-safe)."""

    def __init__(self, planned: int, backend: str = "", workers: int = 1) -> None:
        self.planned, self.backend, self.workers = planned, backend, workers
        self._trials: list[TrialRecord] = []
        self._running: dict[int, dict] = {}
        self._lock = threading.Lock()
        self.t0 = time.time()

    def started(self, number: int, params: dict) -> None:
        with self._lock:
            self._running[number] = params

    def add(self, trial: TrialRecord) -> None:
        with self._lock:
            self._running.pop(trial.number, None)
            self._trials.append(trial)

    def trials(self) -> list[TrialRecord]:
        with self._lock:
            return list(self._trials)

    def running(self) -> int:
        with self._lock:
            return len(self._running)

    def eta_s(self) -> float | None:
        """Seconds left at the pace so far (finished trials per second of wall time)."""
        trials = self.trials()
        if not trials:
            return None
        pace = (time.time() - self.t0) / len(trials)
        return max(0.0, (self.planned - len(trials)) * pace)


def make_sampler(settings: SearchSettings):
    import optuna

    class AskTellGrid(optuna.samplers.GridSampler):
        """Optuna's grid, without its ``study.stop()`` once the grid is used up: that
        call only works inside ``study.optimize``; this loop stops at the grid's size."""

        def after_trial(self, study, trial, state, values) -> None:
            pass

    if settings.sampler == "grid":
        return AskTellGrid(settings.grid(), seed=settings.seed)
    if settings.sampler == "random":
        return optuna.samplers.RandomSampler(seed=settings.seed)
    return optuna.samplers.TPESampler(seed=settings.seed, constant_liar=True,
                                      n_startup_trials=max(3, min(10, settings.trials // 4)))


def distributions(settings: SearchSettings) -> dict:
    from optuna.distributions import (CategoricalDistribution, FloatDistribution,
                                      IntDistribution)

    out = {}
    for f in settings.fields:
        if f.choices:
            out[f.name] = CategoricalDistribution(list(f.choices))
        elif f.spec.kind == "int":
            out[f.name] = IntDistribution(int(f.low), int(f.high))
        else:
            out[f.name] = FloatDistribution(float(f.low), float(f.high), log=f.log)
    return out


def new_study(settings: SearchSettings):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna.create_study(direction=settings.direction, sampler=make_sampler(settings))


def run_search(base: RunConfig, settings: SearchSettings, backend, progress=None,
               live: LiveSearch | None = None, on_trial=None, study=None):
    """Run the search to its budget (or until ``progress`` is cancelled); returns the
    Optuna study and every trial's record. ``on_trial(record)`` hears each trial as it
    ends (the store mirrors it there)."""
    from optuna.trial import TrialState

    errors = settings.validate(base)
    if errors:
        raise ValueError("; ".join(str(e) for e in errors))
    study = study or new_study(settings)
    dists = distributions(settings)
    planned = settings.planned_trials()
    live = live or LiveSearch(planned, getattr(backend, "name", ""), backend.workers)
    cancel = getattr(progress, "cancel_requested", None)
    first_check = max(1, round(settings.steps / settings.checkpoints))
    asked: dict[int, tuple] = {}     # number -> (optuna trial, params, config, started)
    records: list[TrialRecord] = []
    history: list[dict] = []         # finished trials, as the pruner in a worker sees them
    t0 = time.time()
    launched = 0

    def finish(number: int, outcome: dict) -> None:
        trial, params, config, started = asked.pop(number)
        state = outcome["state"]
        value = outcome.get("value")
        for step, v in sorted(outcome.get("intermediate", {}).items()):
            trial.report(v, int(step))
        if state == "complete" or state == "diverged":
            study.tell(trial, value)
        elif state == "pruned":
            study.tell(trial, state=TrialState.PRUNED)
        else:
            study.tell(trial, state=TrialState.FAIL)
        if state in ("complete", "pruned"):
            history.append({"state": state, "value": value,
                            "intermediate": outcome.get("intermediate", {}),
                            "system_attrs": outcome.get("system_attrs", {})})
        record = TrialRecord(number, params, state, value, outcome.get("intermediate", {}),
                             outcome.get("curves", {}), outcome.get("message", ""),
                             outcome.get("seconds", 0.0), started, time.time() - t0, config)
        if on_trial is not None:
            record = on_trial(record) or record
        records.append(record)
        live.add(record)
        if progress is not None:
            done = len(records)
            progress.update(min(1.0, done / planned), f"trial {done} of {planned} ended")

    try:
        while launched < planned or asked:
            if cancel is not None and cancel.is_set():
                for number, outcome in backend.cancel():
                    if number in asked:
                        finish(number, outcome)
                for number in list(asked):
                    finish(number, {"state": "cancelled", "message": "cancelled"})
                progress.check()   # raises Cancelled
            while launched < planned and backend.idle > 0:
                trial = study.ask(dists)
                params = dict(trial.params)
                config = settings.config_for(base, params).to_dict()
                asked[trial.number] = (trial, params, config, time.time() - t0)
                live.started(trial.number, params)
                backend.submit(trial.number, {
                    "config": config, "objective": settings.objective, "seeds": settings.seeds,
                    "checkpoints": settings.checkpoints, "pruner": settings.pruner,
                    "direction": settings.direction, "first_checkpoint": first_check,
                    "history": list(history)})
                launched += 1
            for number, outcome in backend.wait(0.2):
                if number in asked:
                    finish(number, outcome)
    finally:
        if asked:   # an error in the loop: stop what still runs
            for number, outcome in backend.cancel():
                asked.pop(number, None)
    return study, records


def best_trial(records: list[TrialRecord], direction: str) -> TrialRecord | None:
    done = [r for r in records if r.state == "complete" and r.value is not None
            and math.isfinite(r.value)]
    if not done:
        return None
    return (max if direction == "maximize" else min)(done, key=lambda r: r.value)


def best_so_far(records: list[TrialRecord], direction: str) -> list[float | None]:
    """The best objective after each trial, in the order they ended."""
    out, best = [], None
    better = max if direction == "maximize" else min
    for r in sorted(records, key=lambda r: r.ended):
        if r.state in ("complete", "diverged") and r.value is not None:
            best = r.value if best is None else better(best, r.value)
        out.append(best)
    return out


def importance(study, settings: SearchSettings) -> dict[str, float]:
    """How much of the objective's spread each field explains (Optuna's fANOVA on the
    finished trials); empty until there are enough of them to say."""
    import optuna
    from optuna.trial import TrialState

    done = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))]
    if len(done) < 4 or len(settings.fields) < 1:
        return {}
    try:
        return optuna.importance.get_param_importances(
            study, evaluator=optuna.importance.FanovaImportanceEvaluator(seed=0))
    except (RuntimeError, ValueError):   # every trial had the same value, a field never varied
        return {}
