"""Comparison groups: fairness on tensors, lockstep, divergence isolation, setup, summary."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import torch

from playground.compare import setup
from playground.compare import summary as compare_summary
from playground.compare.fairness import verify_fairness
from playground.compare.group import Group, due_members
from playground.compare.member import Member
from playground.compare.packed.pack import Pack
from playground.config import RunConfig
from playground.figures import compare as figs
from playground.figures.theme import optimizer_color
from playground.runs.commands import Inbox
from playground.runs.record import RunRecord
from playground.runs.slots import ComputeSlots
from playground.runs.status import Status
from playground.training.trainer import Trainer

BASE = RunConfig(dataset="gauss", n_samples=300, classes=3, hidden_layers=1, width=8,
                 batch_size=16, length=120, eval_every=10, seed=3)


def make_group(configs, labels=None, slots=None, **options) -> Group:
    """A group driving fresh records, as the registry builds one (without the registry)."""
    labels = labels or [f"run {i}" for i in range(len(configs))]
    members = [Member(RunRecord(f"m{i}", c, label=label, group_id="g"), Inbox(), i)
               for i, (c, label) in enumerate(zip(configs, labels))]
    return Group("g", members, slots or ComputeSlots(2), **options)


def snapshots(group: Group) -> list:
    return [m.record.snapshot() for m in group.members]


def _wait(group: Group, timeout: float = 30.0) -> None:
    group.join(timeout)
    assert not group.is_alive(), "the group did not finish in time"


# ------------------------------------------------------------------ fairness on tensors
def test_same_seed_different_optimizers_start_identical_and_see_identical_batches():
    sgd = Trainer(BASE.replace(optimizer="sgd", lr=0.1))
    adam = Trainer(BASE.replace(optimizer="adam", lr=1e-3))
    for a, b in zip(sgd.model.parameters(), adam.model.parameters()):
        assert torch.equal(a, b)
        assert a.data_ptr() != b.data_ptr()      # equal values, never shared storage
    for _ in range(3 * sgd.steps_per_epoch):    # across epoch boundaries too
        assert torch.equal(sgd.batches.next(), adam.batches.next())
    f = verify_fairness([sgd, adam], [sgd.flat_params(), adam.flat_params()])
    assert f.same_split and f.weight_groups == ((0, 1),) and f.batch_groups == ((0, 1),)


def test_fairness_report_separates_what_differs():
    runs = [Trainer(BASE), Trainer(BASE.replace(init="zeros")),
            Trainer(BASE.replace(batch_size=32))]
    f = verify_fairness(runs, [t.flat_params() for t in runs])
    assert f.weight_groups == ((0, 2), (1,))
    assert f.batch_groups == ((0, 1), (2,))


def test_group_members_really_trained_from_the_same_start():
    cfgs = [BASE.replace(optimizer="sgd", lr=0.1), BASE.replace(optimizer="adam", lr=1e-2)]
    group = make_group(cfgs, ["sgd", "adam"]).start()
    _wait(group)
    a, b = group.members
    assert torch.equal(a.record.trajectory.points[0], b.record.trajectory.points[0])
    assert not torch.equal(a.trainer.flat_params(), b.trainer.flat_params())   # both moved
    assert group.fairness.weight_groups == ((0, 1),)


def test_packed_step_matches_separate_steps():
    cfgs = [BASE.replace(optimizer=o, lr=lr) for o, lr in (("sgd", 0.1), ("adam", 1e-2))]
    alone = [Trainer(c) for c in cfgs]
    packed = [Trainer(c) for c in cfgs]
    pack = Pack(packed)
    assert pack.works()
    for _ in range(30):
        expected = [t.step() for t in alone]
        got = pack.step()
        for e, g in zip(expected, got):
            assert g.step == e.step and g.examples == e.examples
            assert g.loss == pytest.approx(e.loss, rel=1e-4, abs=1e-6)
    for t, u in zip(alone, packed):
        assert torch.allclose(t.flat_params(), u.flat_params(), atol=1e-5)


# ------------------------------------------------------------------ lockstep
class _Spy:
    """Records every member's step count whenever any member takes a step."""

    def __init__(self, group: Group):
        self.spreads: list[int] = []
        self.lock = threading.Lock()
        for m in group.members:
            original = m.after_step

            def after(r, busy, now, _orig=original):
                _orig(r, busy, now)
                with self.lock:
                    steps = [x.trainer.step_count for x in group.members
                             if x.trainer is not None and x.status == Status.RUNNING]
                    if len(steps) > 1:
                        self.spreads.append(max(steps) - min(steps))
            m.after_step = after


