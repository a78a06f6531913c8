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
from types import ModuleType
from typing import Any

from chronicle._cli._choices import OptionError, close_matches
from chronicle._cli._date_hints import date_hint, instant_hint
from chronicle._errors import ChronicleError, InvalidDate, RecordTimeError
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


def open_target(target: str, *, create: bool = False) -> Log:
    """Open the log at ``target`` (a path or a URL) with :func:`chronicle.open`.

    A command that only reads must not create an empty log where a user mistyped
    a file name or a PostgreSQL schema, so unless ``create`` is set a log that
    does not exist is an error.

    Raises:
        StoreError: there is no log at ``target`` (and ``create`` is not set), or
            the target names no kind of store.
    """
    return open_log(target, create=create)


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
        raise InvalidDate(f"{option}: {error}{date_hint(value)}") from None


def known_at_option(value: str | None) -> datetime.datetime | None:
    """The instant given to ``--known-at``, or None.

    A date means the end of that day, UTC; a date and time without a zone is read
    as UTC too, so that ``2025-09-15T10:00`` is taken like ``2025-09-15`` is.

    Raises:
        RecordTimeError: the text is not an ISO 8601 date or date and time; the
            message suggests the form of what was probably meant.
    """
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value) if "T" in value or " " in value else None
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    try:
        return as_instant(value)
    except RecordTimeError as error:
        raise RecordTimeError(f"--known-at: {error}{instant_hint(value)}") from None


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
        OptionError: the module cannot be imported, or raised a chronicle error as it
            was (an event class not declared with ``@chronicle.event``, say); the
            message says why.
    """
    try:
        _import(name)
    except (ImportError, ChronicleError) as error:
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
        matches = close_matches(name, sorted(known))
        guess = f"; did you mean {' or '.join(map(repr, matches))}?" if matches else ""
        raise OptionError(
            f"--projector: unknown projector {name!r}{guess} known: {', '.join(sorted(known))}"
            " (or give module:attribute for your own)"
        )
    module_name, _, attribute = name.partition(":")
    try:
        found = getattr(_import(module_name), attribute)
    except (ImportError, AttributeError, ValueError, ChronicleError) as error:
        raise OptionError(f"--projector: cannot load {name!r}: {error}") from None
    if not isinstance(found, Projector):
        raise OptionError(
            f"--projector: {name!r} is a {type(found).__name__}, not a chronicle.Projector"
        )
    return found
