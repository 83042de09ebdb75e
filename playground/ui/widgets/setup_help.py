"""The words of the setup sidebar: each control's label, section and explanations.

Labels live here once, so every message that names a setting (the sidebar's errors,
the classroom link builder, the Compare table) calls it what the sidebar calls it.
"""
from __future__ import annotations

LABELS = {
    "dataset": "Dataset", "n_samples": "Points", "noise": "Noise", "classes": "Classes",
    "val_fraction": "Validation fraction", "test_fraction": "Test fraction",
    "hidden_layers": "Hidden layers", "width": "Units per hidden layer",
    "activation": "Activation", "dropout": "Dropout", "init": "Weight initialization",
    "init_std": "Init σ", "embed_dim": "Embedding size",
    "context": "Context (previous characters)", "optimizer": "Optimizer",
    "lr": "Learning rate", "momentum": "Momentum μ", "beta1": "β1", "beta2": "β2",
    "alpha": "α", "eps": "ε", "weight_decay": "Weight decay λ (L2)",
    "rmsprop_momentum": "Momentum μ (RMSprop)", "adamw_decay": "Weight decay λ (decoupled)",
    "batch_size": "Batch size (0 = full batch)", "length_unit": "Run length in",
    "length": "Length", "scheduler": "LR schedule", "step_size": "Step every (epochs)",
    "gamma": "Decay γ", "clip": "Gradient clipping max norm (0 = off)", "seed": "Seed",
    "eval_every": "Evaluate every (steps)", "features": "Input features",
    # your own data: tables
    "table": "Table", "label_column": "Label (what to predict)",
    "feature_columns": "Feature columns", "drop_missing": "Drop rows with missing values",
    "table_task": "Predict",
    "points": "Drawn points", "label_noise": "Label noise (share flipped)",
    "regression_loss": "Regression loss", "huber_delta": "Huber δ (target std units)",
}
# The sidebar's sections, in order, and the fields each holds.
SECTIONS = {
    "Data": ("dataset", "n_samples", "noise", "classes", "points", "label_noise",
             "val_fraction", "test_fraction",
             "table", "label_column", "table_task", "feature_columns", "drop_missing"),
    "Model": ("features", "hidden_layers", "width", "activation", "dropout", "init", "init_std",
              "embed_dim", "context"),
    "Optimizer": ("optimizer", "lr", "momentum", "beta1", "beta2", "alpha", "eps",
                  "rmsprop_momentum", "weight_decay", "adamw_decay"),
    "Training": ("regression_loss", "huber_delta", "batch_size", "length_unit", "length",
                 "scheduler", "step_size", "gamma", "clip", "seed", "eval_every"),
}
SECTION_OF = {f: name for name, fields in SECTIONS.items() for f in fields}


def label(field: str) -> str:
    return LABELS.get(field, field)


INIT_HELP = {
    "xavier_uniform": "U(±√(6/(fan_in+fan_out))): keeps activation variance stable (Glorot).",
    "xavier_normal": "N(0, 2/(fan_in+fan_out)): Xavier with a Gaussian.",
    "kaiming_uniform": "Scaled for ReLU-like units by fan_in (He): deep ReLU nets stay alive.",
    "kaiming_normal": "He initialization with a Gaussian.",
    "orthogonal": "A random orthogonal matrix: preserves vector norms layer to layer.",
    "normal": "N(0, σ²) with your σ: large σ saturates tanh, small σ makes signals vanish.",
    "randn": "Every weight and bias from N(0, 1), as makemore part 2 writes it (torch.randn): "
             "big logits, so the first loss is far above chance (about 15 on names).",
    "uniform": "Weights from U(−0.5, 0.5), biases 0: the init of torchtext's text-"
               "classification tutorial (init_weights).",
    "zeros": "All weights 0: every hidden unit is identical and stays identical (symmetry).",
}
OPTIMIZER_HELP = {
    "sgd": "θ ← θ − η·g. The baseline; often generalizes best.",
    "momentum": "Velocity v ← μv + g; θ ← θ − η·v. Rolls through small bumps.",
    "nesterov": "Momentum that looks ahead before computing the step.",
    "adam": "Per-parameter steps from running means of g and g² (β1, β2). Fast start.",
    "adamw": "Adam with decoupled weight decay.",
    "rmsprop": "Divides by a running RMS of the gradient (α).",
    "adagrad": "Divides by the root of all past squared gradients: steps shrink over time.",
}
SCHEDULER_HELP = {
    "none": "Constant learning rate.",
    "step": "Multiply by γ every step_size epochs (the course's StepLR).",
    "exponential": "Multiply by γ after every epoch.",
    "cosine": "Smoothly anneal from η to 0 over the run.",
    "onecycle": "Warm up to η over the first 30%, then anneal far below it.",
}
