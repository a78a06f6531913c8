"""``chronicle html``: one self-contained page of a stream's chronology, ready to publish.

The page is a single HTML file: its style, its script and its data are inside it,
and it fetches nothing (no network, no CDN), so that it can be put on any site or
opened from a disk. Its script draws, from the data, the heads of state as bands
on a time axis, coups and other events as marks (an uncertain date as the span it
may denote), the promised vote's drift, the events in words with their sources as
numbered footnotes, and a control to see the record as known at an earlier date.

What comes from the log is data from elsewhere: the data is embedded as JSON with
``<``, ``>`` and ``&`` escaped, so that no value can close the script it sits in;
the script sets every text as text, never as HTML; only http(s) addresses become
links; the title is HTML-escaped.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any

from chronicle._cli._outputs import replacing

__all__ = ["render", "write"]

_ASSETS = resources.files("chronicle._cli") / "page"


def _embedded(data: dict[str, Any]) -> str:
    """``data`` as JSON that can sit inside a ``<script>`` element whatever its strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(character, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render(data: dict[str, Any], *, title: str | None) -> str:
    """The page's HTML: the template with its style, script, data and title filled in.

    Args:
        data: What :func:`chronicle._cli._page_data.page_data` gives.
        title: A title to keep whatever record time is chosen; by default, each
            choice's own headline (the page's ``<title>`` is the latest one's).
    """
    shown = title if title is not None else data["choices"][-1]["headline"]
    page = (_ASSETS / "page.html").read_text("utf-8")
    page = page.replace("<!--STYLE-->", (_ASSETS / "page.css").read_text("utf-8"))
    page = page.replace("<!--SCRIPT-->", (_ASSETS / "page.js").read_text("utf-8"))
    page = page.replace("<!--TITLE-->", html.escape(shown))
    if title is not None:
        page = page.replace("<body>", '<body data-fixed-title="yes">', 1)
    return page.replace("<!--DATA-->", _embedded(data), 1)


def write(data: dict[str, Any], out: Path, *, title: str | None) -> None:
    """Write the page to ``out``, whole or not at all (through a temporary file).

    Raises:
        OSError: the file cannot be written.
    """
    page = render(data, title=title)
    with replacing(out) as file:
        file.write(page)
