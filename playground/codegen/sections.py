"""A generated program as a list of sections, and the helpers that fill them in.

A :class:`Section` is one step of the lesson (the setup, the data, the model, ...): a
title, a paragraph saying what it does and why, the imports it needs and its code. The
script writes each as a ``# %%`` cell with its paragraph as comments; the notebook writes
a markdown cell and a code cell. Both are rendered from the same list, so the notebook
and the script cannot drift apart.
"""
from __future__ import annotations

import inspect
import re
import textwrap
from dataclasses import dataclass
from string import Template

from playground.config.parse import format_value


@dataclass(frozen=True)
class Section:
    title: str
    text: str                       # markdown: what the section does (a comment in the script)
    code: str
    imports: tuple[str, ...] = ()   # whole import lines, e.g. "import torch"
    script_only: bool = False       # e.g. the command line: a notebook has none
    notebook_only: bool = False     # e.g. the matplotlib cell: the script depends on torch only


@dataclass(frozen=True)
class DataCode:
    """A task's data sections and the lines the model, the loop and evaluate() need."""

    sections: tuple[Section, ...]
    n_classes: str          # Python expression for the number of classes
    n_features: str         # ... for the model's input size (a vocabulary is counted)
    take: str               # the line that cuts minibatch ``batch`` out of the training split
    forward: str            # the model call on what ``take`` produced
    prepare_eval: str = ""  # a line evaluate(x, y) runs first (text: collate the split)
    eval_forward: str = "model(x)"   # the model call inside evaluate(x, y)


def fill(template: str, **values) -> str:
    """``template`` (indented as in the source, ``$NAME`` placeholders) dedented and filled.

    A placeholder alone on its line is a block: every line of its value gets that line's
    indentation, and an empty value removes the line. ``string.Template`` rather than
    ``str.format``: generated Python is full of braces.
    """
    lines = []
    for line in textwrap.dedent(template).strip("\n").splitlines():
        name = line.strip()[1:]
        if line.strip().startswith("$") and name in values:
            indent = line[:len(line) - len(line.lstrip())]
            block = str(values[name]).replace("$", "$$").rstrip("\n")
            lines += [indent + row if row else row for row in block.splitlines()]
        else:
            lines.append(line)
    return Template("\n".join(lines)).substitute(values) + "\n"


def literal(value) -> str:
    """A config value as Python source: ``0.01``, ``1e-08``, ``'spiral'``."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        text = format_value(value)
        return text if any(c in text for c in ".enai") else text + ".0"
    raise TypeError(f"no literal for {value!r}")


_PRIVATE_NAME = re.compile(r"(?<![\w.])_(?=[A-Za-z])")


def public_source(*functions) -> str:
    """The app's own source of ``functions``, with the leading underscore of every private
    name dropped (``_spiral`` → ``spiral``, ``_WORDS`` → ``WORDS``): the generated code is
    then exactly the maths the app runs, and reads like a script rather than a library."""
    return "\n\n".join(_PRIVATE_NAME.sub("", textwrap.dedent(inspect.getsource(f))).strip()
                       for f in functions) + "\n"


def public_name(name: str) -> str:
    return name.lstrip("_")


_STANDARD_LIBRARY = {"argparse", "base64", "collections", "csv", "functools", "math", "pathlib",
                     "random", "re"}


def import_block(sections) -> str:
    """Every import the sections need, once: the standard library first, then the rest
    (isort's order), each group alphabetical."""
    lines = {line for s in sections for line in s.imports}

    def key(line: str) -> tuple:
        module = line.split()[1].split(".")[0]
        return (module not in _STANDARD_LIBRARY, line.startswith("from "), module, line)

    ordered = sorted(lines, key=key)
    groups = [[x for x in ordered if key(x)[0] is third] for third in (False, True)]
    return "\n\n".join("\n".join(g) for g in groups if g) + "\n"


def call(head: str, arguments: list[str], width: int = 88) -> str:
    """``head(arg, arg, ...)`` wrapped at ``width``, continuation lines under the first
    argument (the layout of the course notes' long calls)."""
    lines, line = [], head + "("
    indent = " " * len(line)
    for i, arg in enumerate(arguments):
        piece = arg + (", " if i < len(arguments) - 1 else ")")
        if len(line) + len(piece.rstrip()) > width and line.strip() not in ("", head + "("):
            lines.append(line.rstrip())
            line = indent
        line += piece
    return "\n".join(lines + [line]) + "\n"


def python_literal(value, indent: int = 0, width: int = 88) -> str:
    """A dict/list of strings and numbers as Black-style source: one key per line, list
    items filled up to ``width``, closing brackets on their own lines."""
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        items = [f"{pad}{k!r}: {python_literal(v, indent + 4, width)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, (list, tuple)):
        lines, line = [], pad
        for item in (repr(v) + "," for v in value):
            if line.strip() and len(line) + 1 + len(item) > width:
                lines.append(line)
                line = pad
            line += (" " if line.strip() else "") + item
        lines.append(line)
        return "[\n" + "\n".join(lines) + "\n" + " " * indent + "]"
    return repr(value)
