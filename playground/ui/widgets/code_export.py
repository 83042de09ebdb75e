"""Copy as PyTorch: a setup as a runnable script and a notebook, shown and downloadable.

Any page with a RunConfig can offer it: ``code_buttons(config, key_prefix)`` draws a
"Copy as PyTorch" expander whose contents are built only when it is opened (a click),
``code_panel`` the contents alone (for a page that already sits in an expander). The
code itself comes from :mod:`playground.codegen`.
"""
from __future__ import annotations

import streamlit as st

from playground import codegen
from playground.codegen.header import TOLERANCE
from playground.config import RunConfig
from playground.ui import nav


def open_key(key_prefix: str) -> str:
    """The session key of the expander :func:`code_buttons` draws (True while open)."""
    return f"{key_prefix}_code_open"


def code_buttons(config: RunConfig, key_prefix: str, upload_name: str | None = None,
                 label: str = "Copy as PyTorch") -> None:
    """An expander holding :func:`code_panel`, built when opened."""
    box = st.expander(label, icon=":material/code:", key=open_key(key_prefix),
                      on_change="rerun")
    if not box.open:
        return   # nothing is generated until someone asks for it
    with box:
        code_panel(config, key_prefix, upload_name)


def code_panel(config: RunConfig, key_prefix: str, upload_name: str | None = None) -> None:
    """The script in a code block (with its copy button) and both files to download.

    ``upload_name``: the file an uploaded dataset came from; the script reads it from next
    to itself."""
    if config.validate():
        st.info("Fix the settings marked in the sidebar to export this setup as code.",
                icon=":material/info:")
        return
    source = codegen.source_for(config, upload_name)
    app_url = _train_page_url()
    try:
        script = codegen.build_script(config, source, app_url)
    except ValueError as exc:     # a setup the exporter does not cover (a regression table)
        st.info(f"{exc}.", icon=":material/info:")
        return
    st.markdown(
        f"A self-contained PyTorch program (needs `pip install {' '.join(source.packages)}`) "
        "that reproduces this setup's run: the same data split, initial weights, batch "
        f"order, optimizer and schedule, so its losses match the app's within {TOLERANCE}.")
    if source.from_file:
        st.info(f"This setup trains on your file **{source.file_name}**: put it next to the "
                "script (or notebook) before running it.", icon=":material/upload_file:")
    cols = st.columns(2)
    cols[0].download_button(
        "Script (.py)", script, file_name=codegen.script_name(config), mime="text/x-python",
        key=f"{key_prefix}_code_py", on_click="ignore", icon=":material/download:",
        width="stretch",
        help="Run it with `python " + codegen.script_name(config) + "` (add `--steps 50` "
        "for the first 50 steps only); it prints the Train page's metrics and writes the "
        "history (CSV) and the final weights.")

    def notebook() -> str:   # built when clicked
        return codegen.build_notebook(config, source, app_url)

    cols[1].download_button(
        "Notebook (.ipynb)", notebook, file_name=codegen.notebook_name(config),
        mime="application/x-ipynb+json", key=f"{key_prefix}_code_ipynb", on_click="ignore",
        icon=":material/download:", width="stretch",
        help="The same program as a Jupyter notebook: a note before each step, and a last "
        "cell that plots the curves with matplotlib.")
    st.code(script, language="python", height=420)


def _train_page_url() -> str:
    """This app's address without the page (Train is served at "/"): a script's link back
    opens its setup where a single run is trained, whichever page exported it."""
    base = (st.context.url or "").split("?")[0].rstrip("/")
    head, _, last = base.rpartition("/")
    pages = {spec.key for spec in nav.MENU}
    return (head if last in pages and "://" in head else base) + "/" if base else ""
