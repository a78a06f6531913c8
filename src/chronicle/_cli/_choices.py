"""Checking a name given on the command line against those that exist, with close matches.

A stream or an office mistyped (``-s Mali`` for ``mali``, ``--office presidnet``)
must not draw an empty figure: it is an error that lists what the user probably
meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from chronicle._cli._inputs import OptionError

__all__ = ["check_choice", "listing"]

_LISTED = 10
"""How many names an error lists before it says how many more there are."""


def listing(names: Sequence[str]) -> str:
    """``names`` joined for a message, the first few only on a long list."""
    shown = ", ".join(names[:_LISTED])
    return f"{shown} and {len(names) - _LISTED} more" if len(names) > _LISTED else shown


def close_matches(value: str, names: Sequence[str]) -> list[str]:
    """The names ``value`` may be a misspelling of, the closest first.

    A name that differs only in case is the one meant (``mli`` for ``MLI``); else
    the names :func:`difflib.get_close_matches` finds, case set aside.
    """
    same = [name for name in names if name.lower() == value.lower()]
    if same:
        return same
    lowered: dict[str, str] = {}
    for name in names:
        lowered.setdefault(name.lower(), name)
    found = difflib.get_close_matches(value.lower(), list(lowered), n=3, cutoff=0.6)
    return [lowered[match] for match in found]


def check_choice(value: str, names: Sequence[str], *, option: str, what: str, where: str) -> str:
    """``value`` if it is one of ``names``.

    Args:
        value: What was given.
        names: What exists.
        option: The option it was given to (``--stream``), for the message.
        what: What the names are (``"streams"``).
        where: Where they are (``"mali.db"``, ``"stream 'MLI'"``).

    Raises:
        OptionError: ``value`` is not among ``names``; the message gives the close
            matches, or else the names there are.
    """
    if value in names:
        return value
    if not names:
        raise OptionError(f"{option} {value}: {where} has no {what}")
    matches = [repr(match) for match in close_matches(value, names)]
    if not matches:
        raise OptionError(f"{option} {value}: not among the {what} of {where}: {listing(names)}")
    meant = matches[0] if len(matches) == 1 else f"{', '.join(matches[:-1])} or {matches[-1]}"
    raise OptionError(f"{option} {value}: not among the {what} of {where}; did you mean {meant}?")