@pytest.mark.parametrize("mode", [(1, False), (1, True), (2, False), (2, True), None])
def test_lockstep_holds_within_one_step(mode):
    """Every way of stepping (1 or 2 cores, batched or not, or tuned) keeps lockstep."""
    cfgs = [BASE.replace(optimizer=o, lr=lr, length=300) for o, lr in
            (("sgd", 0.1), ("momentum", 0.05), ("adam", 1e-2), ("rmsprop", 1e-3))]
    group = make_group(cfgs, ["a", "b", "c", "d"], lanes=2)
    if mode is not None:
        group._tuner.choose = lambda candidates, now: mode
    spy = _Spy(group)
    group.start()
    _wait(group)
    assert len(spy.spreads) > 100
    assert max(spy.spreads) <= 1
    assert all(m.trainer.step_count == 300 for m in group.members)
    assert all(m.status == Status.FINISHED for m in group.members)


def test_lockstep_by_examples_when_batch_sizes_differ():
    cfgs = [BASE.replace(batch_size=8, length=2, length_unit="epochs"),
            BASE.replace(batch_size=32, length=2, length_unit="epochs")]
    group = make_group(cfgs, ["b8", "b32"])
    assert group.clock == "examples"
    small, big = group.members
    gaps = []
    tick = group._tick

    def spy(due, *mode):
        tick(due, *mode)
        gaps.append(big.trainer.examples_seen - small.trainer.examples_seen)
    group._tick = spy
    group.start()
    _wait(group)
    # after every tick the runs are less than one big batch apart, and level every
    # big step (the small-batch run takes ~4 steps per step of the big one)
    assert max(abs(g) for g in gaps) < 32
    assert gaps.count(0) >= big.trainer.step_count - 2
    assert small.trainer.examples_seen == big.trainer.examples_seen


