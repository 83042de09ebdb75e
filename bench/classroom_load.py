"""A class of 20 on one server: rerun latency while 20 runs train, and no leak afterwards.

What it does (loopback only, stops by itself, a few minutes at most):

1. Starts ``streamlit run app.py`` on a free 127.0.0.1 port with short lifetimes so the
   clean-up can be watched inside the bench: ``--server.disconnectedSessionTTL 5``
   (Streamlit's session TTL: then the session is released) and
   ``PLAYGROUND_RELEASED_PAUSE_AFTER_S=5`` / ``PLAYGROUND_RELEASED_STOP_AFTER_S=10`` (a
   released session's runs are paused, then stopped). Watched runs keep generous limits
   (``PLAYGROUND_PAUSE_AFTER_S=60``, ``PLAYGROUND_STOP_AFTER_S=120``).
   ``PLAYGROUND_MAX_CONCURRENT`` is passed only with ``--max-concurrent``.
2. Warm-up: one session opens the Train page, trains a 300-step run to the end and
   closes. Lazily created threads (the registry's reaper, torch's pools, Streamlit's
   executors) now exist, so the **baseline** thread count and RSS of the server process
   (``/proc/<pid>/status``: ``Threads``, ``VmRSS``) are taken after it. Then (websocket
   clients) one student alone starts a run and reruns the whole page 30 times: the app
   process's CPU per whole-page rerun, its polling's CPU per second taken off.
3. Opens 20 sessions (one per student) on a link whose run lasts
   (spiral, Adam, lr 0.01, batch 32, 20,000 steps) and clicks **Start** in each.
4. While all 20 are alive, every session clicks several times, at random moments,
   alternating two kinds of click: toggling "Log loss axis" (a chart option: it reruns
   the live fragment) and a whole-page rerun (what changing any sidebar control costs).
   **Rerun latency**: for a browser, click → the loss chart shows the new axis type
   *and* the app reports ``data-test-script-state=notRunning`` (what a student waits
   for); for a websocket client, rerun request sent → ``script_finished`` of the first
   script run that starts after it (the server's share of it). The p50/p95 are over all
   clicks of both kinds; each kind is also printed on its own. Steps/s per run = growth
   of its Step metric over the window, between the moments the two values were drawn.
5. Closes every session, then watches the server for ``session TTL + released stop + 20 s``.

Students are websocket clients speaking Streamlit's own protocol by default (``--clients
ws``: they send the same rerun requests a browser sends, including each live fragment's
``run_every`` polls, so the server does the same work), or headless Chromium contexts
(``--clients browser``: the honest end-to-end measure, but 20 renderers then compete with
the server for the cores, so it needs a machine with more cores than this bench assumes).

"Runs alive after close": what the Server page shows as "Live runs" once the released
sessions' runs should have stopped (runs train on lanes, worker processes, so they are
not threads of the server), and any thread of the server above the baseline (a leaked
session, executor or in-process run would show there): N = the larger of the two.

6. Trains 4 full-speed runs at once in a registry inside the bench process with the app's
   limits (lanes: cores − 1; the server is idle by then) and prints Jain's fairness
   index of their steps/s (target ≥ 0.9).

Last line: ``20 sessions: rerun p95 X ms, queued Q, median pace Y steps/s, runs alive
after close: N`` (targets on 2 cores: p95 < 500 ms, Q = 0 runs ever shown queued, Y ≥ 120
steps/s = 80% of Watch pace, N = 0). Other work on the machine shows in the printed load
average; numbers taken on a busy machine are pessimistic.
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from ws_student import ws_open_and_start, ws_toggle_latency  # bench/ is on sys.path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]
RUN_URL = "/?dataset=spiral&optimizer=adam&lr=0.01&batch_size=32&length=20000"
WARMUP_URL = "/?dataset=spiral&optimizer=adam&lr=0.01&batch_size=32&length=300"
LATENCY_BUDGET_S = 75   # the whole click phase; keeps the bench under 5 minutes
OPEN_TIMEOUT_S = 60      # one page load (also in ws_student.py)
OPEN_BUDGET_S = 100      # all 20 students joining
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
# A closed tab's runs are paused, then stopped, this long after its session is released
# (short, to watch the clean-up inside the bench; 15 s / 120 s in the app). Runs of open
# tabs get generous unwatched-run limits, so a poll delayed by a busy machine never
# pauses a run that is being watched.
RELEASED_PAUSE_S, RELEASED_STOP_S = 5, 10
PAUSE_AFTER_S, STOP_AFTER_S, SESSION_TTL_S = 60, 120, 5


# ------------------------------------------------------------------ the server
def percentiles(sorted_ms: list[float]) -> tuple[float, float]:
    p95 = sorted_ms[min(len(sorted_ms) - 1, int(round(0.95 * (len(sorted_ms) - 1))))]
    return statistics.median(sorted_ms), p95


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> str:
    """The 1-minute load average and core count: other work on the machine shows here."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def proc_status(pid: int) -> tuple[int, float]:
    """(threads, RSS in MB) of a process, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["Threads"]), int(fields["VmRSS"].split()[0]) / 1024


def start_server(port: int, max_concurrent: int | None, log,
                 options: list[str] = ()) -> subprocess.Popen:
    env = dict(os.environ, PLAYGROUND_PAUSE_AFTER_S=str(PAUSE_AFTER_S),
               PLAYGROUND_STOP_AFTER_S=str(STOP_AFTER_S),
               PLAYGROUND_RELEASED_PAUSE_AFTER_S=str(RELEASED_PAUSE_S),
               PLAYGROUND_RELEASED_STOP_AFTER_S=str(RELEASED_STOP_S))
    if max_concurrent:
        env["PLAYGROUND_MAX_CONCURRENT"] = str(max_concurrent)
    # The run store is on (every run is recorded); its file goes to a temp folder rather
    # than the user's own history, unless PLAYGROUND_DB says otherwise.
    env.setdefault("PLAYGROUND_DB", f"sqlite:///{tempfile.mkdtemp(prefix='classroom-')}/runs.db")
    print(f"  run store: {env['PLAYGROUND_DB']}")
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none",
           "--server.disconnectedSessionTTL", str(SESSION_TTL_S)]
    for opt in options:   # e.g. runner.postScriptGC=false
        name, _, value = opt.partition("=")
        cmd += [f"--{name}", value]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                        timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return proc
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start; see its log")


# ------------------------------------------------------------------ one student
async def open_and_start(browser, base: str, path: str):
    context = await browser.new_context(viewport={"width": 1400, "height": 950})
    page = await context.new_page()
    page.set_default_timeout(90_000)
    await page.goto(base + path)
    await page.wait_for_selector(IDLE)
    await page.locator(".st-key-btn_start button").first.click()
    await page.wait_for_selector(".st-key-chart_loss .js-plotly-plot")
    return context, page


async def step_of(page) -> int | None:
    """The Step metric of the session's run (None while it is not drawn)."""
    text = await page.evaluate("""() => {
        for (const m of document.querySelectorAll('[data-testid=stMetric]')) {
            const label = m.querySelector('[data-testid=stMetricLabel]');
            if (label && label.innerText.trim() === 'Step')
                return m.querySelector('[data-testid=stMetricValue]').innerText;
        }
        return null; }""")
    return int(re.sub(r"\D", "", text)) if text and re.search(r"\d", text) else None


