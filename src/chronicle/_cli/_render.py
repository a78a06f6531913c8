"""How the command line shows chronicle values: rich tables for people, JSON for programs.

JSON goes through the codec's converter, so it says exactly what the log stores
(``When`` as its EDTF string, attrs classes as objects). Tables are for reading:
a value whose class says how to print itself (``str(leader)``, ``str(count)``) is
printed that way, other attrs values as their fields, sources are left to the
timeline, and a history shows what each step changed rather than the whole state.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
from rich.table import Table
from rich.text import Text

from chronicle._codec import converter, encode
from chronicle._event import Corrected, Correction, Event, Source, UnknownEvent
from chronicle._replay import Occurrence
from chronicle._when import When

__all__ = [
    "cell",
    "changes",
    "dumps",
    "history_table",
    "mark",
    "occurrence_dict",
    "state_table",
    "timeline_table",
]

_EMPTY = "-"
_HIDDEN = frozenset({"sources"})
"""Fields left out of table cells: sources belong to the timeline, not to every state."""


def dumps(value: Any) -> str:
    """``value`` as indented JSON, through the codec's converter (non-ASCII kept)."""
    return json.dumps(converter.unstructure(value), ensure_ascii=False, indent=2)


def _prints_itself(value: Any) -> bool:
    """Whether ``value``'s class defines how to print it, rather than object's default."""
    return getattr(type(value), "__str__", None) is not object.__str__


def _shown_fields(value: Any) -> Iterator[tuple[str, Any]]:
    """An attrs value's fields worth showing inline: not hidden, not at their default."""
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if field.name not in _HIDDEN and item != default:
            yield field.name, item


def _inline(value: Any) -> str:
    """``value`` on one line."""
    if _is_sequence(value):
        return "[" + "; ".join(_inline(item) for item in value) + "]"
    if attrs.has(type(value)) and not _prints_itself(value):
        return ", ".join(f"{name}: {_inline(item)}" for name, item in _shown_fields(value))
    return cell(value)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, tuple | list | frozenset)


def _lines(value: Any) -> list[str]:
    """``value`` over several lines: fields one a line, sequence items as ``- item``."""
    if _is_sequence(value):
        lines: list[str] = []
        for item in value:
            first, *rest = _lines(item) or [_EMPTY]
            lines += [f"- {first}", *(f"  {line}" for line in rest)]
        return lines
    if attrs.has(type(value)) and not _prints_itself(value):
        return _field_lines(_shown_fields(value))
    return [cell(value)]


def _field_lines(fields: Iterable[tuple[str, Any]]) -> list[str]:
    """``name: value`` lines; a non-empty sequence's items on lines of their own below it."""
    lines: list[str] = []
    for name, item in fields:
        if _is_sequence(item) and item:
            lines += [f"{name}:", *(f"  {line}" for line in _lines(item))]
        else:
            lines.append(f"{name}: {_inline(item)}")
    return lines


def cell(value: Any) -> str:
    """``value`` as the text of a table cell, over as many lines as it needs."""
    if value is None or value in ("", ()):
        return _EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_sequence(value) and all(_prints_itself(item) for item in value):
        return "\n".join(str(item) for item in value)
    if _is_sequence(value) or (attrs.has(type(value)) and not _prints_itself(value)):
        return "\n".join(_lines(value)) or _EMPTY
    return str(value)


def _fields(state: Any) -> list[tuple[str, Any]]:
    """A state's (name, value) pairs: its attrs fields, or the whole state as ``state``."""
    if attrs.has(type(state)):
        return [(field.name, getattr(state, field.name)) for field in attrs.fields(type(state))]
    return [("state", state)]


def state_table(name: str, state: Any) -> Table:
    """One projector's state as a two-column table of its fields, titled by the projector."""
    table = Table(title=name, title_justify="left", show_header=False, min_width=len(name) + 4)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for field, value in _fields(state):
        table.add_row(field, Text(cell(value)))
    return table


