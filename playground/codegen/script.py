"""A setup as one self-contained, runnable PyTorch script (``train_<dataset>_<optimizer>.py``).

The docstring says what it reproduces and how to run it, the link opens the setup in
the app, then come the imports and one ``# %%`` cell per section (editors such as VS
Code run those as cells), each opened by its paragraph as comments.
"""
from __future__ import annotations

import textwrap

from playground.config import RunConfig

from .header import app_link, base_name, promise, run_lines, title
from .plan import sections
from .sections import Section, import_block
from .source import DataSource, source_for

COMMENT_WIDTH = 88


def script_name(config: RunConfig) -> str:
    return base_name(config) + ".py"


def build_script(config: RunConfig, source: DataSource | None = None,
                 app_url: str = "") -> str:
    """The script's text. ``source`` defaults to the app's built-in data for the dataset;
    ``app_url`` is where the link back points (the app's own address when known)."""
    source = source or source_for(config)
    parts = [p for p in sections(config, source) if not p.notebook_only]
    doc = "\n\n".join([f"{title(config)}: exported from Training Playground.",
                       textwrap.fill(promise(config, source), COMMENT_WIDTH),
                       run_lines(config, source)])
    head = (f'"""{doc}\n"""\n'
            f"# Open this setup in the app: {app_link(config, app_url)}\n\n")
    body = "\n\n".join(_cell(i, p) for i, p in enumerate(parts, 1))
    return head + import_block(parts) + "\n" + body


def _cell(number: int, section: Section) -> str:
    text = _plain(section.text)
    comment = textwrap.fill(text, COMMENT_WIDTH - 2, initial_indent="# ",
                            subsequent_indent="# ")
    return f"# %% {number}. {section.title}\n{comment}\n{section.code}"


def _plain(markdown: str) -> str:
    """Markdown emphasis is noise in a comment; code spans keep their backticks."""
    return markdown.replace("*", "")
