"""The sidebar's part of "your own data: drawn points": the label-noise slider (every
2D set) and, for a drawn set, how many points there are and how they travel; the
points themselves are drawn on the Train page."""
from __future__ import annotations

import streamlit as st



def drawn_controls(draw, uses: tuple[str, ...]) -> None:
    """``draw`` is the sidebar's drawer (its sliders and message slots)."""
    if "points" in uses and draw.show("points"):
        # No count here: the canvas is a fragment, and a click does not redraw the sidebar.
        st.caption("Draw the points on the **Train** page: click to add, shift-click to "
                   "remove; the canvas says how many there are and how they travel.")
        draw._slot("points")
    if "label_noise" in uses:
        draw.slider("label_noise", 0.0, 0.5, step=0.05)
