"""A chart drawn again from its last drawing when nothing it shows has changed.

Building a live figure and turning it into its wire text is most of what a rerun of
the Train page costs (measured: ~11 of ~38 ms of a whole-page rerun while a run
trains). Yet most reruns are not the charts' own: a sidebar change, a button, a chart
option on another chart. A memo per session and chart key keeps the last wire text
with what it was built from:

* ``identity``: what the chart is (its run, the options it uses). A change always
  rebuilds.
* ``version``: the state of its data (the run's step, status, …). A change rebuilds
  when the rerun brings new points (``new_points=True``: the charts' own poll, or a
  view of a run that no longer polls). Any other rerun keeps the last drawing: it is
  at most one poll old, and the poll brings the new points a moment later.

The plain path, ``widgets/charts.chart``, builds and sends every time.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import streamlit as st

from playground.figures.wire import to_wire
from playground.ui import state
from playground.ui.widgets.charts import figure_height, mount


class _Drawn(NamedTuple):
    identity: tuple
    version: tuple
    wire: str
    height: int


def memo_chart(key: str, build: Callable, identity: tuple, version: tuple,
               new_points: bool = True) -> bool:
    """Draw chart ``key``: ``build()`` makes its figure when it must be rebuilt (see the
    module's docstring). Returns whether it was rebuilt."""
    memo = st.session_state.setdefault(state.CHART_MEMO, {})   # chart key -> _Drawn
    last = memo.get(key)
    keep = last is not None and last.identity == identity and (
        last.version == version or not new_points)
    if not keep:
        fig = build()
        last = memo[key] = _Drawn(identity, version, to_wire(fig), figure_height(fig))
    mount(last.wire, key, last.height)
    return not keep
