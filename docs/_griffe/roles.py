"""A Griffe extension for the API reference: Sphinx roles in docstrings read as code.

chronicle's docstrings follow PEP 257 and Napoleon, and name other objects with
Sphinx roles (``:class:`~chronicle.When```). MkDocs renders Markdown, where such a
role would show as typed; this turns each one into inline code (``When``), the
way the rest of the reference names objects.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|exc|obj|const):`(~?)([^`]+)`")


def as_code(match: re.Match[str]) -> str:
    """```X``` for ``:role:`~a.b.X```, ```a.b.X``` for ``:role:`a.b.X```."""
    short, target = match.groups()
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


class SphinxRoles(griffe.Extension):
    """Rewrite the Sphinx roles of every docstring Griffe loads as inline code."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Called for every object Griffe creates: its docstring, if any, is rewritten."""
        if obj.docstring is not None:
            obj.docstring.value = ROLE.sub(as_code, obj.docstring.value)