async def status_text(page) -> str:
    return await page.evaluate("""() => {
        const a = document.querySelector('[data-testid=stAlert], [data-testid=stAlertContainer]');
        return a ? a.innerText.slice(0, 80) : ''; }""")


async def toggle_latency(page) -> float:
    """Click "Log loss axis"; seconds until the chart shows it and the script is idle."""
    current = await page.evaluate("""() => {
        const g = document.querySelector('.st-key-chart_loss .js-plotly-plot');
        return g && g._fullLayout ? g._fullLayout.yaxis.type : null; }""")
    want = "linear" if current == "log" else "log"
    t0 = time.perf_counter()
    await page.locator(".st-key-view_logy label").first.click()
    await page.wait_for_function(
        """(want) => { const g = document.querySelector('.st-key-chart_loss .js-plotly-plot');
                       return g && g._fullLayout && g._fullLayout.yaxis.type === want; }""",
        arg=want, polling=10, timeout=60_000)
    await page.wait_for_selector(IDLE, timeout=60_000)
    return time.perf_counter() - t0


# ------------------------------------------------------------------ the bench
class Browsers:
    """Students as headless Chromium contexts (the renderers share the server's cores)."""

    def __init__(self, browser, base):
        self.browser, self.base = browser, base

    async def open(self, path):
        return await open_and_start(self.browser, self.base, path)

    async def step(self, h):
        return await step_of(h[1])

    async def step_seen(self, h):          # a browser's page shows the step as of now
        return await step_of(h[1]), time.perf_counter()

    async def status(self, h):
        text = await status_text(h[1])
        return text.splitlines()[1] if text.count("\n") else text

    async def toggle(self, h):
        return await toggle_latency(h[1])

    async def page_rerun(self, h):   # the browser bench measures chart toggles only
        return await toggle_latency(h[1])

    async def close(self, h):
        await h[0].close()


