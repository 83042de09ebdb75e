"""Drawn sets: the link's text round-trips within the grid, bad text says what is wrong,
the split is stable under drawing, and label noise flips exactly the stated share."""
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import numpy as np
import pytest
import torch

from playground import data
from playground.config import RunConfig
from playground.data import drawn, drawn_points, toy2d, user_data
from playground.data.label_noise import flipped

ROOT = Path(__file__).resolve().parents[3]


def drawing(n: int, classes: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1.5, 1.5, (n, 2)), rng.integers(0, classes, n)


def through_a_link(config: RunConfig) -> RunConfig:
    url = "http://x/?" + urlencode(config.to_query())
    back, errors = RunConfig.from_query(dict(parse_qsl(url.split("?", 1)[1])))
    assert not errors
    return back


@pytest.mark.parametrize("n", [1, 7, 400])
def test_a_drawn_set_survives_the_link_within_half_a_grid_step(n):
    xy, labels = drawing(n, classes=6)
    config = RunConfig(dataset="draw", points=drawn_points.encode(xy, labels))
    assert config.points.startswith("v1.") and len(config.points) == 3 + 4 * n
    back_xy, back_labels = drawn_points.decode(through_a_link(config).points)
    assert np.array_equal(back_labels, labels)
    assert np.abs(back_xy - xy).max() <= drawn_points.STEP / 2 + 1e-6
    # Read back and written again, the text is the same: the grid is its own fixed point.
    assert drawn_points.encode(back_xy, back_labels) == config.points


def test_points_off_the_plane_are_clipped_onto_its_edge():
    xy, labels = drawn_points.decode(drawn_points.encode(np.array([[-9.0, 4.0]]), [1]))
    assert xy.tolist() == [[-1.5, 1.5]] and labels.tolist() == [1]


def test_more_than_a_link_holds_is_kept_on_the_server_and_found_by_its_key():
    xy, labels = drawing(drawn_points.MAX_IN_LINK + 1)
    text = drawn_points.encode(xy, labels)
    assert text.startswith("h:") and user_data.KEY_PATTERN.match(text[2:])
    assert drawn_points.travels(text) == "kept on this server"
    back_xy, back_labels = drawn_points.decode(through_a_link(RunConfig(points=text)).points)
    assert np.array_equal(back_labels, labels)
    assert np.abs(back_xy - xy).max() <= drawn_points.STEP / 2 + 1e-6


