"""Take it home: any setup as a runnable PyTorch script and a Jupyter notebook that
reproduce the app's run (same data split, initial weights, batch order, optimizer and
schedule), depending only on torch and the package its data comes from.

``build_script(config)`` / ``build_notebook(config)`` return the text; ``source_for``
names where the data comes from (an upload becomes a file the program reads). Pure: no
Streamlit here (the buttons are ``playground/ui/widgets/code_export.py``).
"""
from .header import app_link, base_name
from .notebook import build_notebook, notebook_name
from .script import build_script, script_name
from .source import DataSource, source_for

__all__ = ["DataSource", "app_link", "base_name", "build_notebook", "build_script",
           "notebook_name", "script_name", "source_for"]