def proc_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def whole_page_cost(base: str, pid: int, reruns: int = 30) -> str:
    """One student alone, their run training: what a whole-page rerun (any sidebar
    change) costs the app process, in CPU ms, beside what their page's own polling
    costs per second. The run is stopped afterwards, so the class starts on an empty
    server."""
    s = await ws_open_and_start(base, RUN_URL)
    await asyncio.sleep(2)
    c0, t0 = proc_cpu_s(pid), time.perf_counter()
    await asyncio.sleep(3)
    polling = (proc_cpu_s(pid) - c0) / (time.perf_counter() - t0)
    c0, t0 = proc_cpu_s(pid), time.perf_counter()
    for _ in range(reruns):
        await s.full_run()
    took = time.perf_counter() - t0
    per_rerun = ((proc_cpu_s(pid) - c0) - polling * took) / reruns
    await s.full_run("btn_stop")
    await s.close()
    return (f"one session's whole-page rerun, its run training: {per_rerun * 1000:.1f} ms of "
            f"the app's CPU ({reruns} reruns; its polling {polling * 1000:.0f} ms/s besides)")


class Sockets:
    """Students as websocket clients speaking Streamlit's protocol (see WsStudent)."""

    def __init__(self, base):
        self.base = base

    async def open(self, path):
        return await ws_open_and_start(self.base, path)

    async def step(self, h):
        return h.step

    async def step_seen(self, h):
        return h.step, h.step_seen_at

    async def status(self, h):
        return h.status

    async def toggle(self, h):
        return await ws_toggle_latency(h)

    async def page_rerun(self, h):
        return await h.full_run()

    async def close(self, h):
        await h.close()


async def student(clients, h, clicks: int, latencies: list, failures: list,
                  by_kind: dict) -> None:
    for i in range(clicks):
        await asyncio.sleep(random.uniform(0.5, 2.5))   # students do not click in lockstep
        kind = "chart option" if i % 2 == 0 else "whole page"
        t0 = time.perf_counter()
        try:
            took = await (clients.toggle(h) if i % 2 == 0 else clients.page_rerun(h))
        except Exception as exc:  # a timeout is a result too: count the time waited
            took = time.perf_counter() - t0
            failures.append(f"{type(exc).__name__}: {str(exc)[:120]}")
        latencies.append(took)
        by_kind.setdefault(kind, []).append(took)


async def bench(args) -> int:
    random.seed(0)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = Path(tempfile.gettempdir()) / f"classroom_load_{port}.log"
    t_bench = time.monotonic()
    with open(log_path, "w") as log:
        server = start_server(port, args.max_concurrent, log, args.option)
    try:
        if args.clients == "ws":
            return await _measure(Sockets(base), server.pid, args, t_bench, log_path)
        from playwright.async_api import async_playwright

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return await _measure(Browsers(browser, base), server.pid, args, t_bench,
                                      log_path)
            finally:
                await browser.close()
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


