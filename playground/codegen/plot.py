"""The notebook's last cell: the curves of the run, drawn with matplotlib.

Notebook only: the script depends on torch alone (plus its data's package) and writes
the same numbers to its history CSV instead.
"""
from __future__ import annotations

from .sections import Section, fill


def plot_section(regression: bool = False) -> Section:
    code = fill(_PLOT)
    if regression:        # the right panel: validation RMSE, in the target's units
        code = code.replace('"val_acc"', '"val_rmse"').replace(
            'ylabel="accuracy", title="Validation accuracy",\n           ylim=(0, 1))',
            'ylabel="RMSE (target units)", title="Validation RMSE")').replace(
            'ylabel="cross-entropy"', 'ylabel="loss (standardised target)"')
    return Section(
        "The curves",
        "Training loss (every minibatch, faint, and smoothed as on the Train page) with the "
        "validation loss, and the validation " + ("RMSE" if regression else "accuracy")
        + ", against the step.",
        code, ("import math", "import matplotlib.pyplot as plt"), notebook_only=True)


_PLOT = '''
            trained = [row for row in history if math.isfinite(row.get("loss", math.nan))]
            evaluated = [row for row in history if "val_loss" in row]
            curve, average, weight = [], 0.0, 0.0
            for row in trained:
                average = SMOOTHING * average + (1 - SMOOTHING) * row["loss"]
                weight = SMOOTHING * weight + (1 - SMOOTHING)
                curve.append(average / weight)
            steps_trained = [row["step"] for row in trained]
            steps_evaluated = [row["step"] for row in evaluated]

            fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(12, 4))
            ax_loss.plot(steps_trained, [row["loss"] for row in trained], alpha=0.25,
                         label="minibatch loss")
            ax_loss.plot(steps_trained, curve, label=f"smoothed ({SMOOTHING})")
            ax_loss.plot(steps_evaluated, [row["val_loss"] for row in evaluated], "o-",
                         label="validation loss")
            ax_loss.set(xlabel="step", ylabel="cross-entropy", title="Loss")
            ax_loss.legend()
            ax_acc.plot(steps_evaluated, [row["val_acc"] for row in evaluated], "o-")
            ax_acc.set(xlabel="step", ylabel="accuracy", title="Validation accuracy",
                       ylim=(0, 1))
            plt.show()
            '''
