"""What one live refresh of the Train page costs, and that it does not grow with the run.

Builds the live panel's figures (loss, accuracy, learning rate, decision boundary) from a
snapshot of a run with 100,000 recorded steps, serialises them exactly as
``st.plotly_chart`` does (``plotly.io.to_json``), and reports the bytes sent and the time
taken. The same is measured for runs of 1,000 and 1,000,000 steps as the reference: the
figures must cost the same whatever the run length.

Last line: ``live refresh payload: N KB, build M ms`` (targets ≤ 150 KB and ≤ 50 ms).
"""
from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import plotly.io as pio  # noqa: E402

from playground import data  # noqa: E402
from playground.config import RunConfig  # noqa: E402
from playground.training.trainer import Trainer  # noqa: E402
from playground.figures.boundary import boundary_figure  # noqa: E402
from playground.figures.curves import Curve, accuracy_figure, loss_figure, lr_figure  # noqa: E402
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
    payload = sum(len(pio.to_json(f, validate=False)) for f in figures)
    return payload, time.thread_time() - t0


def main() -> None:
    configure_torch_threads()
    config = RunConfig()
    task = data.load(config)
    trainer = Trainer(config)
    for _ in range(300):
        trainer.step()
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
    print(f"live refresh payload: {math.ceil(size / 1000)} KB, build {ms:.0f} ms")


if __name__ == "__main__":
    main()
