"""The app's pages, in menu order, and the one way to find or switch to one.

Every page is named by a short key ("train", "sweep", ...) that is also its URL path.
The menu below is the whole navigation; each page's package registers its ``render``
function with ``@nav.page(key)``. Pages that edit the shared setup (``uses_setup``) get
the setup sidebar, drawn by the shell around them; the others show a summary of it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    key: str                  # also the URL path; the default page is served at "/"
    title: str                # the navigation link's text and the page's heading
    icon: str
    uses_setup: bool          # draws the shared setup sidebar


MENU = (
    PageSpec("train", "Train", ":material/model_training:", True),
    PageSpec("sweep", "LR sweep", ":material/ssid_chart:", True),
    PageSpec("search", "Search", ":material/travel_explore:", True),
    PageSpec("compare", "Compare", ":material/compare_arrows:", True),
    PageSpec("surface", "Loss surface", ":material/landscape:", False),
    PageSpec("lessons", "Lessons", ":material/school:", False),
    PageSpec("runs", "Runs", ":material/history:", False),
    PageSpec("server", "Server", ":material/dns:", False),
)
DEFAULT = "train"
_BY_KEY = {s.key: s for s in MENU}
_RENDERS: dict[str, Callable[[], None]] = {}


def page(key: str):
    """Register the decorated function as the page ``key``'s render()."""
    if key not in _BY_KEY:
        raise KeyError(f"no page {key!r} in the menu")

    def register(render: Callable[[], None]) -> Callable[[], None]:
        _RENDERS[key] = render
        return render
    return register


def _st_page(spec: PageSpec, default: bool):
    return st.Page(_RENDERS[spec.key], title=spec.title, icon=spec.icon, url_path=spec.key,
                   default=default)


def pages(default: str = DEFAULT) -> list:
    """``st.Page`` objects for ``st.navigation``; ``default`` is served at "/"."""
    missing = [s.key for s in MENU if s.key not in _RENDERS]
    if missing:
        raise RuntimeError(f"pages not registered: {', '.join(missing)} "
                           "(import playground.ui.pages first)")
    return [_st_page(s, s.key == default) for s in MENU]


def spec_of(st_page) -> PageSpec:
    """The spec of a page returned by ``st.navigation`` (matched by title: the default
    page reports an empty url_path because it is served at the root)."""
    for s in MENU:
        if s.title == st_page.title:
            return s
    raise KeyError(f"no page titled {st_page.title!r}")


def title(key: str) -> str:
    return _BY_KEY[key].title


def switch_to(key: str) -> None:
    """Go to page ``key`` (a page's identity is its URL path, whichever is the default)."""
    st.switch_page(_st_page(_BY_KEY[key], False))
