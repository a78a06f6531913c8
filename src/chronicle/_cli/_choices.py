"""Names a user picks from: streams, offices, projectors. A name that is not there is refused.

A typo (``-s Mali`` for ``mali``, ``--office presidnet``) must not pass for an empty
answer: the command stops and names the close matches, then what there is.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from chronicle._errors import ChronicleError
from chronicle._log import Log

__all__ = ["OptionError", "check_choice", "close_matches", "listing", "streams_of", "unknown"]

_LISTED = 12
"""How many of the names there are an error lists at most."""


class OptionError(ChronicleError, ValueError):
    """A command-line option whose value cannot be used: an unknown stream, projector or module.

    Only the command line raises it, and reports it as one line, like every other
    :class:`~chronicle.ChronicleError`.
    """


def close_matches(name: str, known: Sequence[str]) -> list[str]:
    """The known names ``name`` may be a typo of, the likeliest first.

    The same name in another case, or one missing its dotted prefix (``HeadOfState``
    for ``politics.HeadOfState``), comes first; then the names most like it, by
    difflib's similarity (at least 0.6, and within 0.1 of the best).
    """
    folded = name.casefold()
    exact = [
        candidate
        for candidate in known
        if candidate.casefold() == folded or candidate.casefold().endswith(f".{folded}")
    ]
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, folded, candidate.casefold()).ratio(), candidate)
            for candidate in known
        ),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    similar = [candidate for score, candidate in scored[:4] if score >= max(0.6, best - 0.1)]
    return list(dict.fromkeys([*exact, *similar]))


def listing(names: Sequence[str]) -> str:
    """``names`` quoted and joined for a message, the first few only on a long list."""
    shown = ", ".join(map(repr, names[:_LISTED]))
    more = len(names) - _LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def unknown(option: str, what: str, name: str, known: Sequence[str], where: str) -> OptionError:
    """The error for a ``name`` given to ``option`` that is not among the ``known`` ones.

    Args:
        option: The option given it (``--stream``).
        what: What it should name (``stream``).
        name: What was given.
        known: What there is, in the order to list it.
        where: Where it was looked for (``in mali.jsonl``).
    """
    matches = close_matches(name, known)
    guess = f"; did you mean {' or '.join(map(repr, matches))}?" if matches else ""
    there = f"there are: {listing(known)}" if known else f"there is no {what}"
    return OptionError(f"{option}: no {what} {name!r} {where}{guess} ({there})")


def streams_of(log: Log, stream: str | None, target: str) -> list[str]:
    """The streams a command shows: the one asked for, or every stream of the log.

    Args:
        log: The open log.
        stream: The ``--stream`` given, if any.
        target: The log as the user named it, for the message.

    Raises:
        OptionError: ``stream`` is not a stream of the log; the message names the
            close matches.
    """
    streams = log.streams()
    if stream is None:
        return streams
    if stream not in streams:
        raise unknown("--stream", "stream", stream, streams, f"in {target}")
    return [stream]


def check_choice(value: str, names: Sequence[str], *, option: str, what: str, where: str) -> str:
    """``value`` if it is one of ``names``, else the error :func:`unknown` makes.

    Args:
        value: What was given.
        names: What exists.
        option: The option it was given to (``--office``).
        what: What a name is (``"election office"``).
        where: Where they were looked for (``"in stream 'MLI'"``).
    """
    if value not in names:
        raise unknown(option, what, value, names, where)
    return value