async def _measure(clients, pid: int, args, t_bench: float, log_path) -> int:
    n = args.sessions
    # ---- warm-up and baseline
    h = await clients.open(WARMUP_URL)
    for _ in range(240):
        if (await clients.step(h) or 0) >= 300:
            break
        await asyncio.sleep(0.5)
    await clients.close(h)
    if isinstance(clients, Sockets):
        print(await whole_page_cost(clients.base, pid), flush=True)
    await asyncio.sleep(SESSION_TTL_S + 5)   # the warm-up run has finished by itself
    base_threads, base_rss = proc_status(pid)
    print(f"baseline after warm-up: {base_threads} threads, {base_rss:.0f} MB RSS; "
          f"machine load average {loadavg()}", flush=True)

    # ---- 20 students open the link and press Start (a few at a time, as a class does)
    t0 = time.perf_counter()
    sem = asyncio.Semaphore(5)

    refused: list[str] = []

    async def join():
        async with sem:
            try:
                return await clients.open(RUN_URL)
            except Exception as exc:   # an overloaded server is a result: count it
                refused.append(f"{type(exc).__name__}: {str(exc)[:100]}")
                return None
    # Bounded: sessions not open after OPEN_BUDGET_S count as refused.
    tasks = [asyncio.ensure_future(join()) for _ in range(n)]
    _, late = await asyncio.wait(tasks, timeout=OPEN_BUDGET_S)
    for t in late:
        t.cancel()
    refused += ["not open after the budget"] * len(late)
    handles = [t.result() for t in tasks if t.done() and not t.cancelled()
               and t.result() is not None]
    print(f"{len(handles)} of {n} sessions opened and started in "
          f"{time.perf_counter() - t0:.1f} s; {len(refused)} did not get their page and run "
          f"within {OPEN_TIMEOUT_S} s (or {OPEN_BUDGET_S} s for the whole class)", flush=True)
    if not handles:
        raise SystemExit("no session could open: " + "; ".join(refused[:3]))
    await asyncio.sleep(3)
    peak_threads, peak_rss = proc_status(pid)
    print(f"with {len(handles)} live runs: {peak_threads} threads, {peak_rss:.0f} MB RSS",
          flush=True)

    # ---- training speed and rerun latency, all 20 alive
    # Each run's step with the moment it was read off its page: a session's Step shows
    # what its last rerun drew (up to one poll old), so its rate is counted between the
    # two moments those numbers were drawn, not between the two reads.
    seen_a = await asyncio.gather(*(clients.step_seen(h) for h in handles))
    ta = time.perf_counter()
    latencies: list[float] = []
    failures: list[str] = []
    by_kind: dict[str, list[float]] = {}
    # Bounded: clicks still unanswered after LATENCY_BUDGET_S count as timeouts.
    tasks = [asyncio.ensure_future(student(clients, h, args.clicks, latencies, failures,
                                           by_kind)) for h in handles]
    _, late = await asyncio.wait(tasks, timeout=LATENCY_BUDGET_S)
    for t in late:
        t.cancel()
    # a click still unanswered counts with the time it had waited (a lower bound)
    failures += [f"still waiting after {LATENCY_BUDGET_S} s"] * len(late)
    latencies += [float(LATENCY_BUDGET_S)] * len(late)
    seen_b = await asyncio.gather(*(clients.step_seen(h) for h in handles))
    tb = time.perf_counter()
    statuses = await asyncio.gather(*(clients.status(h) for h in handles))
    rates = [((b or 0) - (a or 0)) / max(tb_seen - ta_seen, 1e-3)
             for (a, ta_seen), (b, tb_seen) in zip(seen_a, seen_b)]
    during_threads, during_rss = proc_status(pid)
    print(f"training over {tb - ta:.1f} s: steps/s per run "
          f"min {min(rates):.0f} / median {statistics.median(rates):.0f} / "
          f"max {max(rates):.0f}; {sum(r > 0 for r in rates)} of {len(handles)} runs advanced; "
          f"total {sum(rates):.0f} steps/s")
    kinds = Counter(" ".join((s or "-").split()[:2]) for s in statuses)
    print("run status shown: " + ", ".join(f"{k!r} x{v}" for k, v in kinds.most_common())
          + f"; machine load average {loadavg()}")
    print(f"during: {during_threads} threads, {during_rss:.0f} MB RSS", flush=True)
    lat_ms = sorted(x * 1000 for x in latencies)
    if not lat_ms:
        raise SystemExit(f"no latency measured; failures: {failures[:3]}")
    p50, p95 = percentiles(lat_ms)
    for kind, values in sorted(by_kind.items()):
        k50, k95 = percentiles(sorted(x * 1000 for x in values))
        print(f"  {kind} clicks: {len(values)}, p50 {k50:.0f} ms, p95 {k95:.0f} ms")
    print(f"rerun latency over {len(lat_ms)} clicks ({args.clients} clients): p50 {p50:.0f} "
          f"ms, p95 {p95:.0f} ms, max {lat_ms[-1]:.0f} ms; {len(failures)} clicks timed out "
          "(counted with the time waited)")
    for f in failures[:3]:
        print("  timeout:", f)

    # ---- everyone closes the tab; the server must give everything back
    for h in handles:
        await clients.close(h)
    t_close = time.monotonic()
    wait_s = SESSION_TTL_S + RELEASED_STOP_S + 20
    threads, rss = proc_status(pid)
    live = None
    while time.monotonic() - t_close < wait_s:
        await asyncio.sleep(2)
        threads, rss = proc_status(pid)
        if time.monotonic() - t_close > RELEASED_STOP_S + 2:
            live = await server_page_live_runs(clients.base)
            if threads <= base_threads and live == 0:
                break
    alive = max(0, threads - base_threads, live if live is not None else 0)
    print(f"the Server page shows {live} live runs (queued, running or paused)")
    print(f"{time.monotonic() - t_close:.0f} s after closing: {threads} threads "
          f"(baseline {base_threads}), {rss:.0f} MB RSS (baseline {base_rss:.0f} MB, "
          f"peak {max(peak_rss, during_rss):.0f} MB, +{rss - base_rss:.0f} MB kept)")
    queued = sum(bool(getattr(h, "ever_queued", False)) for h in handles)
    slowed = sum(bool(getattr(h, "ever_slowed", False)) for h in handles)
    print(f"{queued} of {len(handles)} runs were ever shown queued, {slowed} ever shown "
          "slowed (the server is busy)")
    rates_full = full_speed_rates(args.full_speed_runs)
    print(f"{len(rates_full)} full-speed runs at once (in-process registry, default limits): "
          f"steps/s {', '.join(f'{r:.0f}' for r in rates_full)}; Jain's fairness "
          f"{jain(rates_full):.3f}")
    print(f"bench time {time.monotonic() - t_bench:.0f} s; server log: {log_path}")
    print(f"{n} sessions: rerun p95 {p95:.0f} ms, queued {queued}, median pace "
          f"{statistics.median(rates):.0f} steps/s, runs alive after close: {alive}")
    return 0


