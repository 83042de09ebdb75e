"""A Streamlit session driven over the websocket, without a browser (for bench/).

Speaks the protocol the frontend speaks: protobuf ``BackMsg`` rerun requests carrying
widget states, ``ForwardMsg`` replies (deltas, ``auto_rerun``, ``script_finished``).
"""
from __future__ import annotations

import asyncio
import re
import time

OPEN_TIMEOUT_S = 60


class WsStudent:
    """One session driven over Streamlit's own websocket protocol, like the browser does
    it: protobuf ``BackMsg`` rerun requests with widget states, ``ForwardMsg`` replies. It
    also keeps the page's polling alive exactly as the frontend would, re-sending each
    fragment's rerun every ``run_every`` seconds (``auto_rerun`` messages), so the server
    does the same work as for a real tab, without a renderer competing for the cores.

    A widget the app draws inside a fragment reruns only that fragment, as in the
    browser: its rerun request carries the fragment's id (learnt from the deltas).

    Rerun latency here = request sent → ``script_finished`` of the first script run that
    *starts* after it (the server part of what a student waits for; a browser adds its
    own drawing time). A run already under way when the request arrives (another
    fragment's poll) finishes first and is not counted as the answer."""

    def __init__(self, base: str, path: str, page: str = ""):
        self.base, self.query = base, path.lstrip("/?")
        self.page = page                       # e.g. "server"; "" = the default page
        self.metrics: dict[str, str] = {}      # metric label -> value shown
        self.ids: dict[str, str] = {}          # widget key -> widget id
        self.states: dict[str, object] = {}    # widget key -> value we hold
        self.fragments: dict[str, float] = {}  # fragment id -> interval (s)
        self.widget_fragment: dict[str, str] = {}   # widget key -> fragment drawing it
        self.runs_started = 0
        self._answer_after = 0    # the run answering a request is the first one after it
        self.step = None
        self.step_seen_at = time.perf_counter()   # when that Step arrived
        self.status = ""
        self.ever_queued = False               # a "Queued ..." alert was ever shown
        self.ever_slowed = False               # a "slowed: the server is busy" badge
        self.finished = asyncio.Event()
        self._tasks: list = []

    async def connect(self) -> None:
        import websockets

        url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(url, subprotocols=["streamlit"], origin=self.base,
                                           max_size=None)
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._poll())]
        await self.rerun()

    async def close(self) -> None:
        for t in self._tasks:
            t.cancel()
        await self.ws.close()

    async def rerun(self, trigger: str | None = None, fragment: str = "",
                    auto: bool = True) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        if self.page:
            cs.page_name = self.page
        if fragment:
            cs.fragment_id, cs.is_auto_rerun = fragment, auto
        for key, value in self.states.items():
            w = cs.widget_states.widgets.add()
            w.id, w.bool_value = self.ids[key], bool(value)
        if trigger:
            w = cs.widget_states.widgets.add()
            w.id, w.trigger_value = self.ids[trigger], True
        if not auto or not fragment:
            self.finished.clear()
            self._answer_after = self.runs_started
        await self.ws.send(msg.SerializeToString())

    async def full_run(self, trigger: str | None = None) -> float:
        t0 = time.perf_counter()
        await self.rerun(trigger)
        await asyncio.wait_for(self.finished.wait(), OPEN_TIMEOUT_S)
        return time.perf_counter() - t0

    async def change(self, key: str, value) -> float:
        """Set a widget as a student would; seconds until the server has answered."""
        self.states[key] = value
        t0 = time.perf_counter()
        await self.rerun(fragment=self.widget_fragment.get(key, ""), auto=False)
        await asyncio.wait_for(self.finished.wait(), OPEN_TIMEOUT_S)
        return time.perf_counter() - t0

    async def _poll(self) -> None:
        last: dict[str, float] = {}
        while True:
            await asyncio.sleep(0.05)
            now = time.perf_counter()
            for fid, interval in list(self.fragments.items()):
                if now - last.get(fid, now - interval) >= interval:
                    last[fid] = now
                    await self.rerun(fragment=fid)

    async def _read(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        seen: dict[str, float] = {}         # auto-reruns registered by the current run
        counted = False                      # does the current run answer a request?
        async for data in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":        # a script run (full or fragment) starts
                self.runs_started += 1
                counted = self.runs_started > self._answer_after
            elif kind == "auto_rerun":
                seen[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                self.fragments.clear()
            elif kind == "page_info_changed":   # the app rewrote the URL (run id, config)
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished":
                # A full run (0) defines the polling fragments afresh, as the frontend
                # does; a fragment run (3) only re-registers itself; 2 = cut short.
                if msg.script_finished == 0:
                    self.fragments = seen
                elif msg.script_finished == 3:
                    self.fragments.update(seen)
                if msg.script_finished in (0, 3) and counted:
                    self.finished.set()
                seen = {}
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element, msg.delta.fragment_id)

    def _element(self, el, fragment_id: str = "") -> None:
        kind = el.WhichOneof("type")
        sub = getattr(el, kind)
        if kind == "metric":
            self.metrics[sub.label] = sub.body
        if kind == "metric" and sub.label == "Step":
            digits = re.sub(r"\D", "", sub.body)
            self.step = int(digits) if digits else None
            self.step_seen_at = time.perf_counter()
        elif kind == "alert":
            self.status = sub.body
            self.ever_queued = self.ever_queued or sub.body.startswith("Queued")
        elif kind == "markdown" and "slowed: the server is busy" in sub.body:
            self.ever_slowed = True
        elif "id" in sub.DESCRIPTOR.fields_by_name and sub.id:
            key = sub.id.rsplit("-", 1)[-1]
            self.ids[key] = sub.id
            self.widget_fragment[key] = fragment_id


async def ws_open_and_start(base: str, path: str) -> WsStudent:
    s = WsStudent(base, path)
    await s.connect()
    await asyncio.wait_for(s.finished.wait(), OPEN_TIMEOUT_S)
    await s.full_run("btn_start")
    return s


async def ws_toggle_latency(s: WsStudent) -> float:
    return await s.change("view_logy", not s.states.get("view_logy", False))
