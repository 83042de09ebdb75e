"""How every chart is put on a page: the same toolbar and a sharp PNG download."""
from __future__ import annotations

import streamlit as st

# No Plotly logo; "download as PNG" at twice the size, sharp on a projector slide.
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"scale": 2}}


def chart(fig, key: str, **kw) -> None:
    st.plotly_chart(fig, key=key, config=CHART_CONFIG, theme="streamlit", **kw)
