"""Each lesson starts from its source's exact setup, and that setup reproduces what the
source reports (its number, or the behaviour it claims where it gives none); each
deviation is measured beside it."""
from __future__ import annotations

import math
import statistics

import pytest

from playground.lessons import (BY_KEY, batch_budget, dropout, loss_vs_error, lr_range,
                                minibatch, names, news, sgd_vs_adam)
from playground.lessons.base import SOURCE
from playground.training.trainer import Trainer
from tests.unit.lessons.lesson_evidence import measured

LECTURE_LR = 0.1


def sources(key: str):
    ev, _ = measured(key)
    return ev, [f for f in ev.findings if f.role == SOURCE]


# ---------------------------------------------------------------------- makemore part 2
def test_makemore_presets_are_the_lectures_setup():
    for cfg in (names.SWEEP_PRESET, names.TRAIN_PRESET):
        assert (cfg.context, cfg.embed_dim, cfg.hidden_layers, cfg.width, cfg.activation,
                cfg.init, cfg.batch_size, cfg.optimizer, cfg.lr) == \
            (3, 2, 1, 100, "tanh", "randn", 32, "sgd", LECTURE_LR)
    assert (names.TRAIN_PRESET.scheduler, names.TRAIN_PRESET.gamma) == ("step", 0.1)
    assert BY_KEY["names"].presets[0].payload["preset"] == "makemore"   # 1e-3 → 1, 1,000 steps


def test_makemore_sweep_bottoms_near_the_lectures_lr_on_four_of_five_seeds():
    ev, found = sources("names")
    lecture = ev.series["sweep_minima"]["lecture"]
    assert list(ev.series["sweep_minima"]["seed"]) == [0, 1, 2, 3, 4]
    near = [abs(math.log10(lr) + 1) <= 0.4 for lr in lecture]         # 10^(−1 ± 0.4)
    assert sum(near) >= 4, lecture
    assert ev.numbers["seeds_near_lecture_lr"] == sum(near) and found[0].observed


def test_makemore_sweep_with_xavier_bottoms_higher():
    ev, _ = sources("names")
    lecture, xavier = (ev.series["sweep_minima"][k] for k in ("lecture", "xavier"))
    assert statistics.median(xavier) > statistics.median(lecture)
    assert sum(x > b for x, b in zip(xavier, lecture)) >= 4, (lecture, xavier)
    # The measured reason: Xavier's first gradients are far smaller.
    assert ev.numbers["first_grad_norm_xavier"] * 5 < ev.numbers["first_grad_norm"]


def test_makemore_text_states_both_minima_of_this_run():
    ev, _ = sources("names")
    minima = ev.series["sweep_minima"]
    lecture, xavier = (statistics.median(minima[k]) for k in ("lecture", "xavier"))
    assert (ev.numbers["best_lr"], ev.numbers["best_lr_xavier"]) == (lecture, xavier)
    source_text, xavier_text = ev.findings[0].text, ev.findings[2].text
    assert f"lowest at lr {lecture:.2g} " in source_text
    assert ", ".join(f"{v:.2g}" for v in minima["lecture"]) in source_text
    assert f"bottomed at lr {xavier:.2g} " in xavier_text
    assert ", ".join(f"{v:.2g}" for v in minima["xavier"]) in xavier_text
    # Seed 0's minimum is where its own smoothed curve is lowest (the chart's marker).
    sweep = ev.series["sweep"]
    lowest = min(range(len(sweep["lecture_smoothed"])), key=sweep["lecture_smoothed"].__getitem__)
    assert minima["lecture"][0] == pytest.approx(10 ** sweep["exponent"][lowest])


def test_makemore_late_decay_lowers_the_loss():
    ev, found = sources("names")
    before, after = ev.numbers["val_loss_before_decay"], ev.numbers["val_loss_after_decay"]
    assert after < before < math.log(27) - 0.5
    assert ev.numbers["first_loss"] > 10           # N(0, 1) logits start far above chance
    assert found[1].observed


# ---------------------------------------------------------------------- news (the notes)
def test_news_notes_setup_is_the_notes_and_the_tutorials_model():
    cfg = news.NOTES
    assert (cfg.optimizer, cfg.lr, cfg.clip, cfg.batch_size, cfg.embed_dim, cfg.init,
            cfg.length_unit, cfg.length) == ("sgd", 0.1, 0.1, 64, 64, "uniform", "epochs", 10)
    assert BY_KEY["news"].presets[0].payload["config"] == cfg
    assert (news.PRESET.lr, news.PRESET.scheduler, news.PRESET.gamma) == (5.0, "step", 0.1)


def test_news_notes_setup_classifies_far_above_chance():
    ev, found = sources("news")
    assert ev.numbers["test_accuracy"] > ev.numbers["chance"] + 0.25 and found[0].observed
    assert f"{ev.numbers['test_accuracy']:.1%}" in found[0].text


