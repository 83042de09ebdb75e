
import pytest
import torch

from playground.config import RunConfig
from playground.training.batches import BatchOrder
from playground.training.schedule import lr_factor
from playground.training.trainer import Trainer
from playground.training.trajectory import Trajectory

OPTIMIZERS = ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"]


def batches(trainer, n):
    return [trainer.batches.next().clone() for _ in range(n)]


def test_same_seed_same_start_and_batches_across_optimizers():
    base = RunConfig(dataset="digits", width=32, batch_size=64, seed=5)
    trainers = [Trainer(base.replace(optimizer=o, lr=0.05)) for o in OPTIMIZERS]
    ref = trainers[0]
    ref_batches = batches(ref, 100)
    for t in trainers[1:]:
        for a, b in zip(ref.model.parameters(), t.model.parameters()):
            assert torch.equal(a, b)
        for a, b in zip(ref_batches, batches(t, 100)):
            assert torch.equal(a, b)


def test_batch_order_depends_on_seed_and_covers_each_epoch():
    a, b = BatchOrder(100, 32, seed=1), BatchOrder(100, 32, seed=2)
    epoch = torch.cat([a.next() for _ in range(a.steps_per_epoch)])
    assert sorted(epoch.tolist()) == list(range(100))
    assert a.steps_per_epoch == 4
    assert not torch.equal(BatchOrder(100, 32, 1).next(), b.next())


def test_full_batch_is_one_step_per_epoch():
    t = Trainer(RunConfig(batch_size=0, length=3, length_unit="epochs"))
    assert t.steps_per_epoch == 1 and t.total_steps == 3 and t.batch_size == len(t.task.train)


def test_tiny_lr_sgd_leaves_weights_unchanged():
    t = Trainer(RunConfig(optimizer="sgd", lr=1e-30))
    before = t.flat_params()
    for _ in range(20):
        t.step()
    assert torch.allclose(before, t.flat_params(), rtol=0, atol=1e-25)
    assert t.step_count == 20


def test_training_reduces_loss_and_evaluates_in_eval_mode():
    t = Trainer(RunConfig(dataset="gauss", optimizer="adam", lr=0.02, dropout=0.3))
    first = t.evaluate()
    for _ in range(300):
        t.step()
    after = t.evaluate()
    assert after.loss < first.loss * 0.5 and after.accuracy > 0.9
    assert t.model.training  # evaluation restored train mode
    assert t.evaluate().loss == after.loss  # deterministic: dropout off while evaluating


def test_huge_lr_is_reported_as_divergence():
    t = Trainer(RunConfig(optimizer="sgd", lr=1e3))
    for _ in range(50):
        r = t.step()
        reason = t.divergence(r.loss)
        if reason:
            break
    assert reason is not None and r.step < 50


def test_clipping_bounds_the_update():
    cfg = RunConfig(optimizer="sgd", lr=1.0, clip=0.01, init="normal", init_std=3.0)
    t = Trainer(cfg)
    before = t.flat_params()
    t.step()
    assert (t.flat_params() - before).norm() <= 0.01 + 1e-6


@pytest.mark.parametrize("kind", ["step", "exponential", "cosine", "onecycle"])
def test_schedules_follow_torch(kind):
    cfg = RunConfig(scheduler=kind, step_size=2, gamma=0.5, lr=0.1, length=10,
                    length_unit="epochs", batch_size=0)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    sched = {
        "step": lambda: torch.optim.lr_scheduler.StepLR(opt, 2, 0.5),
        "exponential": lambda: torch.optim.lr_scheduler.ExponentialLR(opt, 0.5),
        "cosine": lambda: torch.optim.lr_scheduler.CosineAnnealingLR(opt, 10),
        "onecycle": lambda: torch.optim.lr_scheduler.OneCycleLR(
            opt, 0.1, total_steps=10, anneal_strategy="cos", cycle_momentum=False),
    }[kind]()
    for step in range(10):
        ours = 0.1 * lr_factor(cfg, step, steps_per_epoch=1, total_steps=10)
        assert ours == pytest.approx(opt.param_groups[0]["lr"], rel=1e-6, abs=1e-9), step
        opt.step()
        sched.step()


def test_live_lr_change_applies_to_next_step_and_keeps_schedule():
    t = Trainer(RunConfig(optimizer="sgd", lr=0.1, scheduler="step", step_size=1, gamma=0.5,
                          batch_size=0, length=5, length_unit="epochs"))
    t.step()
    t.set_lr(1.0)
    assert t.step().lr == pytest.approx(0.5)  # epoch 1: base 1.0 × γ
    with pytest.raises(ValueError):
        t.set_lr(-1)


def test_trajectory_stays_bounded_far_past_its_expected_length():
    traj = Trajectory(n_params=3, expected_steps=100, capacity=50)
    for step in range(0, 100_000):
        if traj.due(step):
            traj.record(step, torch.full((3,), float(step)))
    steps, pts = traj.as_tensor()
    assert len(steps) < 50 and steps[0] == 0 and steps[-1] > 90_000
    gaps = {b - a for a, b in zip(steps, steps[1:])}
    assert len(gaps) == 1  # still evenly spaced after every compaction


def test_weights_copy_is_detached_from_the_model():
    t = Trainer(RunConfig())
    w = t.weights()
    t.step()
    assert not all(torch.equal(w[k], v) for k, v in t.model.state_dict().items())