def changes(old: Any, new: Any, path: str = "") -> list[str]:
    """What changed from ``old`` to ``new``, one line a change, each naming where.

    Fields of attrs values are compared one by one; a sequence that grew at its end
    shows its new items as ``+ item``; anything else shows its new value.
    """
    label = f"{path}: " if path else ""
    if old == new:
        return []
    if (
        attrs.has(type(new))
        and type(old) is type(new)
        and not _prints_itself(new)
        and attrs.fields(type(new))
    ):
        return [
            line
            for field in attrs.fields(type(new))
            if field.name not in _HIDDEN
            for line in changes(
                getattr(old, field.name),
                getattr(new, field.name),
                f"{path}.{field.name}" if path else field.name,
            )
        ]
    if isinstance(old, tuple) and isinstance(new, tuple):
        if new[: len(old)] == old:
            return [f"{label}+ {_inline(item)}" for item in new[len(old) :]]
        if len(old) == len(new):
            return [
                line
                for before, after in zip(old, new, strict=True)
                for line in changes(before, after, path)
            ]
    return [f"{label}{_inline(new) if new is not None else _EMPTY}"]


def history_table(name: str, initial: Any, steps: Sequence[tuple[When, Any]]) -> Table:
    """Each change of a projector's state: the date of the event that made it, and what changed."""
    table = Table(title=name, title_justify="left", min_width=len(name) + 4)
    table.add_column("date", no_wrap=True)
    table.add_column("change", overflow="fold")
    previous = initial
    for when, state in steps:
        table.add_row(str(when), Text("\n".join(changes(previous, state)) or _EMPTY))
        previous = state
    return table


def _details(event: Event) -> str:
    """An event's own fields, one a line; an unknown event's stored payload."""
    if isinstance(event, UnknownEvent):
        data = {k: v for k, v in event.data.items() if k not in ("occurred", "sources")}
        return "\n".join(
            f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items()
        )
    own = ((name, value) for name, value in _shown_fields(event) if name != "occurred")
    return "\n".join(_field_lines(own)) or _EMPTY


def _sources(sources: Sequence[Source]) -> str:
    return "; ".join(
        source.publisher if source.published is None else f"{source.publisher} ({source.published})"
        for source in sources
    )


def mark(occurrence: Occurrence) -> str:
    """``retracted (#position): reason`` or ``corrected (#position): reason``, else empty."""
    if occurrence.correction is None:
        return ""
    correction = typing.cast("Correction", occurrence.correction.event)
    kind = "corrected" if isinstance(correction, Corrected) else "retracted"
    return f"{kind} (#{occurrence.correction.position}): {correction.reason}"


def timeline_table(occurrences: Sequence[Occurrence], *, with_stream: bool) -> Table:
    """Events in fold order: position, date at its own precision, type, fields and sources, mark.

    A retracted event is struck through; the mark column appears when an event is amended.
    """
    marked = any(occurrence.correction is not None for occurrence in occurrences)
    table = Table(title="timeline", title_justify="left", expand=True)
    table.add_column("#", justify="right")
    table.add_column("occurred", no_wrap=True)
    if with_stream:
        table.add_column("stream")
    table.add_column("event", overflow="fold")
    table.add_column("details", overflow="fold", ratio=3)
    if marked:
        table.add_column("mark", overflow="fold", ratio=2)
    for occurrence in occurrences:
        event = occurrence.event
        row = [Text(str(occurrence.record.position)), Text(str(event.occurred))]
        if with_stream:
            row.append(Text(occurrence.record.stream))
        row.append(Text(encode(event)["type"].rpartition(".")[2]))
        details = Text(_details(event))
        if event.sources:
            details.append(f"\nsources: {_sources(event.sources)}", style="dim")
        row.append(details)
        if marked:
            row.append(Text(mark(occurrence) or _EMPTY))
        table.add_row(*row, style="strike dim" if occurrence.retracted else None)
    return table


def occurrence_dict(occurrence: Occurrence) -> dict[str, Any]:
    """An occurrence as JSON-ready data: the record's place, the event in force, its mark."""
    return {
        "position": occurrence.record.position,
        "stream": occurrence.record.stream,
        "id": str(occurrence.record.id),
        **encode(occurrence.event),
        "mark": mark(occurrence) or None,
    }
