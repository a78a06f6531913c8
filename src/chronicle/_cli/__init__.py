"""The ``chronicle`` command: ask a log questions from a terminal.

``app`` is the click command group; :func:`main` the console script's entry point.
The group and its error reporting live in ``_app``, the commands in ``_commands``
(``promises`` in ``_promises``, the research commands in ``_research``), those that
draw (``plot``, ``html``) in ``_pictures``.
"""

from __future__ import annotations

from chronicle._cli import _commands as _commands
from chronicle._cli import _pictures as _pictures
from chronicle._cli import _promises as _promises
from chronicle._cli import _research as _research
from chronicle._cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the ``chronicle`` command."""
    app(prog_name="chronicle")
