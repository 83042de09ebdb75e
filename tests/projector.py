"""What a chart must be to be read from the back of a classroom, as checks on the figure
exactly as it travels to the browser (``figures.wire.to_wire``, i.e. after
``theme.finish``).

``problems(spec)`` lists every rule a figure breaks; tests assert the list is empty, so
a failure names the trace or the axis at fault.
"""
from __future__ import annotations

import itertools
import json

from playground.figures.theme import MIN_FONT, delta_e
from playground.figures.wire import to_wire

# Trace types plotly never puts in the legend unless asked: they explain themselves
# by their hover text (or a colour bar).
NO_LEGEND_BY_DEFAULT = {"heatmap", "contour", "surface", "image", "histogram2d"}
MIN_RUN_DELTA_E = 15.0       # two runs' colours tell apart at a glance


def wire(fig) -> dict:
    return json.loads(to_wire(fig))


def problems(spec: dict) -> list[str]:
    if not isinstance(spec, dict):
        spec = wire(spec)
    out: list[str] = []
    layout = spec.get("layout", {})
    data = spec.get("data", [])
    out += _fonts(layout, data)
    out += _log_axes(layout)
    out += _explained(data)
    out += _run_colours(data)
    out += _frames_keep_the_map(spec)
    return out


def _fonts(layout: dict, data: list) -> list[str]:
    out = []

    def check(where: str, font) -> None:
        if isinstance(font, dict) and "size" in font and font["size"] < MIN_FONT:
            out.append(f"{where} font {font['size']} < {MIN_FONT}")

    check("layout", layout.get("font"))
    check("legend", (layout.get("legend") or {}).get("font"))
    title = layout.get("title")
    if isinstance(title, dict):
        check("title", title.get("font"))
    for name, axis in _axes(layout):
        check(f"{name} ticks", axis.get("tickfont"))
        if isinstance(axis.get("title"), dict):
            check(f"{name} title", axis["title"].get("font"))
    for i, note in enumerate(layout.get("annotations", ())):
        check(f"annotation {i} ({note.get('text', '')!r})", note.get("font"))
    for i, slider in enumerate(layout.get("sliders", ())):
        check(f"slider {i}", slider.get("font"))
    for i, trace in enumerate(data):
        check(f"trace {i} ({trace.get('name')!r}) text", trace.get("textfont"))
        bar = trace.get("colorbar") or (trace.get("marker") or {}).get("colorbar")
        if isinstance(bar, dict):
            check(f"trace {i} colour bar", bar.get("tickfont"))
    return out


def _axes(layout: dict):
    for name, axis in layout.items():
        if isinstance(axis, dict) and (name.startswith("xaxis") or name.startswith("yaxis")):
            yield name, axis
    scene = layout.get("scene")
    if isinstance(scene, dict):
        for name in ("xaxis", "yaxis", "zaxis"):
            if isinstance(scene.get(name), dict):
                yield f"scene.{name}", scene[name]


def _log_axes(layout: dict) -> list[str]:
    """A log axis ticks once per decade (or at chosen values), never "2, 5" between."""
    out = []
    for name, axis in _axes(layout):
        if axis.get("type") == "log" and "tickvals" not in axis and axis.get("dtick") != 1:
            out.append(f"{name} is a log axis without decade ticks (dtick={axis.get('dtick')})")
    return out


def _explained(data: list) -> list[str]:
    """Every mark is named somewhere the viewer can find it: a legend entry, or a hover
    label (an unexplained dot on a projector is a question nobody can answer)."""
    out = []
    for i, t in enumerate(data):
        kind = t.get("type", "scatter")
        in_legend = t.get("showlegend", kind not in NO_LEGEND_BY_DEFAULT) and t.get("name")
        hover = t.get("hoverinfo") not in ("skip", "none")
        if (t.get("marker") or {}).get("showscale") and t.get("x") == [None]:
            continue                                   # a colour bar's carrier: explained by it
        if t.get("visible") is False or (t.get("x") == [None] and in_legend):
            continue                                   # legend-only keys are fine
        if not in_legend and not hover:
            out.append(f"trace {i} ({t.get('name')!r}, {kind}) has no legend entry and no "
                       "hover label")
    return out


def _colour_of(trace: dict) -> str | None:
    for part in ("line", "marker"):
        c = (trace.get(part) or {}).get("color")
        if isinstance(c, str) and c.startswith("#") and len(c) == 7:
            return c
    return None


def _run_colours(data: list) -> list[str]:
    """Traces with their own legend entries that are lines (runs, optimizers) keep
    colours a room can tell apart. The same colour with another dash (a run's train
    solid, its validation dotted) is one run drawn twice, on purpose."""
    runs: dict[str, tuple[str, str]] = {}
    for t in data:
        if t.get("type", "scatter") != "scatter" or t.get("showlegend") is False:
            continue
        if "lines" not in t.get("mode", "lines") or not t.get("name"):
            continue
        colour = _colour_of(t)
        group = t.get("legendgroup") or t["name"]
        if colour and group not in runs:
            runs[group] = (colour, (t.get("line") or {}).get("dash", "solid"))
    out = []
    for (a, (ca, da)), (b, (cb, db)) in itertools.combinations(runs.items(), 2):
        if da != db:
            continue
        d = delta_e(ca, cb)
        if d < MIN_RUN_DELTA_E:
            out.append(f"{a!r} {ca} and {b!r} {cb} look alike (ΔE {d:.0f} < {MIN_RUN_DELTA_E:g})")
    return out


MAP_TRACES = ("contour", "heatmap", "histogram2dcontour")


def _frames_keep_the_map(spec: dict) -> list[str]:
    """An animated chart must keep its map through ▶ Play. plotly.js hides contour and
    heatmap traces while frames animate other traces (plotly.js #4491, #4596; with
    redraw=True they come back only if a frame outlasts the redraw), so an animated
    chart draws its map as a picture (layout.images) and never as such a trace."""
    frames = spec.get("frames") or []
    if not frames:
        return []
    out = [f"trace {i} ({t.get('type')}) is a map in an animated chart: it vanishes on Play"
           for i, t in enumerate(spec.get("data", [])) if t.get("type") in MAP_TRACES]
    for f in frames:
        for t in f.get("data", ()):
            if t.get("type") in MAP_TRACES:
                out.append(f"frame {f.get('name')} carries a {t.get('type')} trace")
    return out
