"""The app side of the lanes: start their processes, place runs, carry commands and
deltas.

Each lane is a ``spawn``-ed process with one duplex pipe, and a receiver thread here
that applies its deltas to the runs' :class:`~.mirror.MirrorRecord`. A run goes to the
lane with the least load (the cores its paced runs need, as measured, plus one per
full-speed run), so two full-speed runs on two lanes get a core each. A command is sent
with a sequence number and :meth:`LanePool.send` waits (briefly) for the lane to say it
applied it, so a page that pressed Pause reads "paused" in the same rerun, as with a run
on a thread. A lane that dies fails only its own runs (their history is kept), with the
reason; the next run starts a fresh lane.
"""
from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import os
import threading
import time

from playground.runs.lanes import admission
from playground.runs.lanes.mirror import MirrorRecord
from playground.runs.lanes.queue import LaneQueue
from playground.runs.status import Status

log = logging.getLogger(__name__)
ACK_WAIT_S = 2.0        # a command waits this long at most for its lane's answer
START_WAIT_S = 120.0    # a new lane imports torch: seconds, more on a busy machine


class _Lane:
    def __init__(self, index: int, ctx) -> None:
        from playground.search.pool import _without_main

        self.index = index
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, os.getpid()), daemon=True,
                                   name=f"playground-lane-{index}")
        with _without_main():
            self.process.start()
        child.close()
        self.records: dict[str, MirrorRecord] = {}
        self.stats = {"cpu_share": 0.0, "runs": 0, "need": 0.0, "full": 0}
        self.send_lock = threading.Lock()
        self.ready = threading.Event()
        self.alive = True
        self.on_freed = None              # called when a run ended or paused (the queue)
        self.receiver = threading.Thread(target=self._receive, daemon=True,
                                         name=f"lane-{index}-receiver")
        self.receiver.start()

    def load(self) -> float:
        """Cores its runs want: paced runs' measured need, one per full-speed run; a run
        not yet measured counts as a tenth of a core."""
        unmeasured = sum(1 for r in list(self.records.values())
                         if r.cost_s is None and not r.ended)
        return self.stats["need"] + self.stats["full"] + 0.1 * unmeasured

    def post(self, message) -> None:
        with self.send_lock:
            self.conn.send(message)

    def _receive(self) -> None:
        why = "its training process stopped"
        try:
            while True:
                message = self.conn.recv()
                if message[0] == "ready":
                    self.ready.set()
                elif message[0] == "deltas":
                    _, deltas, self.stats = message
                    freed = False
                    for d in deltas:
                        record = self.records.get(d["run_id"])
                        if record is not None:
                            record.apply(d)
                            freed = freed or record.status.value != "running"
                            if record.ended:
                                self.records.pop(d["run_id"], None)
                    if freed and self.on_freed is not None:
                        self.on_freed()
        except (EOFError, OSError):
            pass
        except Exception as exc:         # a delta this side cannot read: say so
            log.exception("lane %s: bad message", self.index)
            why = f"its training process sent something unreadable ({exc})"
        self.alive = False
        self.ready.set()
        self.process.join(2)
        code = self.process.exitcode
        if code not in (0, None):
            why += f" (exit code {code})"
        for record in list(self.records.values()):
            record.lost(why)
        self.records.clear()
        if self.on_freed is not None:
            self.on_freed()


def _serve(conn, parent_pid: int) -> None:
    from playground.runs.lanes.worker import serve

    serve(conn, parent_pid)


