"""A regression's output figures: readable from the back of the room, scaled by the data."""
from __future__ import annotations

import numpy as np

from playground.figures.fit import (curve_fit_figure, parity_figure, value_map_figure,
                                    value_range)
from tests.projector import problems

RNG = np.random.default_rng(0)
PTS = RNG.uniform(-1, 1, (50, 2)).astype(np.float32)
VALUES = (PTS[:, 0] + PTS[:, 1]).astype(np.float32)


def test_the_value_map_shares_one_data_scale_between_heatmap_and_points():
    xs = ys = np.linspace(-1.2, 1.2, 8, dtype=np.float32)
    grid = 5.0 * np.ones((8, 8), np.float32)           # a wild network: the scale holds
    fig = value_map_figure((-1.2, 1.2, -1.2, 1.2), xs, ys, grid, "y", PTS, VALUES, PTS[:5],
                           VALUES[:5]).to_dict()
    assert not problems(fig)
    heat, train, val = fig["data"]
    span = value_range(VALUES)
    assert heat["zmin"] == -span and heat["zmax"] == span
    assert train["marker"]["cmin"] == -span and val["marker"]["symbol"] == "circle-open"
    assert "units of y" in heat["colorbar"]["title"]["text"]


def test_the_data_preview_puts_the_colour_bar_on_the_points():
    fig = value_map_figure((-1, 1, -1, 1), None, None, None, "price", PTS, VALUES).to_dict()
    assert not problems(fig)
    [train] = fig["data"]
    assert train["marker"]["showscale"] and "units of price" in \
        train["marker"]["colorbar"]["title"]["text"]


def test_the_curve_and_the_parity_plot_pass_the_projector_rules():
    xs = np.linspace(-3, 3, 40)
    curve = curve_fit_figure(xs, np.sin(xs), "y", xs, np.sin(xs) + 0.1, xs[:5], xs[:5]).to_dict()
    assert not problems(curve) and curve["data"][-1]["name"] == "network's fit"
    assert curve["layout"]["yaxis"]["title"]["text"] == "y (units of y)"
    parity = parity_figure(VALUES, VALUES * 0.9, "y").to_dict()
    assert not problems(parity)
