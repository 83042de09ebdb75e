"""A lane's process: many runs, one thread, in turns; what changed goes back ten times
a second.

The loop: read what the app sent (start a run, a command, shut down), pick whose turn
it is (:mod:`.scheduler`), train that run one paced step or one full-speed slice, and
publish. Each run is an ordinary RunRecord driving an ordinary Trainer, so a run trains
here exactly as it would on a thread of the app; every exception becomes that run's
*failed* status with its message, and the lane goes on with the others.
"""
from __future__ import annotations

import os
import time

import torch

from playground.config import RunConfig
from playground.runs import commands
from playground.runs.lanes import delta, scheduler
from playground.runs.lanes.delta import WorkerRecord
from playground.runs.lanes.scheduler import Turns
from playground.runs.limits import configure_torch_threads, warm_up
from playground.runs.status import Status
from playground.training.trainer import Trainer

PUBLISH_S = 0.1        # how often the app hears what changed (and at once after a command)
COST_EMA = 0.3         # weight of each new measurement of a run's step cost
IDLE_POLL_S = 1.0      # with nothing to train, how often to check the app is still there
LANE_NICENESS = 10     # lanes run below the app process's scheduling priority


class LaneRun:
    """One run on this lane: its record, its trainer and its place in the turns."""

    def __init__(self, spec: dict):
        config, _ = RunConfig.from_dict(spec["config"])   # checked by the app already
        self.record = WorkerRecord(spec["run_id"], config, owner=spec["owner"],
                                   label=spec["label"], paused=spec["paused"])
        self.record.pace = spec["pace"]
        self.record.holding_slot = True     # a lane admits every run it is given
        self.turns = Turns(pace=spec["pace"])
        self.mark = 0.0                     # when its running time was last counted
        self.window = (0.0, 0.0)            # (wall, CPU) at the start of the share window
        self.changed = True
        init = spec.get("init_state")
        self._init_state = ({k: torch.from_numpy(v) for k, v in init.items()}
                            if init else None)

    def build(self) -> None:
        try:
            trainer = Trainer(self.record.config, init_state=self._init_state)
            self._init_state = None
            self.record.attach(trainer)
            if self.record.status == Status.QUEUED:
                self.record.set_running()
        except Exception as exc:   # a run never dies silently
            self.record.fail(exc)

    def runnable(self) -> bool:
        r = self.record
        return (r.trainer is not None and not r.ended
                and not (r.status == Status.PAUSED and r.pending_steps == 0))

    def effective_pace(self) -> float | None:
        """Paced only while running: asked-for Steps of a paused run go at full speed."""
        return self.record.pace if self.record.status == Status.RUNNING else None

    def train(self, kind: str, slice_s: float) -> None:
        """One paced step, or full-speed steps for ``slice_s``; CPU and time counted."""
        record, turns = self.record, self.turns
        trainer = record.trainer
        cpu0 = time.thread_time()
        t_end = time.perf_counter() + slice_s
        steps = 0
        try:
            while True:
                r = trainer.step()
                steps += 1
                now = time.perf_counter()
                busy = record.busy_s + (now - self.mark)
                self.mark = now
                go_on = record.after_step(r, busy, now)
                scheduler.count_step(turns, now)
                if kind == "paced":
                    scheduler.after_paced_step(turns, now)
                if not go_on or kind == "paced" or now >= t_end:
                    break
        except Exception as exc:
            record.fail(exc)
        cpu = time.thread_time() - cpu0
        record.add_cpu(cpu)
        if kind == "full":
            turns.cpu_used += cpu
        if steps:
            cost = cpu / steps
            record.cost_s = cost if record.cost_s is None else (
                (1 - COST_EMA) * record.cost_s + COST_EMA * cost)
        record.slowed = scheduler.is_slowed(turns)
        self.changed = True

    def share(self, now: float) -> None:
        """Cores this run used since the last call (the Server page's CPU share)."""
        wall0, cpu0 = self.window
        if wall0 and now > wall0:
            self.record.cpu_share = (self.record._cpu_s - cpu0) / (now - wall0)
        self.window = (now, self.record._cpu_s)


