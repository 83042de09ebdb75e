"""One look for every chart: projector-sized fonts and stable colors.

Colors are assigned by optimizer (SGD is always the same blue on every page) and, for
further runs of the same optimizer, by shades of its hue. Figures leave backgrounds and
ink to the page's theme (the chart component, ui/widgets/plot.js, applies it), so light
and dark modes both work; ``finish`` is the last pass every figure gets before it is
sent.
"""
from __future__ import annotations

import copy

import plotly.graph_objects as go

from playground.figures import fast_arrays, template  # noqa: F401  (installed on import)

# Okabe-Ito-inspired, distinguishable for common color-vision deficiencies.
OPTIMIZER_COLORS = {
    "sgd": "#0072B2",       # blue
    "momentum": "#56B4E9",  # sky blue
    "nesterov": "#009E73",  # green
    "adam": "#D55E00",      # vermillion
    "adamw": "#E69F00",     # orange
    "rmsprop": "#CC79A7",   # purple-pink
    "adagrad": "#8C6D31",   # brown
}
RUN_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
              "#8C6D31", "#666666"]
# Class colors for decision boundaries and scatter plots (up to 10 classes: digits).
CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
VAL_DASH = "dot"
FONT_SIZE = 16          # ticks, axis titles: readable from the back of a classroom
TITLE_SIZE = 20
MIN_FONT = 14           # nothing on a chart is smaller (legends, annotations, sliders)


def optimizer_color(name: str) -> str:
    return OPTIMIZER_COLORS.get(name, "#666666")


def run_color(index: int) -> str:
    return RUN_COLORS[index % len(RUN_COLORS)]


def colors_for(optimizers: list[str]) -> list[str]:
    """One colour per run: the optimizer's own colour for its first run, and for each
    further run of the same optimizer a shade of that hue (darker, lighter, a little
    warmer or cooler) chosen to sit as far as possible from every other colour on the
    chart. So SGD stays "the blue one" on every page, and lr 0.001 and lr 20 of SGD are
    two different blues, neither of them momentum's sky blue."""
    firsts = {}
    for name in optimizers:
        firsts.setdefault(name, optimizer_color(name))
    out: list[str] = []
    for name in optimizers:
        base = firsts[name]
        if base not in out:
            out.append(base)
            continue
        taken = out + [c for c in firsts.values() if c not in out]
        shades = [c for c in _shades(base) if _readable(c)] or list(_shades(base))
        out.append(max(shades, key=lambda c: min(delta_e(c, t) for t in taken)))
    return out


LIGHT_BG, DARK_BG = "#FFFFFF", "#0E1117"     # Streamlit's light and dark backgrounds
MIN_CONTRAST = 2.0                            # a 3 px line stays visible on both


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 = none, 21 = black on white)."""
    def lum(color):
        c = color.lstrip("#")
        v = []
        for i in (0, 2, 4):
            x = int(c[i:i + 2], 16) / 255
            v.append(x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4)
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _readable(color: str) -> bool:
    return contrast(color, LIGHT_BG) >= MIN_CONTRAST and contrast(color, DARK_BG) >= MIN_CONTRAST


def _shades(color: str):
    import colorsys

    r, g, b = (int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, l, s = colorsys.rgb_to_hls(r, g, b)
    for dl in (-0.3, -0.2, -0.1, 0.1, 0.2, 0.3):
        for dh in (-0.06, 0.0, 0.06):          # ±22° of hue
            li = min(max(l + dl, 0.18), 0.8)   # readable on white and on dark grey
            rr, gg, bb = colorsys.hls_to_rgb((h + dh) % 1.0, li, s)
            yield "#%02X%02X%02X" % (round(rr * 255), round(gg * 255), round(bb * 255))


def _lab(color: str) -> tuple[float, float, float]:
    def lin(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    c = color.lstrip("#")
    r, g, b = (lin(int(c[i:i + 2], 16)) for i in (0, 2, 4))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference: about 2 is just noticeable, 20+ tells runs apart at a
    glance."""
    la, lb = _lab(a), _lab(b)
    return sum((p - q) ** 2 for p, q in zip(la, lb)) ** 0.5


def hex_to_rgba(color: str, alpha: float) -> str:
    c = color.lstrip("#")
    r, g, b = int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
    return f"rgba({r},{g},{b},{alpha})"


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def style(fig: go.Figure, title: str | None = None, x_title: str | None = None,
          y_title: str | None = None, height: int = 420, **layout) -> go.Figure:
    """Apply the house style: big fonts, labelled axes, legend on its own line under the
    title. Extra ``layout`` keys (e.g. ``yaxis=dict(type="log")``) merge in, so the whole
    layout is set in one ``update_layout`` call: Plotly's per-call validation dominates
    the cost of a live refresh otherwise."""
    template.install()
    base = dict(
        title=dict(text=title, font=dict(size=TITLE_SIZE), y=0.98, yanchor="top",
                   x=0.01, xanchor="left") if title else None,
        font=dict(size=FONT_SIZE),
        height=height,
        margin=dict(l=70, r=20, t=95 if title else 50, b=60),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0,
                    font=dict(size=FONT_SIZE - 2)),
        hovermode="x unified",
    )
    if x_title is not None:
        base["xaxis"] = dict(title=dict(text=x_title))
    if y_title is not None:
        base["yaxis"] = dict(title=dict(text=y_title))
    # One Layout construction instead of update_layout: Plotly's relayout path costs
    # several times more, and this runs on every live refresh.
    # The layout so far without its template (copying and re-validating that is most of
    # the cost); the new Layout gets the house template again, already validated.
    # (``_props`` is what ``to_plotly_json`` deep-copies whole, template included.)
    current = {k: copy.deepcopy(v) for k, v in fig.layout._props.items() if k != "template"}
    fig.layout = go.Layout(_merge(_merge(current, base), layout))
    return fig


# ----------------------------------------------------------------- projector finishing
def _axes_of(layout: dict):
    for name, axis in layout.items():
        if isinstance(axis, dict) and (name.startswith("xaxis") or name.startswith("yaxis")):
            yield axis
        elif name == "scene" and isinstance(axis, dict):
            yield from (a for k, a in axis.items() if isinstance(a, dict) and k.endswith("axis"))


def finish(spec: dict) -> dict:
    """The last pass every chart gets before it is drawn (``spec`` is ``fig.to_dict()``):

    * log axes tick once per decade, labelled 0.001, 0.01, 0.1 … (plotly's default adds
      "2" and "5" between decades, which crowd into "5, 2" and let an η of 0.05 sit on a
      tick labelled "5"), with a light minor grid between decades;
    * no text below ``MIN_FONT`` (legends, annotations, slider labels, colour bars).
    Returns ``spec``, changed in place.
    """
    layout = spec.setdefault("layout", {})
    for axis in _axes_of(layout):
        if axis.get("type") == "log" and "tickvals" not in axis:
            axis.setdefault("dtick", 1)
            axis.setdefault("tickformat", "~g")
            axis.setdefault("minor", {"showgrid": True, "ticks": "", "griddash": "dot"})
    for key in ("legend",):
        font = layout.get(key, {}).get("font")
        if font and font.get("size", MIN_FONT) < MIN_FONT:
            font["size"] = MIN_FONT
    for note in layout.get("annotations", ()):
        font = note.setdefault("font", {})
        if font.get("size", FONT_SIZE) < MIN_FONT:
            font["size"] = MIN_FONT
    for slider in layout.get("sliders", ()):
        font = slider.setdefault("font", {})
        if font.get("size", FONT_SIZE) < MIN_FONT:
            font["size"] = MIN_FONT
    return spec
