"""The training loop, evaluation and the saved results, as code.

The loop is the app's step (``playground/training/step.py``) in the course notes' order:
forward, loss, ``zero_grad``, ``backward``, clip, ``step``. Minibatches come from the
app's batch order (``playground/training/batches.py``): a generator of its own seeded
``1_000_003 × SEED + 17``, one ``randperm`` per epoch, consecutive slices of it.
"""
from __future__ import annotations

from .sections import DataCode, Section, fill, literal

_EVALUATE = '''
    def evaluate(x, y):
        """Mean loss and accuracy on a whole split, in eval() mode (dropout off)."""
        if len(y) == 0:
            return math.nan, math.nan
        $PREPARE
        model.eval()
        with torch.no_grad():
            logits = $FORWARD
            loss = F.cross_entropy(logits, y).item()
            accuracy = (logits.argmax(1) == y).float().mean().item()
        model.train()
        return loss, accuracy
    '''

_LOOP = '''
    batch_size = $BATCH_SIZE
    steps_per_epoch = math.ceil(len(y_train) / batch_size)
    total_steps = $TOTAL_STEPS
    steps = total_steps if STOP_AFTER is None else min(STOP_AFTER, total_steps)
    batch_generator = torch.Generator().manual_seed(1_000_003 * SEED + 17)
    chance_loss = math.log(max(2, $N_CLASSES))   # the loss of a uniform guess


    def report(row):
        print(f"step {row['step']:>7,} | epoch {row['epoch']:7.2f} | train loss {smoothed:8.4f} | "
              f"val loss {row['val_loss']:8.4f} | val accuracy {row['val_acc']:6.1%}")


    history = [{"step": 0, "epoch": 0.0}]   # one row per step; evaluations add val_loss, val_acc
    history[0]["val_loss"], history[0]["val_acc"] = evaluate(x_val, y_val)
    smoothed, average, weight, first_loss = math.nan, 0.0, 0.0, None
    report(history[0])
    model.train()
    for step in range(steps):
        if step % steps_per_epoch == 0:
            order = torch.randperm(len(y_train), generator=batch_generator)   # a new shuffle
        first = (step % steps_per_epoch) * batch_size
        batch = order[first:first + batch_size]      # the last one of an epoch may be short
        $TAKE
        $SET_LR
        logits = $FORWARD                             # forward
        loss = F.cross_entropy(logits, yb)            # mean over the minibatch
        optimizer.zero_grad()
        loss.backward()
        value = loss.item()
        history.append({"step": step + 1, "epoch": (step + 1) / steps_per_epoch,
                        "loss": value, "lr": $LR_USED})
        if not math.isfinite(value):                  # no update: the run has diverged
            print(f"diverged at step {step + 1:,}: the loss became {value}")
            break
        $CLIP
        optimizer.step()
        # The Train page's "Train loss": a bias-corrected moving average of the minibatch loss.
        average = SMOOTHING * average + (1 - SMOOTHING) * value
        weight = SMOOTHING * weight + (1 - SMOOTHING)
        smoothed = average / weight
        first_loss = value if first_loss is None else first_loss
        # As the app: 100 × the chance loss (or the starting loss, if worse) is divergence.
        if value > 100 * max(chance_loss, first_loss):
            print(f"diverged at step {step + 1:,}: the loss reached {value:.3g}")
            break
        if (step + 1) % EVAL_EVERY == 0 or step + 1 == steps:
            history[-1]["val_loss"], history[-1]["val_acc"] = evaluate(x_val, y_val)
            report(history[-1])
    '''

_RESULTS = '''
    test_loss, test_acc = evaluate(x_test, y_test)
    if len(y_test):
        print(f"test loss {test_loss:.4f} | test accuracy {test_acc:.1%} ({len(y_test):,})")
    with open(HISTORY_FILE, "w", newline="") as f:   # the columns of the app's history download
        writer = csv.DictWriter(f, ["step", "epoch", "loss", "lr", "val_loss", "val_acc"])
        writer.writeheader()
        writer.writerows(history)
    torch.save(model.state_dict(), WEIGHTS_FILE)     # load: torch.load(path, weights_only=True)
    print(f"wrote {HISTORY_FILE} and {WEIGHTS_FILE}")
    '''


_EVALUATE_REGRESSION = '''
    def evaluate(x, y):
        """Mean loss, RMSE (in the target's own units) and R² on a whole split, in eval()
        mode (dropout off); R² = 1 − SSE/SST, scikit-learn's r2_score."""
        if len(y) == 0:
            return math.nan, math.nan, math.nan
        model.eval()
        with torch.no_grad():
            prediction = model(x).squeeze(-1)                 # [N] standardised
            loss = $LOSS.item()
            error = prediction.double() - y.double()
            sse = float((error * error).sum())
            sst = float(((y.double() - y.double().mean()) ** 2).sum())
        model.train()
        rmse = math.sqrt(sse / len(y)) * target_std          # back in the target's units
        r2 = 1.0 - sse / sst if sst > 0 else (1.0 if sse == 0 else 0.0)
        return loss, rmse, r2
    '''

