"""A setup as a Jupyter notebook (``.ipynb``, written with nbformat): a markdown cell per
section saying what it does, then its code, and a last cell plotting the curves."""
from __future__ import annotations

import nbformat
from nbformat import v4

from playground.config import RunConfig

from .header import app_link, base_name, promise, title
from .plan import sections
from .sections import import_block
from .source import DataSource, source_for

KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def notebook_name(config: RunConfig) -> str:
    return base_name(config) + ".ipynb"


def build_notebook(config: RunConfig, source: DataSource | None = None,
                   app_url: str = "") -> str:
    """The notebook as ``.ipynb`` JSON text (nbformat 4, validated)."""
    source = source or source_for(config)
    parts = [p for p in sections(config, source) if not p.script_only]
    needs = " ".join(source.packages + ("matplotlib",))
    intro = (f"# {title(config)}\n\n{promise(config, source)}\n\n"
             f"[Open this setup in Training Playground]({app_link(config, app_url)})\n\n"
             f"Needs `pip install {needs}`. Run the cells top to bottom; the Results section "
             f"writes `{base_name(config)}_history.csv` and `{base_name(config)}.pt`.")
    if source.from_file:
        intro += f" Put your file `{source.file_name}` next to this notebook."
    cells = [v4.new_markdown_cell(intro), v4.new_code_cell(import_block(parts).rstrip("\n"))]
    for i, part in enumerate(parts, 1):
        cells.append(v4.new_markdown_cell(f"## {i}. {part.title}\n\n{part.text}"))
        cells.append(v4.new_code_cell(part.code.rstrip("\n")))
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"     # stable ids: the same setup, the same file
    notebook = v4.new_notebook(cells=cells, metadata={
        "kernelspec": KERNEL, "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return nbformat.writes(notebook)
