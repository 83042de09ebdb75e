"""The app's pages, in menu order, and the one way to find or switch to one.

Every page is named by a short key ("train", "sweep", ...) that is also its URL path.
Pages that edit the shared setup (``uses_setup``) get the setup sidebar, drawn once
by the entrypoint around the page (see :mod:`playground.ui.shell`); the others show a
one-line summary of it instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    key: str                  # also the URL path; the default page is served at "/"
    title: str                # the navigation link's text
    icon: str
    render: Callable[[], None]
    uses_setup: bool          # draws the shared setup sidebar


def specs() -> list[PageSpec]:
    # Imported here: page modules import this module for switch_to().
    from playground.ui.pages import compare, lessons, server, surface, sweep, train

    return [
        PageSpec("train", "Train", ":material/model_training:", train.render, True),
        PageSpec("sweep", "LR sweep", ":material/ssid_chart:", sweep.render, True),
        PageSpec("compare", "Compare", ":material/compare_arrows:", compare.render, True),
        PageSpec("surface", "Loss surface", ":material/landscape:", surface.render, False),
        PageSpec("lessons", "Lessons", ":material/school:", lessons.render, False),
        PageSpec("server", "Server", ":material/dns:", server.render, False),
    ]


DEFAULT = "train"


def pages(default: str = DEFAULT) -> list:
    """``st.Page`` objects for ``st.navigation``; ``default`` is served at "/"."""
    return [st.Page(s.render, title=s.title, icon=s.icon, url_path=s.key,
                    default=s.key == default) for s in specs()]


def spec_of(page) -> PageSpec:
    """The spec of a ``st.Page`` returned by ``st.navigation`` (matched by title: the
    default page reports an empty url_path because it is served at the root)."""
    for s in specs():
        if s.title == page.title:
            return s
    raise KeyError(f"no page titled {page.title!r}")


def find(key: str):
    """The ``st.Page`` for ``key`` (for ``st.switch_page``)."""
    for s, page in zip(specs(), pages()):
        if s.key == key:
            return page
    raise KeyError(f"no page {key!r}; pages are {', '.join(s.key for s in specs())}")


def title(key: str) -> str:
    return next(s.title for s in specs() if s.key == key)


def switch_to(key: str) -> None:
    st.switch_page(find(key))
