"""Training Playground: watch neural networks learn.

Run with ``streamlit run app.py``. This file only sets up the page; the navigation,
the shared setup sidebar and the address bar are drawn by ``playground/ui/shell.py``
around the page, and every page lives in ``playground/ui/pages/``.
"""
import streamlit as st

from playground.ui import shell

st.set_page_config(page_title="Training Playground", page_icon="🧠", layout="wide",
                   initial_sidebar_state="expanded")
shell.main()