def test_news_train_preset_of_the_notes_is_the_evidence_run():
    """The source says the Train page's constant-0.1 preset is the same run as long as the
    tutorial's rule never cut the LR; check both halves of that sentence."""
    ev, _ = sources("news")
    assert ev.numbers["lr_cuts"] == 0 and ev.series["notes"]["cut_after"] == []
    tr = Trainer(news.NOTES)
    while not tr.finished:
        tr.step()
    assert tr.evaluate("test").accuracy == ev.numbers["test_accuracy"]


def test_news_deviations_move_the_accuracy_as_stated():
    ev, _ = sources("news")
    n = ev.numbers
    assert n["test_accuracy"] < n["lr5_test_accuracy"] < 1.0
    assert n["every_epoch_test_accuracy"] < n["test_accuracy"] - 0.2
    assert n["reach_every_epoch"] == pytest.approx(
        n["steps_per_epoch"] * 0.1 * 0.1 * sum(0.1 ** k for k in range(10)))


# ---------------------------------------------------------------------- dropout / Xavier
def test_dropout_preset_is_the_sources_setup():
    p = dropout.PRESET
    assert (p.activation, p.dropout, p.init, p.optimizer, p.lr) == \
        ("relu", 0.5, "xavier_uniform", "adam", 1e-3)
    assert BY_KEY["dropout_xavier"].deviations == ()


def test_dropout_is_on_in_train_and_off_in_eval():
    ev, found = sources("dropout_xavier")
    n = ev.numbers
    assert abs(n["dropout_share_train_mode"] - 0.5) < 0.05
    assert n["dropout_share_eval_mode"] == 0
    assert n["val_loss_eval_mode"] < n["val_loss_dropout_on"]
    assert found[0].observed


def test_xavier_keeps_the_scale_that_normal_blows_up():
    ev, found = sources("dropout_xavier")
    n = ev.numbers
    assert n["std_growth_normal"] > 50 * n["std_growth_xavier"]
    assert n["initial_loss_normal"] > 10 * n["initial_loss_xavier"]
    assert found[1].observed


# ---------------------------------------------------------------------- training chapter
def test_loss_keeps_falling_while_the_error_rate_stands_still():
    ev, found = sources("loss_vs_error")
    assert ev.numbers["loss_drop_second_half"] > 0
    assert ev.numbers["share_flat_error"] >= 0.3 and found[0].observed
    assert loss_vs_error.CE_CONFIG.optimizer == "adam"


def test_a_minibatch_loss_is_unbiased_but_noisy():
    ev, found = sources("minibatch_vs_full")
    n = ev.numbers
    assert abs(n["mean_difference"]) <= 3 * n["standard_error"] and n["scatter_sd"] > 0.01
    assert found[0].observed and minibatch.MB_CONFIG.batch_size == 32


def test_small_batches_win_on_one_budget():
    ev, found = sources("batch_budget")
    assert ev.numbers["val_loss_batch_8"] < ev.numbers["val_loss_batch_256"]
    budget = {c.batch_size: c.batch_size * c.length
              for c in (batch_budget.SMALL_BATCH, batch_budget.LARGE_BATCH)}
    assert set(budget) == {8, 256} and len(set(budget.values())) == 1   # same examples
    assert found[0].observed


def test_learning_rates_crawl_fall_and_blow_up():
    ev, found = sources("lr_range")
    n = ev.numbers
    assert n["val_loss_about_right"] < n["val_loss_too_small"]
    assert not math.isfinite(n["val_loss_too_large"]) or \
        n["val_loss_too_large"] > n["val_loss_about_right"] + 0.5
    assert list(lr_range.LR_VALUES.values()) == sorted(lr_range.LR_VALUES.values())
    assert found[0].observed


def test_adam_with_the_chapters_betas_beats_sgd_and_tuning_sgd_narrows_the_gap():
    adam = sgd_vs_adam.OPT_CONFIGS["adam"]
    assert (adam.beta1, adam.beta2) == (0.9, 0.999)
    ev, found = sources("sgd_vs_adam")
    n = ev.numbers
    assert n["adam_steps_to_target"] < n["sgd_steps_to_target"]
    assert n["tuned_sgd_steps_to_target"] < n["sgd_steps_to_target"]
    assert all(f.observed for f in found)


def test_the_update_size_rises_with_the_learning_rate():
    ev, _ = sources("lr_range")
    n = ev.numbers
    assert n["update_ratio_too_small"] < n["update_ratio_about_right"] < \
        n["update_ratio_too_large"]
    extra = [f for f in ev.findings if f.title == "The update size tells the three apart"]
    assert extra and extra[0].observed and "log10(std Δw / std w)" in extra[0].text
    series = next(iter(ev.series.values()))
    assert len(series["update_step"]) == len(series["update_ratio"]) > 10


def test_xavier_keeps_each_layer_alive_and_n01_saturates_every_tanh_layer():
    from playground.lessons import init_health

    ev, found = sources("init_health")
    stds = ev.series["Xavier uniform"]["std"]
    assert all(0.5 * stds[0] <= s <= 2 * stds[0] for s in stds), stds
    assert min(ev.series["N(0, 1)"]["saturated"]) > 0.5
    assert ev.series["Zeros"]["std"] == [0.0] * init_health.BASE.hidden_layers
    assert all(f.observed for f in found) and len(found) == 2
    assert "layer 4" in found[1].text