class LanePool:
    def __init__(self, lanes: int) -> None:
        if lanes < 1:
            raise ValueError("a lane pool needs at least one lane")
        self.size = lanes
        self._ctx = mp.get_context("spawn")
        self._lanes: list[_Lane] = []
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self._closed = False
        self._queue = LaneQueue()

    def warm(self) -> None:
        """Start every lane now (in the background: torch imports take seconds)."""
        with self._lock:
            self._fill()

    def _fill(self) -> None:
        self._lanes = [lane for lane in self._lanes if lane.alive]
        used = {lane.index for lane in self._lanes}
        for index in (i for i in range(self.size) if i not in used):
            self._lanes.append(_Lane(index, self._ctx))

    # -------------------------------------------------------------- runs
    def start(self, record: MirrorRecord, init_state: dict | None = None) -> None:
        """Send a run to the least loaded lane, or queue it when the lanes are saturated
        (:mod:`.admission`); a run that starts paused takes nothing and never waits."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the training lanes have been shut down")
            self._fill()
            lanes = list(self._lanes)
        for lane in lanes:
            if not lane.ready.wait(START_WAIT_S):
                raise RuntimeError("a training process did not start in "
                                   f"{START_WAIT_S:.0f} s")
        record.queue_position = lambda: self._queue.position(record)
        with self._lock:
            if record.status != Status.PAUSED and (len(self._queue) or not self._fits(record)):
                self._queue.add(record, init_state)
                self._queue.tell(self.records())
                return
        self._place(record, init_state)

    def _fits(self, record: MirrorRecord) -> bool:
        live = [r for r in self.records() if r.status == Status.RUNNING]
        cost = admission.prior_cost([r.cost_s for r in live if r.cost_s is not None])
        floors = [admission.floor(r.pace, r.cost_s) for r in live]
        return admission.fits(floors, admission.floor(record.pace, cost), self.size)

    def _place(self, record: MirrorRecord, init_state: dict | None,
               paused: bool | None = None) -> None:
        lanes = [x for x in self._lanes if x.alive] or self._refill()
        lane = min(lanes, key=lambda x: (x.load(), len(x.records)), default=None)
        if lane is None:
            raise RuntimeError("no training process could be started")
        record.lane = lane
        lane.on_freed = self._admit_waiting
        # Admitted: it is not waiting for anything but its lane building it (ms).
        record.set_running("starting on a training process")
        lane.records[record.run_id] = record
        spec = {"run_id": record.run_id, "config": record.config.to_dict(),
                "owner": record.owner, "label": record.label,
                "paused": record.status == Status.PAUSED if paused is None else paused,
                "pace": record.pace,
                "init_state": ({k: v.detach().cpu().numpy() for k, v in init_state.items()}
                               if init_state else None)}
        lane.post(("start", spec))

    def _refill(self) -> list:
        with self._lock:
            self._fill()
            return [x for x in self._lanes if x.alive]

    # -------------------------------------------------------------- the queue
    def _admit_waiting(self) -> None:
        """A run ended or paused: start the waiting runs that fit now, in order."""
        while len(self._queue) and not self._closed:
            with self._lock:
                w = self._queue.pop_head_if(self._fits)
            if w is None:
                break
            try:
                self._place(w.record, w.init_state)
            except Exception as exc:
                w.record.lost(str(exc))
                continue
            for name, arg, seq in w.commands:
                self._post(w.record, name, arg, seq)
        self._queue.tell(self.records())

    def send(self, record: MirrorRecord, name: str, arg=None, wait: bool = True) -> None:
        """Carry a (checked) command to the run's lane; wait until it is applied. A
        waiting run keeps its commands for its lane, except that Stop ends it here and
        Pause lets it start at once, paused (a paused run takes no compute)."""
        seq = next(self._seq)
        if name == "set_pace":
            record.pace = arg                 # a viewing preference: shown at once
        waiting = self._queue.find(record)
        if waiting is not None and name not in ("stop", "pause"):
            waiting.commands.append((name, arg, seq))
            return
        if waiting is not None and not self._queue.remove(waiting):
            waiting = None                    # it just left the line for a lane
        if waiting is not None and name == "stop":
            record.stop_waiting()
            self._admit_waiting()
            return
        if waiting is not None:              # paused while waiting: start it, paused
            self._place(record, waiting.init_state, paused=True)
            record.pause()                    # shown at once; the lane starts it paused
            for queued in waiting.commands:
                self._post(record, *queued)
            self._admit_waiting()
            return
        if record.lane is None or not record.lane.alive or record.ended:
            return
        if self._post(record, name, arg, seq) and wait:
            record.wait_acked(seq, ACK_WAIT_S)

    def _post(self, record: MirrorRecord, name: str, arg, seq: int) -> bool:
        try:
            record.lane.post(("cmd", record.run_id, seq, name, arg))
            return True
        except (BrokenPipeError, OSError):
            return False                      # the receiver fails its runs

    def records(self) -> list[MirrorRecord]:
        return [r for lane in self._lanes for r in list(lane.records.values())]

    def view(self) -> list[dict]:
        """Per lane: its pid, cores used lately, runs, load (the Server page)."""
        return [{"lane": lane.index, "pid": lane.process.pid, "alive": lane.alive,
                 "cpu_share": lane.stats.get("cpu_share", 0.0), "runs": len(lane.records),
                 "load": lane.load()} for lane in list(self._lanes)]

    def join(self, record: MirrorRecord, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        with record._lock:
            while not record.ended:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return
                record.changed.wait(left if left is not None else 1.0)

    def shutdown(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._closed = True
            lanes = list(self._lanes)
        for w in self._queue.drain():
            w.record.stop_waiting()
        for lane in lanes:
            try:
                lane.post(("shutdown",))
            except (BrokenPipeError, OSError):
                pass
        deadline = time.monotonic() + timeout
        for lane in lanes:
            lane.receiver.join(max(0.0, deadline - time.monotonic()))
            if lane.process.is_alive():
                lane.process.kill()
                lane.process.join(1)


class LaneInbox:
    """Stands where a run's Inbox would in the registry's table: a command put here
    goes to the run's lane (and returns once the lane applied it)."""

    def __init__(self, pool: LanePool, record: MirrorRecord) -> None:
        self._pool, self._record = pool, record

    def put(self, name: str, arg=None) -> None:
        self._pool.send(self._record, name, arg)


class LaneDriver:
    """Stands where a RunThread would: join() waits for the run's end on its lane."""

    def __init__(self, pool: LanePool, record: MirrorRecord) -> None:
        self._pool, self._record = pool, record

    def join(self, timeout: float | None = None) -> None:
        self._pool.join(self._record, timeout)

    def is_alive(self) -> bool:
        return not self._record.ended
