"""How every chart is put on a page: one Plotly div per chart, updated in place.

``chart(fig, key)`` mounts the app's own small component (``plot.js`` beside this file)
instead of ``st.plotly_chart``: Streamlit 1.67 gives a plotly_chart an element id that
includes its figure, so every live refresh mounted a new element and the chart blinked
out or showed twice while the old one went (measured: 4 of 60 samples missing, some
doubled). The component is keyed by the page, so a refresh is one ``Plotly.react`` on
the same div. Its colours follow the page's theme at full strength, and it can report a
click anywhere on the plot area in data coordinates (``on_click``).
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Callable

import plotly
import streamlit as st

from playground.figures.wire import to_wire

# No Plotly logo; "download as PNG" at twice the size, sharp on a projector slide.
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"scale": 2},
                "responsive": True}
DEFAULT_HEIGHT = 450
_HERE = Path(__file__).resolve().parent
_STATIC = _HERE.parents[2] / "static"          # served at app/static/ (config.toml)


def _serve(source: Path, name: str) -> None:
    """Copy a file where the app serves static files (app/static/), if it changed."""
    target = _STATIC / name
    try:
        if not target.exists() or target.read_bytes() != source.read_bytes():
            _STATIC.mkdir(exist_ok=True)
            shutil.copyfile(source, target)
    except OSError:     # a read-only checkout: the files must then be put there by hand
        pass


# The installed plotly package's own plotly.js (nothing is downloaded), and the chart
# code. The component's inline script only imports the latter: the script is sent with
# every chart on every refresh, so it is kept to one line (~150 bytes, not 4 KB).
_serve(Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js",
       "plotly.min.js")
_serve(_HERE / "plot.js", "playground-plot.js")
# ?v=<content hash>: a browser that cached an older copy fetches the new one.
_VERSION = hashlib.sha1((_HERE / "plot.js").read_bytes()).hexdigest()[:10]
_LOADER = ('export default async (c) =>\n  (await import(new URL('
           f'"app/static/playground-plot.js?v={_VERSION}", document.baseURI).href)).default(c);')
_PLOT = st.components.v2.component(
    "playground_plot", html='<div class="playground-plot"></div>',
    css=".playground-plot{width:100%}", js=_LOADER,
    isolate_styles=False)   # Plotly's own stylesheet must reach the div (modebar, hover)


def chart(fig, key: str, height: int | None = None,
          on_click: Callable[[], None] | None = None):
    """Draw ``fig``; with ``on_click``, also return the last click as {"x", "y"} (data
    coordinates, anywhere on the plot area) or None, and call ``on_click`` on a click."""
    return mount(to_wire(fig), key, figure_height(fig, height), on_click)


def figure_height(fig, height: int | None = None) -> int:
    return int(height or fig.layout.height or DEFAULT_HEIGHT)


def mount(wire: str, key: str, height: int, on_click: Callable[[], None] | None = None):
    """Draw a figure already turned into its wire text (``figures/wire.py``): what
    ``chart`` does after building it, for a chart kept from an earlier run
    (``widgets/chart_memo.py``)."""
    h = int(height)
    result = _PLOT(key=key, height=h,
                   data={"figure": wire, "config": CHART_CONFIG,
                         "height": h, "clickable": on_click is not None},
                   **({"on_click_change": on_click} if on_click else {}))
    return getattr(result, "click", None) if on_click else None
