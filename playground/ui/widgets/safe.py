"""Showing text that came from a user (a link, an upload) without it becoming markup."""
from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(text: object, limit: int = 300) -> str:
    """Escape Markdown (links, images, emphasis, HTML, LaTeX, Streamlit :color[...])
    so pasted text is shown literally; long text is cut."""
    s = str(text)
    if len(s) > limit:
        s = s[:limit] + "…"
    s = s.replace("\n", " ").replace("\r", " ")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", s)


def html_escape(text: object) -> str:
    """Escape text placed inside ``unsafe_allow_html`` markup (labels in colored rows)."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