def test_mode_tuner_tries_every_mode_then_keeps_the_fastest():
    from playground.compare.tuning import ModeTuner

    tuner = ModeTuner(trial_s=1.0, retune_s=10.0)
    modes = ((1, False), (1, True), (2, False), (2, True))
    speed = {(1, False): 100, (1, True): 300, (2, False): 50, (2, True): 200}
    seen, t = [], 0.0
    while t < 6.0:
        mode = tuner.choose(modes, t)
        seen.append(mode)
        tuner.done(speed[mode] // 10)     # member-steps done in this 0.1 s tick
        t += 0.1
    assert set(seen) == set(modes)
    assert tuner.best == (1, True) and seen[-1] == (1, True) and tuner.settled
    # Once a fast way is known, one running at half its speed is dropped early...
    assert seen.count((2, False)) < 10 and seen.count((1, True)) >= 10
    # ...and a re-measurement starts with the last winner, which sets that bar at once.
    assert tuner.choose(modes, 17.0) == (1, True)      # time to measure again
    seen, t = [], 17.0
    while not tuner.settled:
        tuner.done(speed[(mode := tuner.choose(modes, t))] // 10)
        seen.append(mode)
        t += 0.1
    assert tuner.best == (1, True)
    assert seen.count((2, False)) <= 3 and seen.count((1, False)) <= 4   # cut short
    assert tuner.choose(((1, False),), 30.0) == (1, False)


def test_due_members_picks_the_laggards():
    group = make_group([BASE, BASE.replace(optimizer="sgd")], ["a", "b"], ComputeSlots(1))
    for m in group.members:
        m.build()
    a, b = group.members
    a.trainer.step()
    assert due_members([a, b], "steps") == [b]
    b.trainer.step()
    assert due_members([a, b], "steps") == [a, b]


# ------------------------------------------------------------------ isolation and control
def test_a_diverging_member_stops_and_the_others_go_on():
    cfgs = [BASE.replace(optimizer="sgd", lr=0.1, length=200),
            BASE.replace(optimizer="sgd", lr=5000.0, length=200),
            BASE.replace(optimizer="adam", lr=1e-2, length=200)]
    group = make_group(cfgs, ["ok", "boom", "adam"]).start()
    _wait(group)
    ok, boom, adam = snapshots(group)
    assert boom.status == Status.DIVERGED and boom.diverged_at is not None
    assert boom.step == boom.diverged_at < 200
    assert ok.status == adam.status == Status.FINISHED
    assert ok.step == adam.step == 200
    assert np.isfinite(ok.val_loss) and np.isfinite(adam.val_loss)


def test_pause_one_member_then_it_catches_up(registry):
    cfgs = [BASE.replace(length=400), BASE.replace(optimizer="sgd", lr=0.1, length=400)]
    group = registry.start_group(cfgs, ["a", "b"], pace=400.0)
    a, b = registry.group(group).run_ids
    registry.pause(a)
    at_pause = registry.snapshot(a).step
    deadline = time.monotonic() + 10
    while registry.snapshot(b).step < at_pause + 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert registry.snapshot(a).status == Status.PAUSED
    assert registry.snapshot(a).step <= at_pause + 1
    assert registry.snapshot(b).step >= at_pause + 40
    registry.set_pace(a, None)                    # the whole group's pace
    registry.resume(a)
    registry.join(a, 30)
    assert registry.snapshot(a).step == registry.snapshot(b).step == 400


def test_stop_group_ends_the_group_thread(registry):
    cfgs = [BASE.replace(length=100_000), BASE.replace(optimizer="sgd", length=100_000)]
    group = registry.start_group(cfgs, ["a", "b"])
    time.sleep(0.3)
    registry.stop_group(group)
    registry.join(registry.group(group).run_ids[0], 5)
    assert all(s.status == Status.STOPPED for s in registry.group(group).members)


def test_a_member_that_cannot_be_built_fails_alone():
    good = BASE
    bad = BASE.replace(lr=-1.0)     # invalid: Trainer refuses it
    group = make_group([good, bad], ["good", "bad"], ComputeSlots(1)).start()
    _wait(group)
    s_good, s_bad = snapshots(group)
    assert s_bad.status == Status.FAILED and "lr" in s_bad.message
    assert s_good.status == Status.FINISHED


def test_members_are_registry_runs_for_the_surface_page(registry):
    cfgs = [BASE, BASE.replace(optimizer="sgd", lr=0.1)]
    group = registry.start_group(cfgs, ["a", "b"], owner="me")
    ids = registry.group(group).run_ids
    registry.join(ids[0], 30)
    for rid, label in zip(ids, ["a", "b"]):
        trace = registry.capture(rid)
        assert trace.steps[0] == 0 and trace.steps[-1] == BASE.length
        assert trace.points.shape[0] == len(trace.steps) and trace.label == label
        assert registry.task(rid) is not None
        snap = registry.snapshot(rid)
        assert snap.status == Status.FINISHED and snap.group_id == group
        assert registry.group_of(rid) == group
    assert registry.stop(ids[0])
    assert not registry.stop("no-such-run")


def test_registry_limit_counts_group_members(registry):
    from playground.runs.registry import RunLimitError
    cfgs = [BASE.replace(length=1_000_000)] * 5
    registry.start_group(cfgs, list("abcde"), owner="me")
    with pytest.raises(RunLimitError, match="limit"):
        registry.start_group(cfgs, list("abcde"), owner="me")


# ------------------------------------------------------------------ setup (pure)
def test_rows_inherit_blank_cells_and_report_errors_with_run_numbers():
    rows = setup.preset_rows("SGD 0.1 vs Adam 1e-3")
    plan = setup.plan(rows, BASE)
    assert plan.ok and plan.clock == "steps"
    assert [c.optimizer for c in plan.configs] == ["sgd", "adam"]
    assert all(c.width == BASE.width and c.batch_size == BASE.batch_size for c in plan.configs)
    assert plan.labels == ("SGD lr=0.1", "Adam lr=0.001")
    bad = setup.plan([{"lr": -1.0}, {"optimizer": "lion"}, {"batch_size": 2.5}], BASE)
    assert not bad.ok
    text = " | ".join(bad.errors)
    assert "Run 1 · Learning rate" in text and "Run 2 · Optimizer" in text
    assert "Run 3 · Batch size" in text


def test_row_count_limits_and_blank_rows():
    one = setup.plan([{"lr": 0.1}, {f: None for f in setup.FIELDS}], BASE)
    assert not one.ok and "at least 2" in one.errors[0] and one.notes
    seven = setup.plan([{"lr": 0.01 * (i + 1)} for i in range(7)], BASE)
    assert not seven.ok and "At most 6" in seven.errors[0]


def test_every_preset_is_valid_on_the_default_config():
    for name in setup.PRESETS:
        plan = setup.plan(setup.preset_rows(name), RunConfig())
        assert plan.ok, (name, plan.errors)
        assert len(set(plan.labels)) == len(plan.labels)


def test_mixed_batch_sizes_lock_by_examples_and_evaluate_evenly():
    plan = setup.plan(setup.preset_rows("batch 8 vs 64 vs full batch"), BASE,
                      length=3, length_unit="epochs")
    assert plan.ok and plan.clock == "examples"
    evals = [c.eval_every for c in plan.configs]
    assert evals[0] == BASE.eval_every and evals[0] > evals[1] >= evals[2] >= 1
    in_steps = setup.plan(setup.preset_rows("batch 8 vs 64 vs full batch"), BASE)
    assert any("epochs" in n for n in in_steps.notes)


def test_fairness_plan_sentences():
    plan = setup.plan(setup.preset_rows("xavier vs zeros vs large normal"), BASE)
    lines = dict((text.split()[0], ok) for ok, text in setup.fairness_plan(list(plan.configs)))
    assert lines["Same"] is True
    facts = [text for _, text in setup.fairness_plan(list(plan.configs))]
    assert "No two runs share identical initial weights" in facts[1]
    assert facts[2].startswith("Identical batch order for all 3")


# ------------------------------------------------------------------ summary and figures
def test_summary_reports_target_best_and_divergence():
    cfgs = [BASE.replace(optimizer="adam", lr=0.05, length=150),
            BASE.replace(optimizer="sgd", lr=5000.0, length=150)]
    group = make_group(cfgs, ["adam", "boom"]).start()
    _wait(group)
    snaps = snapshots(group)
    rows = compare_summary.summary_rows(snaps, ["adam", "boom"], target=0.5)
    good, boom = rows
    assert good["best val loss"] <= good["final val loss"] + 1e-12
    assert good["target reached at step"] is not None
    assert good["target reached at step"] % BASE.eval_every == 0
    assert boom["diverged at step"] == snaps[1].diverged_at
    assert boom["target reached at step"] is None
    csv = compare_summary.to_csv(rows)
    assert csv.splitlines()[0].startswith("run,optimizer,status")
    assert len(csv.strip().splitlines()) == 3


def test_loss_figure_colors_by_optimizer_and_marks_divergence():
    hist = {"train": {"step": np.arange(1, 6.0), "examples": np.arange(1, 6.0) * 16,
                      "time": np.linspace(0, 1, 5), "epoch": np.arange(5.0),
                      "loss": np.array([1.0, 0.8, 0.7, 0.6, 0.5]),
                      "loss_min": np.array([1.0, 0.8, 0.7, 0.6, 0.5]),
                      "loss_max": np.array([1.0, 0.8, 0.7, 0.6, 0.5]), "lr": np.ones(5)},
            "eval": {"step": np.array([0.0, 5.0]), "examples": np.array([0.0, 80.0]),
                     "time": np.array([0.0, 1.0]), "epoch": np.array([0.0, 1.0]),
                     "val_loss": np.array([1.1, 0.6]), "val_acc": np.array([0.3, 0.8])}}
    boom = {"train": dict(hist["train"], loss=np.array([1.0, 3.0, 50.0, 900.0, np.inf])),
            "eval": hist["eval"]}
    members = [figs.Member("SGD", "sgd", hist), figs.Member("boom", "adam", boom,
                                                            "diverged", 5)]
    fig = figs.loss_figure(members, x="examples")
    named = {t.name: t for t in fig.data if t.name}
    assert named["SGD"].line.color == optimizer_color("sgd")
    assert named["SGD"].type == "scatter"            # SVG: live redraws, no WebGL churn
    assert "boom ✕ diverged" in named
    assert not named["SGD · validation"].showlegend   # one legend entry per run
    assert any(t.marker.symbol == "x" for t in fig.data if t.mode and "markers" in t.mode)
    assert fig.layout.xaxis.title.text == "examples seen"
    assert fig.layout.yaxis.range[1] == pytest.approx(1.3)   # starting losses set the scale
    acc = figs.accuracy_figure(members, x="time")
    assert np.allclose(acc.data[0].y, [30.0, 80.0])
    with pytest.raises(ValueError, match="x must be"):
        figs.loss_figure(members, x="epochs")


@pytest.mark.parametrize("activation,hidden", [("tanh", 2), ("relu", 1), ("sigmoid", 3),
                                               ("linear", 2), ("tanh", 0)])
def test_hand_written_pack_pass_matches_autograd(activation, hidden):
    from playground.compare.packed.mlp import layers_of, losses_and_grads
    from playground.compare.packed.pack import _mlp_plan

    cfgs = [BASE.replace(optimizer="sgd", activation=activation, hidden_layers=hidden,
                         seed=s) for s in (0, 1, 2)]    # three different sets of weights
    trainers = [Trainer(c) for c in cfgs]
    plan = _mlp_plan(trainers[0].model)
    layers = layers_of(plan)
    assert layers is not None and len(layers) == hidden + 1
    names = [n for n, _ in trainers[0].model.named_parameters()]
    stacked = {n: torch.stack([dict(t.model.named_parameters())[n].detach() for t in trainers])
               for n in names}
    idx = trainers[0].batches.next()
    (x,), y = trainers[0].task.train.take(idx)
    losses, grads = losses_and_grads(layers, stacked, x, y)
    for i, t in enumerate(trainers):
        loss = torch.nn.functional.cross_entropy(t.model(x), y)
        t.model.zero_grad()
        loss.backward()
        assert losses[i].item() == pytest.approx(loss.item(), rel=1e-5)
        for n, p in t.model.named_parameters():
            assert torch.allclose(grads[n][i], p.grad, rtol=1e-4, atol=1e-6), n


def test_dropout_and_gelu_packs_use_autograd():
    from playground.compare.packed.mlp import layers_of
    from playground.compare.packed.pack import _mlp_plan

    for cfg in (BASE.replace(dropout=0.3), BASE.replace(activation="gelu")):
        assert layers_of(_mlp_plan(Trainer(cfg).model)) is None


def test_momentum_and_decay_columns_set_each_optimizers_own_setting():
    from playground.compare.setup import plan, row_of
    base = RunConfig()
    p = plan([{"optimizer": "rmsprop", "lr": 1e-3, "momentum": 0.5},
              {"optimizer": "adamw", "lr": 1e-3, "weight_decay": 0.2},
              {"optimizer": "momentum", "lr": 0.05}], base)
    assert p.ok, p.errors
    rms, adamw, mom = p.configs
    assert (rms.rmsprop_momentum, rms.momentum) == (0.5, base.momentum)
    assert (adamw.adamw_decay, adamw.weight_decay) == (0.2, 0.0)
    assert mom.momentum == 0.9
    assert row_of(rms)["momentum"] == 0.5 and row_of(adamw)["weight_decay"] == 0.2
    bad = plan([{"optimizer": "rmsprop", "momentum": 1.5}, {"optimizer": "sgd"}], base)
    assert any(e.startswith("Run 1 · Momentum:") for e in bad.errors), bad.errors


def test_labels_name_only_settings_that_apply_to_the_run():
    from playground.compare.setup import labels_for, preset_rows, plan
    p = plan(preset_rows("xavier vs zeros vs large normal"), RunConfig())
    assert p.ok, p.errors
    xavier, zeros, normal = p.labels
    assert "σ" not in xavier and "σ" not in zeros and "σ=" in normal, p.labels
    mixed = [RunConfig(optimizer="sgd", lr=0.1), RunConfig(optimizer="momentum", lr=0.1,
                                                           momentum=0.5)]
    assert labels_for(mixed, RunConfig()) == ["SGD", "SGD + momentum"]