async def server_page_live_runs(base: str) -> int | None:
    """What a teacher sees: the Server page's "Live runs" metric (runs on lanes are not
    threads of the server, so they are counted here)."""
    from ws_student import WsStudent

    s = WsStudent(base, "", page="server")
    try:
        await s.connect()
        await asyncio.wait_for(s.finished.wait(), OPEN_TIMEOUT_S)
    finally:
        await s.close()
    value = s.metrics.get("Live runs", "")
    return int(value) if value.isdigit() else None


def jain(xs: list[float]) -> float:
    """Jain's fairness index: 1 when every run gets the same, 1/n when one gets all."""
    return sum(xs) ** 2 / (len(xs) * sum(x * x for x in xs)) if any(xs) else 0.0


def full_speed_rates(n: int, seconds: float = 4.0) -> list[float]:
    """Steps/s of ``n`` full-speed runs trained at once by a registry in this process
    (the server is idle by now): the turns the scheduler gives full-speed runs."""
    sys.path.insert(0, str(ROOT))
    from playground.config import RunConfig
    from playground.runs.registry import Limits, RunRegistry, configure_torch_threads

    configure_torch_threads()
    # The app's own limits: single runs on lanes (cores − 1).
    reg = RunRegistry(dataclasses.replace(Limits.from_env({}), max_live_per_owner=100,
                                          reap_every_s=60))
    config = RunConfig(dataset="spiral", optimizer="adam", lr=0.01, batch_size=32,
                       length=1_000_000)
    try:
        ids = [reg.start(config, owner=f"student{i}") for i in range(n)]

        def steps() -> list[int]:
            return [reg.snapshot(i, poll=False, max_points=2, with_weights=False).step
                    for i in ids]
        time.sleep(2.0)                       # built, measured, in their turns
        a, t0 = steps(), time.perf_counter()
        time.sleep(seconds)
        b, t1 = steps(), time.perf_counter()
        return [(y - x) / (t1 - t0) for x, y in zip(a, b)]
    finally:
        reg.shutdown()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--clicks", type=int, default=4, help="latency samples per session")
    ap.add_argument("--clients", choices=("ws", "browser"), default="ws",
                    help="ws: Streamlit-protocol websocket clients (light); browser: "
                         "headless Chromium contexts (their rendering shares the cores)")
    ap.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                    help="extra Streamlit option for the server, e.g. runner.postScriptGC=false")
    ap.add_argument("--max-concurrent", type=int, default=None,
                    help="PLAYGROUND_MAX_CONCURRENT for the server (default: the app's)")
    ap.add_argument("--full-speed-runs", type=int, default=4,
                    help="full-speed runs trained at once for the fairness index")
    ap.add_argument("--port", type=int, default=None,
                    help="port for the app server (default: a free one)")
    args = ap.parse_args()
    if args.clients == "browser" and not Path(CHROMIUM).exists():
        raise SystemExit(f"needs Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)")
    return asyncio.run(bench(args))


if __name__ == "__main__":
    sys.exit(main())
