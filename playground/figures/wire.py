"""A figure as the text that travels to the browser: finished (theme.finish), then JSON.

Numbers go as plotly's typed arrays (base64 float32 where the figure has them), exactly
as ``st.plotly_chart`` would send them; ``validate=False`` because every figure here is
built from plotly's own classes and re-validating a live chart costs milliseconds.
"""
from __future__ import annotations

import plotly.io as pio

from playground.figures.theme import finish


def to_wire(fig) -> str:
    return pio.to_json(finish(fig.to_dict()), validate=False)