# The loop and results of a regression run: the same text with its loss and measures.
_REGRESSION_EDITS = (
    ('chance_loss = math.log(max(2, $N_CLASSES))   # the loss of a uniform guess',
     'chance_loss = 1.0   # the loss of predicting the mean (standardised targets)'),
    ("f\"val loss {row['val_loss']:8.4f} | val accuracy {row['val_acc']:6.1%}\")",
     "f\"val loss {row['val_loss']:8.4f} | val RMSE {row['val_rmse']:8.4g} | \"\n"
     "          f\"val R² {row['val_r2']:6.3f}\")"),
    ("evaluations add val_loss, val_acc", "evaluations add val_loss, val_rmse, val_r2"),
    ('history[0]["val_acc"]', 'history[0]["val_rmse"], history[0]["val_r2"]'),
    ('history[-1]["val_acc"]', 'history[-1]["val_rmse"], history[-1]["val_r2"]'),
    ("logits = $FORWARD                             # forward",
     "prediction = $FORWARD.squeeze(-1)             # forward: [B]"),
    ("loss = F.cross_entropy(logits, yb)            # mean over the minibatch",
     "loss = $LOSS_TRAIN   # mean over the minibatch"),
    ("test_loss, test_acc = evaluate", "test_loss, test_rmse, test_r2 = evaluate"),
    ('print(f"test loss {test_loss:.4f} | test accuracy {test_acc:.1%} ({len(y_test):,})")',
     'print(f"test loss {test_loss:.4f} | test RMSE {test_rmse:.4g} | test R² {test_r2:.3f} "\n'
     '          f"({len(y_test):,})")'),
    ('"val_loss", "val_acc"]', '"val_loss", "val_rmse", "val_r2"]'),
)


def _regression(template: str) -> str:
    for old, new in _REGRESSION_EDITS:
        template = template.replace(old, new)
    return template


def loss_call(config, target: str) -> str:
    """The regression loss of ``prediction`` against ``target``: the app's RegressionLoss."""
    if config.regression_loss == "huber":
        return f"F.huber_loss(prediction, {target}, delta={literal(config.huber_delta)})"
    return f"F.mse_loss(prediction, {target})"


def evaluate_section(data: DataCode, config=None) -> Section:
    prepare = data.prepare_eval
    if data.n_classes == "1":     # a regression task: one output, the target standardised
        return Section(
            "Evaluation",
            "The loss, the RMSE in the target's own units and R² over a whole split at once, "
            "in `eval()` mode so that dropout is off, without building a graph.",
            fill(_EVALUATE_REGRESSION, LOSS=loss_call(config, "y")),
            ("import math", "import torch", "import torch.nn.functional as F"))
    return Section(
        "Evaluation",
        "The loss and accuracy over a whole split at once, in `eval()` mode so that dropout "
        "is off, without building a graph (`torch.no_grad()`).",
        fill(_EVALUATE, PREPARE=prepare, FORWARD=data.eval_forward),
        ("import math", "import torch", "import torch.nn.functional as F"))


def loop_section(config, data: DataCode) -> Section:
    scheduled = config.scheduler != "none"
    set_lr = ("lr = learning_rate(step)\n"
              "for group in optimizer.param_groups:\n"
              "    group[\"lr\"] = lr\n") if scheduled else ""
    clip = ("torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)   # rescale if "
            "‖g‖ > CLIP\n") if config.clip > 0 else ""
    batch = ("len(y_train)   # the full batch: the exact gradient, one step per epoch"
             if config.batch_size == 0 else "min(BATCH_SIZE, len(y_train))")
    total = "STEPS" if config.length_unit == "steps" else "EPOCHS * steps_per_epoch"
    text = ("One optimizer step per minibatch, in the order of the app's step: forward, "
            "loss, `zero_grad`, `backward`, ")
    text += "clip the gradient's norm to `CLIP`, " if config.clip > 0 else ""
    text += "`step`. "
    text += ("Before each step the schedule sets the learning rate. " if scheduled else "")
    text += ("Minibatches are consecutive slices of one shuffle per epoch, drawn by a "
             "generator of their own: the batch order depends only on the seed, the batch "
             f"size and the training-set size. Every `EVAL_EVERY` steps (and at the end) it "
             "prints the Train page's metrics. A loss that is not finite, or more than 100× "
             "the chance level, stops the run as the app would.")
    regression = data.n_classes == "1"
    if regression:
        text = text.replace("the chance level", "the loss of predicting the mean")
    return Section("Training", text,
                   fill(_regression(_LOOP) if regression else _LOOP, BATCH_SIZE=batch,
                        TOTAL_STEPS=total, N_CLASSES=data.n_classes, TAKE=data.take,
                        SET_LR=set_lr, FORWARD=data.forward, LR_USED="lr" if scheduled else "LR",
                        CLIP=clip,
                        **({"LOSS_TRAIN": loss_call(config, "yb")} if regression else {})),
                   ("import math", "import torch", "import torch.nn.functional as F"))


def results_section(regression: bool = False) -> Section:
    return Section(
        "Results",
        "The test set, used once at the end. The history (one row per step, with the "
        "columns of the app's history download) goes to a CSV file and the final weights "
        "to a `state_dict` file.",
        fill(_regression(_RESULTS) if regression else _RESULTS), ("import csv", "import torch"))
