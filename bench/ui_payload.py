"""What one live refresh of the Train page costs, and that it does not grow with the run.

Builds the live panel's figures (loss, accuracy, learning rate, decision boundary) from a
snapshot of a run with 100,000 recorded steps, serialises them exactly as the app's chart
component sends them (``figures.wire.to_wire``: the projector finish, then JSON), and
reports the bytes sent and the time taken. The same is measured for runs of 1,000 and
1,000,000 steps as the reference: the figures must cost the same whatever the run length.

Then, in Chromium against a real ``streamlit run`` (skipped with ``--no-browser`` or
when Chromium is missing): the time from picking a dataset in the sidebar to the page's
next idle state with its charts redrawn, the first time each of five datasets is picked
(median of 5, target ≤ 1 s), beside a plain rerun of the same page as the reference.

The "Inside the network" panel (network view with neuron maps, the enlarged unit map,
update-ratio chart, activation and gradient histograms) is measured the same way; it is
its own fragment, refreshed at most once a second, so its refresh is printed beside the
live one.

Last line: ``live refresh payload: N KB, build M ms; network panel: N KB, build M ms``
(targets ≤ 150 KB and ≤ 50 ms each).
"""
from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from playground import data  # noqa: E402
from playground.config import RunConfig  # noqa: E402
from playground.training.trainer import Trainer  # noqa: E402
from playground.figures.boundary import boundary_figure  # noqa: E402
from playground.figures.curves import Curve, accuracy_figure, loss_figure, lr_figure  # noqa: E402
from playground.figures.wire import to_wire  # noqa: E402
from playground.training.history import History  # noqa: E402
from playground.training.predict import grid_probabilities, plane_bounds, replica  # noqa: E402
from playground.runs.registry import configure_torch_threads  # noqa: E402

REPEATS = 15