def test_a_kept_set_is_read_by_another_process(tmp_path):
    """Search's trials rebuild the task from the config in worker processes."""
    xy, labels = drawing(900, classes=2)
    config = RunConfig(dataset="draw", points=drawn_points.encode(xy, labels))
    code = ("import sys; from playground import data; from playground.config import RunConfig; "
            f"t = data.load(RunConfig(dataset='draw', points={config.points!r})); "
            "sys.stdout.write(f'{len(t.train)+len(t.val)+len(t.test)} {t.n_classes}')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout == "900 2", out.stderr


def test_a_link_from_another_server_names_the_field_and_says_why():
    config = RunConfig(dataset="draw", points="h:0123456789abcdef")
    errors = config.validate()
    assert [e.field for e in errors] == ["points"]
    assert "not on this server" in errors[0].reason


def test_a_kept_key_that_is_not_a_drawn_set_is_refused():
    key = user_data.put(b"a,b\n1,2\n")
    assert "not a drawn set" in drawn_points.problem("h:" + key)


@pytest.mark.parametrize("text, says", [
    ("xyz", "must start with 'v1.'"),
    ("v1.AAA!", "contains '!'"),
    ("v1.AAAAAA", "cut short: 4 characters a point"),
    ("v1.AAAP", "point 1 has class 15"),               # the class bits of 0x00000F
    ("v1." + "AAAA" * 401, "a link holds at most 400"),
    ("h:../../etc", "16 hex digits"),
])
def test_malformed_text_gives_a_message_naming_what_is_wrong(text, says):
    errors = RunConfig(dataset="draw", points=text).validate()
    assert [e.field for e in errors] == ["points"] and says in errors[0].reason, errors


def test_a_malformed_link_keeps_the_rest_of_the_setup():
    config, parse_errors = RunConfig.from_query({"dataset": "draw", "points": "v1.@@", "lr": "0.3"})
    assert not parse_errors and config.lr == 0.3
    assert [e.field for e in config.validate()] == ["points"]
    assert data.DATASETS["draw"].total_size(config) == 0


def test_too_few_points_to_train_is_said():
    xy, labels = drawing(4)
    errors = RunConfig(dataset="draw", points=drawn_points.encode(xy, labels),
                       batch_size=0).validate()
    assert [(e.field, e.reason) for e in errors] == [
        ("points", "draw at least 5 points to train (there are 4)")]


def test_the_split_has_the_usual_sizes_is_disjoint_and_covers_every_point():
    xy, labels = drawing(101)
    config = RunConfig(dataset="draw", points=drawn_points.encode(xy, labels), seed=4)
    task = data.load(config)
    sizes = data.split_sizes(101, config.val_fraction, config.test_fraction)
    assert (len(task.train), len(task.val), len(task.test)) == sizes
    assert len(task.train) == data.DATASETS["draw"].train_size(config)
    tr, va, te = task.extra["split"]
    assert sorted(np.concatenate([tr, va, te]).tolist()) == list(range(101))
    assert task.kind == "points2d" and task.n_classes == 3
    assert task.extra["plane"] == (-1.5, 1.5, -1.5, 1.5)


def test_one_more_point_moves_few_others_between_the_splits():
    xy, labels = drawing(200)
    before = drawn.split_indices(xy, 0.2, 0.1, seed=0)
    more = np.vstack([xy, [[0.123, -0.456]]])
    after = drawn.split_indices(more, 0.2, 0.1, seed=0)
    was_val, now_val = set(before[1].tolist()), set(after[1].tolist())
    assert len(was_val ^ now_val) <= 4        # a fresh shuffle would move about 60
    assert not np.array_equal(drawn.split_indices(xy, 0.2, 0.1, seed=1)[1], before[1])


def test_label_noise_flips_exactly_the_stated_share_of_training_labels_to_other_classes():
    labels = np.arange(300) % 3
    noisy, which = flipped(labels, 0.2, 3, seed=5)
    assert len(which) == 60 and (noisy != labels).sum() == 60
    assert np.array_equal(np.flatnonzero(noisy != labels), which)
    again, _ = flipped(labels, 0.2, 3, seed=5)
    other, _ = flipped(labels, 0.2, 3, seed=6)
    assert np.array_equal(noisy, again) and not np.array_equal(noisy, other)


@pytest.mark.parametrize("dataset", ["draw", "moons", "spiral"])
def test_label_noise_changes_training_labels_only(dataset):
    xy, labels = drawing(300, classes=2)
    base = RunConfig(dataset=dataset, points=drawn_points.encode(xy, labels), seed=2)
    clean, noisy = data.load(base), data.load(base.replace(label_noise=0.3))
    changed = int((clean.train.y != noisy.train.y).sum())
    assert changed == round(0.3 * len(clean.train))
    assert torch.equal(clean.train.x, noisy.train.x)
    assert torch.equal(clean.val.y, noisy.val.y) and torch.equal(clean.test.y, noisy.test.y)


def test_label_noise_out_of_range_names_its_field():
    errors = RunConfig(dataset="moons", label_noise=0.7).validate()
    assert [(e.field, e.reason) for e in errors] == [("label_noise", "must be in [0, 0.5], got 0.7")]


def test_a_generated_set_copied_into_a_drawing_keeps_its_points_on_the_grid():
    xy, labels = toy2d.points("moons", 80, 0.1, 2, seed=0)
    back_xy, back_labels = drawn_points.decode(drawn_points.encode(xy, labels))
    assert np.array_equal(back_labels, labels)
    assert np.abs(back_xy - np.clip(xy, -1.5, 1.5)).max() <= drawn_points.STEP / 2 + 1e-6


def test_every_grid_cell_reads_back_as_itself():
    """The exported script hashes the cells it unpacks; the app re-quantises its float
    points: the same cells, for every one of the 1024 levels."""
    levels = np.arange(drawn_points.GRID)
    cells = np.stack([levels, levels[::-1]], 1)
    assert np.array_equal(drawn_points.quantise(drawn_points.on_grid(cells)), cells)
