"""The network diagram and the layer health charts, as figures."""
import numpy as np

from playground.figures.layer_health import update_ratio_figure
from playground.figures.network import NEGATIVE, POSITIVE, Column, map_image, network_figure
from tests.projector import problems, wire


def columns(n_hidden: int, marked=()) -> list[Column]:
    return [Column("inputs", ("x₁", "x₂")),
            Column("hidden 1 (tanh)", tuple(f"unit {i + 1}" for i in range(n_hidden)),
                   marked=tuple(marked)),
            Column("outputs", ("class 0", "class 1"))]


def test_links_are_coloured_by_sign_and_wider_for_larger_weights():
    w1 = np.array([[0.05, -0.05], [2.0, -2.0]])          # [to, from]
    w2 = np.array([[0.5, -0.5], [0.1, 0.1]])
    spec = wire(network_figure(columns(2), [w1, w2]))
    assert problems(spec) == []
    lines = [t for t in spec["data"] if t.get("mode") == "lines"]
    blue = [t for t in lines if "positive" in t["name"]]
    orange = [t for t in lines if "negative" in t["name"]]
    assert all(POSITIVE[1:].lower() in str(t["line"]["color"]).lower() or
               "8,119,189" in t["line"]["color"] for t in blue)
    assert all("245,147,34" in t["line"]["color"] for t in orange)
    widths = sorted({t["line"]["width"] for t in lines})
    assert len(widths) >= 3 and widths[-1] == max(t["line"]["width"] for t in lines)
    # |w| = 2 is clamped to the widest; 0.05 gets the thinnest
    assert max(widths) <= 7 and min(widths) >= 0.5


def test_a_wide_layer_shows_its_first_units_and_plus_n_more():
    spec = wire(network_figure(columns(40), [np.ones((40, 2)), np.ones((2, 40))]))
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert "+33 more" in notes
    [frames] = [t for t in spec["data"] if t["name"] == "unit frame"]
    assert len(frames["x"]) == 6 * (2 + 7 + 2)            # 5 corners and a gap per node


def test_a_marked_unit_gets_a_red_frame_and_a_legend_entry():
    spec = wire(network_figure(columns(3, marked=(False, True, False)),
                               [np.ones((3, 2)), np.ones((2, 3))]))
    [red] = [t for t in spec["data"] if "saturated or dead" in (t.get("name") or "")]
    assert len(red["x"]) == 6 and red["line"]["width"] == 4 and red["showlegend"]
    [units] = [t for t in spec["data"] if t["name"] == "unit"]
    assert "hidden 1 (tanh): unit 2" in units["text"][3]


def test_map_image_runs_orange_through_white_to_blue():
    img = map_image(np.array([[-1.0, 0.0, 1.0]]))
    assert img[0, 0].tolist() == [int(NEGATIVE[i:i + 2], 16) for i in (1, 3, 5)]
    assert img[0, 1].tolist() == [255, 255, 255]
    assert img[0, 2].tolist() == [int(POSITIVE[i:i + 2], 16) for i in (1, 3, 5)]


def test_update_ratio_chart_has_the_minus_three_band_and_one_line_per_matrix():
    steps = np.array([100, 200, 300])
    data = np.log10(np.array([[1e-2, 1e-3], [1e-3, 1e-3], [1e-4, 1e-3]]))
    spec = wire(update_ratio_figure(steps, data, ("W1 2→16", "W2 16→3"), "#D55E00"))
    assert problems(spec) == []
    band = spec["data"][0]
    assert band["fill"] == "toself" and min(band["y"]) == -3.5 and max(band["y"]) == -2.5
    assert [t["name"] for t in spec["data"][1:]] == ["W1 2→16", "W2 16→3"]
