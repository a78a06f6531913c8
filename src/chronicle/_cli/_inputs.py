"""What the command line is given, turned into chronicle values: logs, dates, projectors.

Each function names the option it reads in its errors, so that a bad value on a
long command line is found at a glance.
"""

from __future__ import annotations

import datetime
import importlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from chronicle._errors import ChronicleError, InvalidDate, RecordTimeError, StoreError
from chronicle._log import Log
from chronicle._open import open_log
from chronicle._projector import Projector
from chronicle._record import as_instant
from chronicle._when import When

__all__ = [
    "OptionError",
    "find_projector",
    "import_module",
    "known_at_option",
    "known_projectors",
    "open_target",
    "when_option",
]


class OptionError(ChronicleError, ValueError):
    """A command-line option whose value cannot be used: an unknown projector, a missing module.

    Only the command line raises it, and reports it as one line, like every other
    :class:`~chronicle.ChronicleError`.
    """


def open_target(target: str, *, create: bool = False) -> Log:
    """Open the log at ``target`` (a path or a URL) with :func:`chronicle.open`.

    A command that only reads must not create an empty log where a user mistyped
    a file name, so unless ``create`` is set a path that does not exist is an error.

    Raises:
        StoreError: the path does not exist (and ``create`` is not set), or the
            target names no kind of store.
    """
    if not create and "://" not in target and target != ":memory:" and not Path(target).exists():
        raise StoreError(f"no log at {target!r}: the file does not exist")
    return open_log(target)


def when_option(value: str | None, option: str) -> When | None:
    """The EDTF date given to ``option`` (``--as-of``, ``--from``...), or None if absent.

    Raises:
        InvalidDate: the text is not a supported EDTF date; the message names the option.
    """
    if value is None:
        return None
    try:
        return When(value)
    except InvalidDate as error:
        raise InvalidDate(f"{option}: {error}") from None


def known_at_option(value: str | None) -> datetime.datetime | None:
    """The instant given to ``--known-at`` (a date means the end of that day, UTC), or None.

    Raises:
        RecordTimeError: the text is not an ISO 8601 date, or a datetime with a zone.
    """
    if value is None:
        return None
    try:
        return as_instant(value)
    except RecordTimeError as error:
        raise RecordTimeError(f"--known-at: {error}") from None


def _import(name: str) -> ModuleType:
    """Import a module of the user's, looking in the current directory after the installed ones.

    A console script's ``sys.path`` starts with its own directory, not the one it is
    run from; a user's ``council.py`` next to their log should still be found.
    """
    here = os.getcwd()
    if here not in sys.path:
        sys.path.append(here)
    return importlib.import_module(name)


def import_module(name: str) -> None:
    """Import a user module that declares event types, upcasters or projectors.

    Raises:
        OptionError: the module cannot be imported (the message says why).
    """
    try:
        _import(name)
    except ImportError as error:
        raise OptionError(f"--module {name}: cannot import it: {error}") from None


def known_projectors() -> Mapping[str, Projector[Any]]:
    """The projectors known by name: those of the politics domain."""
    from chronicle.politics import PROJECTORS

    return PROJECTORS


def find_projector(name: str) -> Projector[Any]:
    """The projector a ``--projector`` value names.

    Args:
        name: A known name (``politics.HeadOfState``), or ``module:attribute`` for a
            projector of your own (``mypkg.chronology:offices``).

    Raises:
        OptionError: no such projector; the message lists the known names.
    """
    known = known_projectors()
    if name in known:
        return known[name]
    if ":" not in name:
        raise OptionError(
            f"--projector: unknown projector {name!r}; known: {', '.join(sorted(known))}"
            " (or give module:attribute for your own)"
        )
    module_name, _, attribute = name.partition(":")
    try:
        found = getattr(_import(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise OptionError(f"--projector: cannot load {name!r}: {error}") from None
    if not isinstance(found, Projector):
        raise OptionError(
            f"--projector: {name!r} is a {type(found).__name__}, not a chronicle.Projector"
        )
    return found
