"""Values in words, for people: dates, field names, any state, what changed from one to the next.

A field is shown by a label made from its name (``reported_detained`` is "reported
detained"), a value on one line (a sequence's items joined by "; ", an attrs value
as its labelled fields, unless its class says how to print itself). Sources are left
to the timeline. The politics states have sentences of their own
(:mod:`chronicle._cli._politics_words`); this is what every other state gets.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from chronicle._persistent import Keyed, Vector
from chronicle._when import When

__all__ = ["changes", "date_text", "label", "rows", "shown_fields", "text", "type_label"]

EMPTY = "-"
"""What an empty value is shown as."""
_HIDDEN = frozenset({"sources"})
"""Fields left out: sources belong to the timeline, not to every state."""
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def label(name: str) -> str:
    """A field name as words: ``reported_detained`` is ``reported detained``."""
    return name.replace("_", " ").strip()


def type_label(type_name: str) -> str:
    """An event type name as words: ``politics.coup_occurred`` is ``coup occurred``."""
    return label(type_name.rpartition(".")[2])


def _side_text(when: When) -> str:
    day = when.latest
    if when.precision == "day":
        core = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    elif when.precision == "month":
        core = f"{_MONTHS[day.month - 1]} {day.year}"
    else:
        core = str(day.year)
    if when.approximate:
        core = f"about {core}"
    return f"{core} (uncertain)" if when.uncertain else core


def date_text(when: When) -> str:
    """A date as a person writes it: ``4 Feb 2024``, ``May 2025``, ``2027``, ``about 2020``.

    An interval reads ``between 12 Sep 2020 and Mar 2022``.
    """
    if when.is_interval:
        return f"between {_side_text(when.start)} and {_side_text(when.end)}"
    return _side_text(when)


def _prints_itself(value: Any) -> bool:
    """Whether ``value``'s class defines how to print it, rather than object's default."""
    return getattr(type(value), "__str__", None) is not object.__str__


def _is_sequence(value: Any) -> bool:
    return isinstance(value, tuple | list | frozenset | Vector | Keyed)


def shown_fields(value: Any) -> Iterator[tuple[str, Any]]:
    """An attrs value's fields worth showing: not hidden, not at their default."""
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if field.name not in _HIDDEN and item != default:
            yield field.name, item


def text(value: Any) -> str:
    """``value`` on one line: ``-`` if empty, yes or no, items joined by ``; ``, fields labelled."""
    if value is None or value in ("", ()):
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_sequence(value):
        return "; ".join(
            f"({', '.join(map(text, item))})" if _is_sequence(item) else text(item)
            for item in value
        )
    if isinstance(value, dict):
        return "; ".join(f"{label(str(key))}: {text(item)}" for key, item in value.items())
    if attrs.has(type(value)) and not _prints_itself(value):
        return ", ".join(f"{label(name)}: {text(item)}" for name, item in shown_fields(value)) or (
            EMPTY
        )
    return str(value)


def rows(state: Any) -> list[tuple[str, str]]:
    """A state as (label, text) rows: each field of an attrs state, else the whole state."""
    if attrs.has(type(state)) and not _prints_itself(state):
        return [
            (label(field.name), text(getattr(state, field.name)))
            for field in attrs.fields(type(state))
            if field.name not in _HIDDEN
        ]
    return [("state", text(state))]


def changes(old: Any, new: Any, path: str = "") -> list[str]:
    """What changed from ``old`` to ``new``, in words, one phrase a change.

    Fields of attrs values are compared one by one (``status: dissolved``); a
    sequence that grew at its end says what was added (``held: added General X``).
    """
    if old == new:
        return []
    where = f"{path}: " if path else ""
    if (
        attrs.has(type(new))
        and type(old) is type(new)
        and not _prints_itself(new)
        and attrs.fields(type(new))
    ):
        return [
            phrase
            for field in attrs.fields(type(new))
            if field.name not in _HIDDEN
            for phrase in changes(
                getattr(old, field.name),
                getattr(new, field.name),
                f"{path} {label(field.name)}".strip(),
            )
        ]
    if isinstance(old, tuple | Vector | Keyed) and isinstance(new, tuple | Vector | Keyed):
        if new[: len(old)] == old:
            return [f"{where}added {text(item)}" for item in new[len(old) :]]
        if old[: len(new)] == new:
            return [f"{where}removed {text(item)}" for item in old[len(new) :]]
    return [f"{where}{text(new)}"]
