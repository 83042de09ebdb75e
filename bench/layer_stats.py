"""What recording layer health costs the training thread.

The same run (model, data, optimizer, seed) trained for ``STEPS`` steps twice per
repetition in one process: the Trainer alone, and the Trainer with the
:class:`~playground.training.health.HealthRecorder` a live run uses, at the default
interval (``HEALTH_EVERY`` steps: a probe pass of 256 training examples forward and
back to the layer outputs, the weight matrices cloned the step before). Repetitions are
interleaved and the best of each is kept. Throughput is steps per second of the
thread's CPU time (``time.thread_time``), the cost to the server.

Last line: ``layer stats overhead: X.XX`` (throughput with / without, the smaller of the
two cases; target ≥ 0.95).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.config import RunConfig  # noqa: E402
from playground.runs.registry import configure_torch_threads  # noqa: E402
from playground.training.health import HEALTH_EVERY, HealthRecorder  # noqa: E402
from playground.training.trainer import Trainer  # noqa: E402

from engine_overhead import CASES, STEPS  # noqa: E402  (the same two models, same length)

REPEATS = 5


def throughput(config: RunConfig, health: bool) -> float:
    """Steps per CPU second of this thread."""
    trainer = Trainer(config)
    recorder = HealthRecorder.for_trainer(trainer) if health else None
    t0 = time.thread_time()
    for _ in range(STEPS):
        r = trainer.step()
        if recorder is not None:
            recorder.after_step(r.step)
    seconds = time.thread_time() - t0
    if recorder is not None:
        assert recorder.latest is not None and recorder.latest.step == STEPS
    return STEPS / seconds


def main() -> None:
    configure_torch_threads()
    ratios = []
    for name, config in CASES.items():
        throughput(config, False)                            # warm-up
        off, on = [], []
        for _ in range(REPEATS):
            off.append(throughput(config, False))
            on.append(throughput(config, True))
        ratio = max(on) / max(off)
        ratios.append(ratio)
        print(f"{name}: {max(off):,.0f} steps/s without, {max(on):,.0f} with layer health "
              f"every {HEALTH_EVERY} steps (best of {REPEATS}, CPU time): ×{ratio:.3f}")
    print(f"layer stats overhead: {min(ratios):.2f}")


if __name__ == "__main__":
    main()
