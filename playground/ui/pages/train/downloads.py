"""Downloads of a run: its whole history (CSV), its config (JSON), its weights, its
layer statistics (CSV)."""
from __future__ import annotations

import streamlit as st

from playground.training import export
from playground.training.history import CAPACITY


def downloads(reg, run_id: str) -> None:
    """Files are produced when clicked (callables), so they hold the latest state and cost
    nothing on ordinary reruns."""
    snap = reg.snapshot(run_id, poll=False, max_points=2, with_weights=False)
    if snap is None:
        return

    def history() -> str:
        full = reg.history(run_id, max_points=CAPACITY) or {"train": {}, "eval": {}}
        return export.history_csv(full["train"], full["eval"])

    def weights() -> bytes:
        latest = reg.snapshot(run_id, poll=False, max_points=2)
        return export.weights_bytes(latest.weights if latest and latest.weights else {})

    def layer_stats() -> str:
        latest = reg.snapshot(run_id, poll=False, max_points=2, with_weights=False)
        health = latest.health if latest is not None else None
        return health.csv() if health is not None else "step\n"

    st.subheader("Download")
    cols = st.columns(4)
    cols[0].download_button("History (CSV)", history, file_name=f"run-{run_id}-history.csv",
                            mime="text/csv", icon=":material/table:", key="dl_csv",
                            on_click="ignore", help="Every recorded step: loss (mean/min/max "
                            "per bucket), learning rate, validation loss and accuracy.")
    cols[1].download_button("Config (JSON)", export.config_json(snap.config),
                            file_name=f"run-{run_id}-config.json", mime="application/json",
                            icon=":material/settings:", key="dl_json", on_click="ignore",
                            help="Everything needed to reproduce the run.")
    cols[2].download_button("Weights (PyTorch)", weights, file_name=f"run-{run_id}-weights.pt",
                            mime="application/octet-stream", icon=":material/download:",
                            key="dl_weights", on_click="ignore",
                            help="The latest weights as a state dict: "
                                 "torch.load(path, weights_only=True).")
    cols[3].download_button("Layer statistics (CSV)", layer_stats,
                            file_name=f"run-{run_id}-layer-stats.csv", mime="text/csv",
                            icon=":material/monitor_heart:", key="dl_layer_stats",
                            on_click="ignore",
                            help="Every layer-health record (each 100 steps): update size "
                                 "per weight matrix, activation std, saturated and dead share "
                                 "per hidden layer. The network view downloads as PNG from "
                                 "its chart's camera button.")
