"""The Train page's supporting sections: the maths, downloads, and share links."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from playground import data as datasets
from playground import explain, export
from playground.config import RunConfig
from playground.ui import controls


# ---------------------------------------------------------------------- maths
def maths(config: RunConfig) -> None:
    box = st.expander("Show the maths", icon=":material/function:", key="train_maths_open",
                      on_change="rerun")
    if not box.open:
        return   # built only when opened: otherwise every rerun of the page pays for it
    with box:
        task_ok = not config.validate()
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


# ------------------------------------------------------------------- downloads
def downloads(reg, run_id: str) -> None:
    """Files are produced when clicked (callables), so they hold the latest state and cost
    nothing on ordinary reruns."""
    worker = reg.get(run_id)
    if worker is None:
        return

    def history() -> str:
        full = worker.history_view(max_points=worker.history.train.capacity)
        return export.history_csv(full["train"], full["eval"])

    def weights() -> bytes:
        return export.weights_bytes(worker.snapshot(poll=False).weights or {})

    st.subheader("Download")
    cols = st.columns(3)
    cols[0].download_button("History (CSV)", history, file_name=f"run-{run_id}-history.csv",
                            mime="text/csv", icon=":material/table:", key="dl_csv",
                            on_click="ignore", help="Every recorded step: loss (mean/min/max "
                            "per bucket), learning rate, validation loss and accuracy.")
    cols[1].download_button("Config (JSON)", export.config_json(worker.config),
                            file_name=f"run-{run_id}-config.json", mime="application/json",
                            icon=":material/settings:", key="dl_json", on_click="ignore",
                            help="Everything needed to reproduce the run.")
    cols[2].download_button("Weights (PyTorch)", weights, file_name=f"run-{run_id}-weights.pt",
                            mime="application/octet-stream", icon=":material/download:",
                            key="dl_weights", on_click="ignore",
                            help="The latest weights as a state dict: "
                                 "torch.load(path, weights_only=True).")


# ---------------------------------------------------------------------- share
def share(config: RunConfig) -> None:
    """The link that reproduces this setup, and a classroom version of it."""
    box = st.expander("Share this setup", icon=":material/share:", key="train_share_open",
                      on_change="rerun")
    if not box.open:
        return   # built only when opened (see maths)
    with box:
        base = (st.context.url or "").split("?")[0]
        st.markdown("**This exact setup** (the address bar always holds it too):")
        st.code(share_link(base, config), language=None)
        st.markdown("**As a classroom exercise**: hide the controls students should not "
                    "touch, or lock them all.")
        cols = st.columns([3, 1])
        hide = cols[0].multiselect(
            "Hide these controls", ["sidebar", *RunConfig.field_names()], key="share_hide",
            help="'sidebar' hides every control and shows a one-line summary instead.")
        lock = cols[1].checkbox("Lock the rest", key="share_lock",
                                help="Students see the settings but cannot change them.")
        st.code(share_link(base, config, set(hide), lock), language=None)


def share_link(base: str, config: RunConfig, hidden: set[str] = frozenset(),
               locked: bool = False) -> str:
    """A link that opens this setup (and the classroom settings), URL-encoded."""
    query = {**config.to_query(), **controls.classroom_query(hidden, locked)}
    return f"{base}?{urlencode(query)}"
