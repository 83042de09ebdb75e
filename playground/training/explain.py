"""The maths behind a run, as LaTeX strings the pages show (no UI code here)."""
from __future__ import annotations

LOSS = r"""
p_k(x) = \frac{e^{z_k}}{\sum_j e^{z_j}}, \qquad
\mathcal{L}(\theta) = -\frac{1}{|B|}\sum_{(x,y)\in B} \log p_y(x)
"""


def regression_loss(config) -> str:
    """The regression loss in LaTeX: MSE, or Huber with its δ."""
    if config.regression_loss == "huber":
        d = f"{config.huber_delta:g}"
        return (r"\mathcal{L}(\theta) = \frac{1}{|B|}\sum_{(x,z)\in B} \ell_\delta(\hat y(x)"
                r" - z),\quad \ell_\delta(e) = \begin{cases} \tfrac12 e^2 & |e| \le \delta \\ "
                r"\delta\,(|e| - \tfrac12\delta) & |e| > \delta \end{cases},\quad \delta = " + d)
    return r"\mathcal{L}(\theta) = \frac{1}{|B|}\sum_{(x,z)\in B} \big(\hat y(x) - z\big)^2"

UPDATES = {
    "sgd": r"\theta \leftarrow \theta - \eta\, g",
    "momentum": r"v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta\, v",
    "nesterov": r"v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta\,(g + \mu v)",
    "adam": (r"m \leftarrow \beta_1 m + (1-\beta_1) g,\quad "
             r"s \leftarrow \beta_2 s + (1-\beta_2) g^2,\quad "
             r"\theta \leftarrow \theta - \eta\,\frac{m/(1-\beta_1^t)}{\sqrt{s/(1-\beta_2^t)}+\epsilon}"),
    "adamw": (r"\theta \leftarrow \theta - \eta\left(\frac{\hat m}{\sqrt{\hat s}+\epsilon}"
              r" + \lambda\,\theta\right)\quad\text{(Adam with decoupled weight decay } \lambda)"),
    "rmsprop": (r"s \leftarrow \alpha s + (1-\alpha) g^2,\qquad "
                r"v \leftarrow \mu v + \frac{g}{\sqrt{s}+\epsilon},\qquad "
                r"\theta \leftarrow \theta - \eta\, v\quad(\mu = 0\text{: } v = g/(\sqrt{s}+\epsilon))"),
    "adagrad": (r"s \leftarrow s + g^2,\qquad "
                r"\theta \leftarrow \theta - \eta\,\frac{g}{\sqrt{s}+\epsilon}"),
}


def output_layer(n_hidden: int, width: int, n_classes: int, n_features: int,
                 model_kind: str = "mlp", embed_dim: int = 0, context: int = 0) -> str:
    if model_kind == "text":
        last = embed_dim          # the averaged embedding feeds the linear layer
    elif n_hidden:
        last = width
    else:
        last = context * embed_dim if model_kind == "window" else n_features
    return (rf"z = W_{{out}}\,h + b_{{out}},\quad W_{{out}}\in\mathbb{{R}}^{{{n_classes}\times"
            rf"{last}}}\quad\text{{(one logit per class; no softmax inside the model)}}")


def gradient_note(config) -> str:
    parts = [r"g = \nabla_\theta \mathcal{L}\ \text{on the minibatch}"]
    if config.weight_decay > 0 and config.optimizer != "adamw":
        parts.append(rf"g \leftarrow g + {config.weight_decay:g}\,\theta")
    if config.clip > 0:
        parts.append(rf"g \leftarrow g\cdot\min\!\left(1, \frac{{{config.clip:g}}}{{\|g\|}}\right)")
    return r",\qquad ".join(parts)


def architecture(config, n_features: int, n_classes: int, model_kind: str = "mlp") -> str:
    """The layer sizes in words, e.g. ``2 → 16 → 16 → 3``."""
    hidden = [config.width] * config.hidden_layers
    if model_kind == "text":
        return (f"{n_features:,}-word vocabulary → mean of {config.embed_dim}-d embeddings "
                f"(EmbeddingBag) → {n_classes} topics")
    if model_kind == "window":
        sizes = [config.context * config.embed_dim] + hidden + [n_classes]
        return (f"{config.context} characters × {config.embed_dim}-d embedding → "
                + " → ".join(str(s) for s in sizes))
    sizes = [n_features] + hidden + [n_classes]
    return " → ".join(str(s) for s in sizes)
