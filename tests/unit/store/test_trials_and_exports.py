"""Sweep trials and lesson evidence become stored runs; stored runs leave as CSV, JSON
and TensorBoard event files that read back to the same points."""
from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from playground.config import RunConfig
from playground.lessons.base import SOURCE, Evidence, Finding, Lesson, Preset, Source
from playground.store import RunFilter, config_diff, export, sentence, trials
from playground.sweep.range_test import range_test_many
from playground.sweep.settings import SweepSettings
from playground.sweep.short_runs import ShortRunSettings, short_runs_many

SPIRAL = RunConfig(dataset="spiral", n_samples=300)


def test_range_tests_are_stored_one_run_per_curve_in_one_group(store):
    settings = SweepSettings(start_lr=1e-3, end_lr=1.0, steps=40)
    curves = range_test_many(SPIRAL, ["sgd", "adam"], settings)
    store.add_runs(trials.from_range_tests(curves, "me"))
    assert store.flush()
    runs = store.list_runs(RunFilter(owner="me"))
    assert sorted(r.label for r in runs) == ["Range test · Adam", "Range test · SGD"]
    assert len({r.group_id for r in runs}) == 1 and {r.kind for r in runs} == {"sweep"}
    for r, c in zip(sorted(runs, key=lambda r: r.optimizer), sorted(curves, key=lambda c:
                                                                        c.optimizer)):
        steps, losses = store.points([r.id])[r.id]["loss"]
        assert len(steps) == len(c.losses) and losses[0] == pytest.approx(c.losses[0])


def test_short_runs_are_stored_one_run_per_trial_with_their_final_losses(store):
    results = short_runs_many(SPIRAL, ["sgd"], ShortRunSettings(points=3, steps=20, seeds=2))
    store.add_runs(trials.from_short_runs(results, "me"))
    assert store.flush()
    runs = store.list_runs(RunFilter(owner="me", sort="lr", descending=False))
    assert len(runs) == 6 and [r.lr for r in runs[::2]] == pytest.approx(list(results[0].lrs))
    assert all(r.config["length"] == 20 for r in store.get_runs([r.id for r in runs]))


def test_lesson_evidence_is_stored_hidden_and_tagged(store):
    lesson = Lesson("demo", "A demo lesson", "claim",
                    Source("a notebook", "spiral, Adam", "the loss falls"),
                    (Preset("Open", "train", {"config": SPIRAL}),), None)
    evidence = Evidence([Finding(SOURCE, "a notebook", True, "The loss fell. Reproduced.")],
                        numbers={"final_loss": 0.5},
                        series={"curves": {"step": [0, 10, 20], "loss": [2.0, 1.0, 0.5],
                                           "eval_step": [0, 20], "eval_loss": [2.1, 0.6],
                                           "label": ["not", "numbers", "x"]}})
    store.add_runs(trials.from_evidence(lesson, evidence, "me"))
    assert store.flush()
    assert store.list_runs(RunFilter(owner="me")) == []                 # hidden by default
    (run,) = store.list_runs(RunFilter(owner="me", include_hidden=True))
    assert run.tags == ("lesson", "demo") and run.hidden
    assert store.get_run(run.id).config["dataset"] == "spiral"
    points = store.points([run.id])[run.id]
    assert points["curves/loss"] == ([0, 10, 20], [2.0, 1.0, 0.5])
    assert points["curves/eval_loss"] == ([0, 20], [2.1, 0.6])
    assert "curves/label" not in points


def _stored(recorded):
    reg, store = recorded
    run_id = reg.start(SPIRAL.replace(length=60, eval_every=20), owner="me",
                       label="=HYPERLINK(\"http://evil\")")
    reg.join(run_id, 60)
    assert store.flush()
    return store, run_id


def test_csv_exports_keep_every_point_and_defuse_formulas(recorded):
    store, run_id = _stored(recorded)
    runs, points = store.get_runs([run_id]), store.points([run_id])
    table = list(csv.DictReader(io.StringIO(export.runs_csv(runs))))
    assert table[0]["label"].startswith("'=HYPERLINK")          # text, not a formula
    rows = list(csv.DictReader(io.StringIO(export.points_csv(runs, points))))
    assert len([r for r in rows if r["series"] == "loss"]) == 60
    assert {r["series"] for r in rows} >= {"loss", "lr", "val_loss", "val_acc"}


def test_json_export_holds_config_events_and_points(recorded):
    store, run_id = _stored(recorded)
    doc = json.loads(export.runs_json(store.get_runs([run_id]), store.points([run_id]),
                                      {run_id: store.events(run_id)}))
    (run,) = doc["runs"]
    assert run["config"]["length"] == 60 and run["events"][-1]["kind"] == "finished"
    assert run["points"]["loss"]["step"] == list(range(1, 61))


def test_tensorboard_export_reads_back_in_tensorboard(recorded, tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    store, run_id = _stored(recorded)
    data = export.tensorboard_zip(store.get_runs([run_id]), store.points([run_id]))
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path)
    (folder,) = (tmp_path / "runs").iterdir()
    assert folder.name.endswith(run_id)
    events = EventAccumulator(str(folder), size_guidance={"scalars": 0})
    events.Reload()
    assert len(events.Scalars("train/loss")) == 60
    assert [e.step for e in events.Scalars("validation/loss")] == [0, 20, 40, 60]


def test_the_diff_names_exactly_the_settings_that_differ():
    a = SPIRAL.to_dict()
    b = SPIRAL.replace(lr=0.1, optimizer="sgd").to_dict()
    diffs = config_diff([a, b, a])
    assert [d.field for d in diffs] == ["optimizer", "lr"]
    assert diffs[1].values == (SPIRAL.lr, 0.1, SPIRAL.lr)
    assert sentence(diffs, 3) == "Only `optimizer` and `lr` differ."
    assert sentence(config_diff([a, a]), 2).startswith("These 2 runs have identical settings")
    assert sentence(config_diff([a, {**a, "seed": 3}]), 2) == "Only `seed` differs."
    assert config_diff([a, {k: v for k, v in a.items() if k != "seed"}])[0].values[1] == \
        "(not set)"
