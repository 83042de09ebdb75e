"""Training Playground: watch neural networks learn.

Run with ``streamlit run app.py``. This file only sets up the page and the navigation;
every page lives in ``playground/ui/pages/``.
"""
import streamlit as st

from playground.ui.pages import pages

st.set_page_config(page_title="Training Playground", page_icon="🧠", layout="wide",
                   initial_sidebar_state="expanded")
st.navigation(pages(), position="top").run()
