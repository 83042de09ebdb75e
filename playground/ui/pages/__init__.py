"""The app's pages, in menu order. Only pages that work are registered."""
from __future__ import annotations

import streamlit as st


def pages() -> list:
    from . import compare, lessons, server, surface, sweep, train

    return [
        st.Page(train.render, title="Train", icon=":material/model_training:",
                url_path="train", default=True),
        st.Page(sweep.render, title="LR sweep", icon=":material/ssid_chart:", url_path="sweep"),
        st.Page(compare.render, title="Compare", icon=":material/compare_arrows:",
                url_path="compare"),
        st.Page(surface.render, title="Loss surface", icon=":material/landscape:",
                url_path="surface"),
        st.Page(lessons.render, title="Lessons", icon=":material/school:", url_path="lessons"),
        st.Page(server.render, title="Server", icon=":material/dns:", url_path="server"),
    ]