class Lane:
    def __init__(self, conn, parent_pid: int):
        self.conn, self.parent_pid = conn, parent_pid
        self.runs: dict[str, LaneRun] = {}
        self.urgent = False
        self.last_publish = 0.0
        self.cpu_mark = (time.perf_counter(), time.process_time())
        self.cpu_share = 0.0
        # Who can train and at what pace changes only with a message or at a run's end
        # (or its asked-for Steps done): kept between those, not recomputed every step
        # (with 20 runs that cost a third as much as the step itself).
        self._ready: set[str] | None = None
        self._turns: dict = {}

    # -------------------------------------------------------------- messages
    def handle(self, message) -> bool:
        """Apply one message from the app; False when the lane must stop."""
        kind = message[0]
        if kind == "start":
            run = LaneRun(message[1])
            self.runs[run.record.run_id] = run
            run.build()
            run.mark = time.perf_counter()
            self.urgent, self._ready = True, None
        elif kind == "cmd":
            _, run_id, seq, name, arg = message
            run = self.runs.get(run_id)
            if run is not None:
                self._command(run, seq, name, arg)
        elif kind == "shutdown":
            return False
        return True

    def _command(self, run: LaneRun, seq: int, name: str, arg) -> None:
        was = run.runnable(), run.effective_pace()
        try:
            commands.apply(run.record, (name, arg))
        except Exception as exc:   # e.g. an LR the optimizer refuses
            run.record.fail(exc)
        run.record.acked = seq
        now = time.perf_counter()
        if run.runnable() and not was[0]:
            run.mark = now                    # paused time is not running time
        pace = run.effective_pace()
        if (run.runnable(), pace) != was:
            run.turns.pace, run.turns.due = pace, now
            run.turns.window_start, run.turns.window_steps = None, 0
            if pace is None:
                scheduler.join_full_speed({i: r.turns for i, r in self.runs.items()},
                                          run.record.run_id)
        run.changed = True
        self.urgent, self._ready = True, None

    # -------------------------------------------------------------- the loop
    def loop(self) -> None:
        running = True
        while running:
            now = time.perf_counter()
            if self._ready is None:
                self._ready = {rid for rid, r in self.runs.items() if r.runnable()}
                for rid in self._ready:
                    self.runs[rid].turns.pace = self.runs[rid].effective_pace()
                self._turns = {i: r.turns for i, r in self.runs.items()}
            rid, kind, wait = scheduler.next_run(self._turns, self._ready, now)
            if rid is None:
                publish_in = max(0.0, self.last_publish + PUBLISH_S - now)
                timeout = min(IDLE_POLL_S, publish_in if self._dirty() else IDLE_POLL_S,
                              wait if wait is not None else IDLE_POLL_S)
            else:
                timeout = 0.0
            if self.conn.poll(max(0.0, timeout)):
                try:
                    running = self.handle(self.conn.recv())
                except EOFError:
                    return
                continue
            if rid is not None:
                run = self.runs[rid]
                run.train(kind, scheduler.SLICE_S)
                if not run.runnable() or run.effective_pace() != run.turns.pace:
                    self._ready = None            # it ended, or its Steps are done
            elif os.getppid() != self.parent_pid:
                return                            # the app went away: so does the lane
            self.publish()
        self.stop_all()

    def _dirty(self) -> bool:
        return self.urgent or any(r.changed for r in self.runs.values())

    def publish(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and not self.urgent and now - self.last_publish < PUBLISH_S:
            return
        wall0, cpu0 = self.cpu_mark
        if now - wall0 >= 1.0:
            self.cpu_share = (time.process_time() - cpu0) / (now - wall0)
            self.cpu_mark = (now, time.process_time())
            for run in self.runs.values():
                run.share(now)
        deltas = [delta.take(r.record) for r in self.runs.values() if r.changed]
        for run in self.runs.values():
            run.changed = False
        stats = {"cpu_share": self.cpu_share, "runs": len(self.runs),
                 "need": sum((r.record.pace or 0) * (r.record.cost_s or 0)
                             for r in self.runs.values() if r.runnable() and r.turns.pace),
                 "full": sum(1 for r in self.runs.values() if r.runnable()
                             and not r.turns.pace)}
        self.conn.send(("deltas", deltas, stats))
        for rid in [rid for rid, r in self.runs.items() if r.record.ended]:
            del self.runs[rid]                    # its last delta has gone
            self._ready = None
        self.last_publish, self.urgent = now, False

    def stop_all(self) -> None:
        for run in self.runs.values():
            if not run.record.ended:
                run.record.stop()
            run.changed = True
        try:
            self.publish(force=True)
        except (BrokenPipeError, OSError):
            pass


def serve(conn, parent_pid: int) -> None:
    """The lane process's entry point."""
    configure_torch_threads()
    # Pages first: when a click's rerun and a lane want the same core, the click gets it
    # (a lane's paced runs have slack; a student waiting for a redraw has none).
    try:
        os.nice(LANE_NICENESS)
    except OSError:
        pass
    warm_up()
    conn.send(("ready", os.getpid()))
    try:
        Lane(conn, parent_pid).loop()
    except (BrokenPipeError, EOFError, OSError):
        pass
