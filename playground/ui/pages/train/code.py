"""Copy as PyTorch: the setup in the sidebar as a script and a notebook that reproduce
its run (an uploaded dataset becomes a file the script reads)."""
from __future__ import annotations

import streamlit as st

from playground import data as datasets
from playground.config import RunConfig
from playground.ui import state
from playground.ui.widgets.code_export import code_buttons

KEY_PREFIX = "train"   # the widgets' keys: train_code_open, train_code_py, ...


def code(config: RunConfig) -> None:
    handed = st.session_state.get(state.TRAIN_HANDED_TASK)
    upload = None
    if handed and not config.validate() and handed[0] == datasets.cache_key(config):
        upload = handed[1].extra.get("source") or ""   # the file the Lessons page was given
    if config.dataset == "table":     # an uploaded table's file name, as this session knows it
        upload = st.session_state.get(state.TABLE_UPLOADS, {}).get(config.table)
    code_buttons(config, KEY_PREFIX, upload_name=upload)
