"""The Server page's run-store row: where history goes, how big it is, writer lag."""
from __future__ import annotations

import streamlit as st

from playground.ui import runtime


def store_panel() -> None:
    store = runtime.store()
    health = store.health()
    runs, points = store.counts()
    size = store.size_bytes()
    st.markdown(f"**Run history** — `{store.safe_url}`")
    cols = st.columns(5)
    cols[0].metric("Store size", f"{size / 2**20:,.1f} MB" if size is not None else "–",
                   help="Bytes on disk (SQLite: the file and its write-ahead log; "
                        "PostgreSQL: the whole database).")
    cols[1].metric("Stored runs", f"{runs:,}", help="Every run kept, of every session.")
    cols[2].metric("Stored points", f"{points:,}",
                   help="Loss, learning-rate and evaluation points written so far.")
    cols[3].metric("Writer lag", f"{health.lag_s:.1f} s",
                   help="Seconds since the writer last wrote while points were waiting "
                        "(it writes every second; a crash loses at most that).")
    cols[4].metric("Waiting points", f"{health.pending_points:,}",
                   help="Points handed over by training threads, not yet written.")
    if not health.ok:
        st.error(health.warning, icon=":material/database:")
