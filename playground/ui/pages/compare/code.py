"""Copy a run of the comparison as PyTorch: pick the run, get its script and notebook."""
from __future__ import annotations

import streamlit as st

from playground.runs.snapshot import GroupSnapshot
from playground.ui.widgets.code_export import code_panel

OPEN_KEY = "cmp_code_open"    # the expander's state: True while open


def run_code(group: GroupSnapshot) -> None:
    box = st.expander("Copy a run as PyTorch", icon=":material/code:", key=OPEN_KEY,
                      on_change="rerun")
    if not box.open:
        return   # built when opened
    with box:
        labels = list(group.labels)
        index = st.selectbox("Run", range(len(labels)), format_func=labels.__getitem__,
                             key=f"cmp_code_run_{group.group_id}",
                             help="Whose setup to export. Every run of a comparison starts "
                             "from the same weights and sees the same batches, so each "
                             "script reproduces its own curve.")
        code_panel(group.members[index].config, f"cmp_code_{group.group_id}_{index}")
