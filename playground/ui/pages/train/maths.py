"""Show the maths: the loss, the output layer and the optimizer's update rule."""
from __future__ import annotations

import streamlit as st

from playground import data as datasets
from playground.config import RunConfig
from playground.training import explain


def maths(config: RunConfig) -> None:
    box = st.expander("Show the maths", icon=":material/function:", key="train_maths_open",
                      on_change="rerun")
    if not box.open:
        return   # built only when opened: otherwise every rerun of the page pays for it
    with box:
        task_ok = not config.validate()
        if task_ok and datasets.is_regression(config):
            regression_maths(config)
            return
        st.markdown("**Loss**: softmax turns the logits z into probabilities; the training "
                    "loss is the mean cross-entropy over a minibatch B — a noisy but unbiased "
                    "estimate of the loss over the whole training set.")
        st.latex(explain.LOSS)
        if task_ok:
            task = datasets.load(config)
            st.markdown("**Output layer** (no softmax inside the model; the loss applies it):")
            st.latex(explain.output_layer(config.hidden_layers, config.width, task.n_classes,
                                          task.n_features, task.model_kind, config.embed_dim,
                                          config.context))
        st.markdown(f"**Update rule** ({config.optimizer_label}, η = learning rate):")
        st.latex(explain.gradient_note(config))
        st.latex(explain.UPDATES.get(config.optimizer, ""))
        st.markdown("The **error rate** (1 − accuracy) is what we report, but it is a step "
                    "function of θ: its gradient is zero almost everywhere, so we train on "
                    "cross-entropy instead.")


def regression_maths(config: RunConfig) -> None:
    """The same three parts for a regression task: its loss, one linear output, the rule."""
    task = datasets.load(config)
    target = task.class_names[0]
    st.markdown(f"**Loss**: the target {target} is standardised, z = ({target} − mean) / std "
                "with the training split's mean and std, and the network's single output ŷ "
                "predicts z. The training loss is the mean over a minibatch B of")
    st.latex(explain.regression_loss(config))
    st.markdown("**Output layer**: one unit, no activation (any real number):")
    st.latex(explain.output_layer(config.hidden_layers, config.width, 1, task.n_features,
                                  task.model_kind, config.embed_dim, config.context))
    st.markdown(f"**Update rule** ({config.optimizer_label}, η = learning rate):")
    st.latex(explain.gradient_note(config))
    st.latex(explain.UPDATES.get(config.optimizer, ""))
    st.markdown(f"**RMSE** is reported in units of {target} (√MSE × std) and **R²** = 1 − "
                "SSE/SST: the share of the validation targets' variance the model explains "
                "(0 = no better than their mean).")
