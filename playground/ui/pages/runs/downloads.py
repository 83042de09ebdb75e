"""Exports of the selected runs: a table, every point, JSON, TensorBoard, weights.

Files are built when clicked (callables), so an ordinary rerun costs nothing.
"""
from __future__ import annotations

import streamlit as st

from playground.store import StoredRun
from playground.store import export


def downloads(store, runs: list[StoredRun]) -> None:
    ids = [r.id for r in runs]
    name = ids[0] if len(ids) == 1 else f"{len(ids)}-runs"

    def table() -> str:
        return export.runs_csv(store.get_runs(ids))

    def points() -> str:
        return export.points_csv(store.get_runs(ids), store.points(ids))

    def everything() -> str:
        return export.runs_json(store.get_runs(ids), store.points(ids),
                                {i: store.events(i) for i in ids})

    def tensorboard() -> bytes:
        return export.tensorboard_zip(store.get_runs(ids), store.points(ids))

    cols = st.columns(4)
    cols[0].download_button("Table (CSV)", table, file_name=f"runs-{name}.csv", mime="text/csv",
                            icon=":material/table:", key="runs_dl_table", on_click="ignore",
                            help="One row per run: settings that matter, final and best "
                                 "metrics, tags, notes.")
    cols[1].download_button("Points (CSV)", points, file_name=f"runs-{name}-points.csv",
                            mime="text/csv", icon=":material/scatter_plot:",
                            key="runs_dl_points", on_click="ignore",
                            help="Every stored point: run, series, step, value.")
    cols[2].download_button("Everything (JSON)", everything, file_name=f"runs-{name}.json",
                            mime="application/json", icon=":material/data_object:",
                            key="runs_dl_json", on_click="ignore",
                            help="Each run's row, full config, events and every point.")
    cols[3].download_button("TensorBoard (zip)", tensorboard,
                            file_name=f"runs-{name}-tensorboard.zip", mime="application/zip",
                            icon=":material/insights:", key="runs_dl_tb", on_click="ignore",
                            help="Event files, one folder per run: unzip, then "
                                 "`tensorboard --logdir runs --samples_per_plugin scalars=0`.")


def weights_download(store, run: StoredRun) -> None:
    def weights() -> bytes:
        return store.weights_bytes(run.id) or b""

    st.download_button("Weights (safetensors)", weights, file_name=f"run-{run.id}.safetensors",
                       mime="application/octet-stream", icon=":material/download:",
                       key="runs_dl_weights", on_click="ignore",
                       help="The final state dict: safetensors.torch.load_file(path) — plain "
                            "tensors, nothing to unpickle.")