def recorded_history(steps: int, eval_every: int = 25, seed: int = 0) -> History:
    """A history shaped like a real run: decaying noisy loss, a spike, an LR decay."""
    rng = np.random.default_rng(seed)
    h = History()
    noise = rng.random(steps)
    for i in range(steps):
        loss = 1.1 / (1 + i * 1e-3) + 0.1 * noise[i] + (25.0 if i == steps // 3 else 0.0)
        h.train.append((i + 1, (i + 1) / 14, 32 * (i + 1), 0.002 * i),
                       (loss, 0.01 if i < steps * 0.8 else 0.001))
        if (i + 1) % eval_every == 0:
            h.evals.append((i + 1, (i + 1) / 14, 32 * (i + 1), 0.002 * i),
                           (1.0 / (1 + i * 1e-3), min(0.99, 0.3 + i * 1e-4)))
    return h


def refresh(history: History, model, task, config) -> tuple[int, float]:
    """Build and serialise the live panel once: (bytes, seconds of this thread's CPU).

    CPU time of the refreshing thread, not wall time: it is what a refresh costs the
    server, and it does not swing with whatever else the machine is running."""
    t0 = time.thread_time()
    view = history.view(2000)
    curve = Curve("Adam", "#D55E00", view["train"], view["eval"])
    x, y = task.train.x.numpy(), task.train.y.numpy()
    bounds = plane_bounds(x)
    _, _, probs = grid_probabilities(model, bounds, resolution=90)
    figures = [loss_figure([curve], "step", 0.8), accuracy_figure([curve], "step"),
               lr_figure([curve], "step"),
               boundary_figure(bounds, probs, x, y, task.class_names)]
    payload = sum(len(to_wire(f)) for f in figures)
    return payload, time.thread_time() - t0


# ---------------------------------------------------------------- dataset switch
SWITCHES = ["Two moons", "Digits (8×8)", "XOR", "News topics (generated)",
            "Names (US census, first)"]
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
WATCH_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__ran = false;
  window.__before = new Map([...document.querySelectorAll('.playground-plot')]
                            .map(g => [g, Number(g.dataset.updates || 0)]));
  if (window.__watched !== app) {
    // React can replace the app's element: an observer left on the old one saw nothing
    // (the bench then waited 60 s for a run that had come and gone).
    if (window.__watch) window.__watch.disconnect();
    // a quick run can start and end between two callbacks: look at old values too
    window.__watch = new MutationObserver((records) => {
      for (const r of records) {
        if (r.attributeName !== 'data-test-script-state') continue;
        if (r.oldValue === 'running' || r.target.dataset.testScriptState === 'running') {
          window.__ran = true;
        }
      }
    });
    window.__watch.observe(app, {attributes: true, attributeOldValue: true});
    window.__watched = app;
  }
}"""
DONE_JS = """(charts) => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!window.__ran || app.dataset.testScriptState !== 'notRunning') return false;
  if (!charts) return true;
  // every chart on the page now shows the new data (or is new and has drawn)
  return [...document.querySelectorAll('.playground-plot')].every(
    g => Number(g.dataset.updates || 0) > (window.__before.get(g) ?? 0));
}"""


def _timed(page, act, charts: bool = True) -> float:
    page.evaluate(WATCH_JS)
    t0 = time.perf_counter()
    act()
    page.wait_for_function(DONE_JS, arg=charts, timeout=60_000, polling=10)
    return time.perf_counter() - t0


def dataset_switch() -> tuple[list[float], list[float]] | None:
    """Seconds per first-time dataset pick, and per plain rerun (the reference)."""
    import shutil
    import socket
    import subprocess
    import urllib.request

    exe = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        exe = None
    if not exe:
        print("dataset switch: skipped (needs playwright and Debian's chromium)")
        return None
    root = Path(__file__).resolve().parents[1]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(root / "app.py"),
                             "--server.headless", "true", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.fileWatcherType",
                             "none"], cwd=root, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(url + "/")
            page.wait_for_selector(IDLE, timeout=60_000)
            # the page's own first load (plotly.js, the first chart) is over first
            page.wait_for_function("() => [...document.querySelectorAll('.playground-plot')]"
                                   ".every(g => Number(g.dataset.updates || 0) > 0)",
                                   timeout=60_000)
            switches, reruns = [], []
            box = page.locator(".st-key-cfg_dataset [data-testid=stSelectbox]").first
            for name in SWITCHES:
                box.click()
                option = page.get_by_role("option", name=name, exact=True).first
                option.wait_for()
                switches.append(_timed(page, option.click))
                print(f"  picked {name}: {switches[-1]:.2f} s", flush=True)
                # reference: the same page rerun by a control that changes no chart
                # (the speed), so only the script's round trip and the redraw count
                speed = "Slow" if len(reruns) % 2 == 0 else "Watch"
                button = page.locator(".st-key-train_pace").get_by_text(speed, exact=True).first
                reruns.append(_timed(page, button.click, charts=False))
            browser.close()
        return switches, reruns
    finally:
        proc.terminate()
        proc.wait(10)


def panel_refresh(config, task, weights: dict, health) -> tuple[int, float]:
    """Build and serialise the "Inside the network" panel once (bytes, CPU seconds)."""
    from playground.figures import inside
    from playground.figures.theme import optimizer_color

    t0 = time.thread_time()
    figures = [inside.network_view(config, task, weights, health, 300),
               inside.enlarged_unit(config, task, weights, 0, 0, 300),
               inside.update_ratio_view(health, optimizer_color(config.optimizer)),
               inside.activations_view(health), inside.gradients_view(health)]
    payload = sum(len(to_wire(f)) for f in figures)
    return payload, time.thread_time() - t0


def main() -> None:
    configure_torch_threads()
    config = RunConfig()
    task = data.load(config)
    from playground.training.health import HealthRecorder

    trainer = Trainer(config)
    recorder = HealthRecorder.for_trainer(trainer)
    for _ in range(3000):
        recorder.after_step(trainer.step().step)
    model = replica(config, task, trainer.weights())
    results = {}
    for steps in (1_000, 100_000, 1_000_000):
        history = recorded_history(steps)
        refresh(history, model, task, config)                  # warm-up
        runs = [refresh(history, model, task, config) for _ in range(REPEATS)]
        size = runs[0][0]
        ms = 1000 * statistics.median(t for _, t in runs)
        results[steps] = (size, ms)
        print(f"{steps:>9,} recorded steps: payload {size / 1000:6.1f} KB, build {ms:5.1f} ms "
              f"(median of {REPEATS}); history memory {history.nbytes() / 1000:.0f} KB")
    size, ms = results[100_000]
    small, big = results[1_000], results[1_000_000]
    print(f"growth 1k → 1M steps: payload ×{big[0] / small[0]:.2f}, build ×{big[1] / small[1]:.2f}")
    weights = trainer.weights()
    panel_refresh(config, task, weights, recorder.latest)                  # warm-up
    panel = [panel_refresh(config, task, weights, recorder.latest) for _ in range(REPEATS)]
    panel_kb, panel_ms = panel[0][0] / 1000, 1000 * statistics.median(t for _, t in panel)
    print(f"network panel (diagram + neuron maps, enlarged unit, update ratio, histograms): "
          f"payload {panel_kb:.1f} KB, build {panel_ms:.1f} ms (median of {REPEATS})")
    timed = None if "--no-browser" in sys.argv else dataset_switch()
    if timed:
        switches, reruns = timed
        print("dataset switch (first pick of " + ", ".join(SWITCHES) + "): " +
              ", ".join(f"{t:.2f}" for t in switches) + " s")
        print(f"dataset switch: median {statistics.median(switches):.2f} s (target ≤ 1 s); "
              f"plain rerun of the page: median {statistics.median(reruns):.2f} s; "
              f"ratio {statistics.median(switches) / statistics.median(reruns):.2f}")
    print(f"live refresh payload: {math.ceil(size / 1000)} KB, build {ms:.0f} ms; "
          f"network panel: {math.ceil(panel_kb)} KB, build {panel_ms:.0f} ms")


if __name__ == "__main__":
    main()
