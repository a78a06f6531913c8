"""The timeline, written as it is read: tables in chunks, plain lines, or JSON Lines.

A table of a million rows cannot wait for its last row to know its column widths,
so the terminal gets a table per chunk of events, every chunk with the same
columns and widths (set from the log and the terminal, not from the rows), which
read as one table. A pipe gets one line an event; ``--json`` one object a line.
"""

from __future__ import annotations

import itertools
import json
import typing
from collections.abc import Iterable, Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from chronicle._cli import _words
from chronicle._cli._output import DATE_WIDTH, Output, date_cell
from chronicle._cli._render import mark, occurrence_dict
from chronicle._codec import encode
from chronicle._event import Event, Source, UnknownEvent
from chronicle._replay import Occurrence

__all__ = ["CHUNK", "write_timeline"]

CHUNK = 64
"""Events a terminal table shows at a time: the first appear once these are read."""
_EVENT_WIDTH = 14
"""The event column: type names wrap at their words (``head of state`` / ``installed``)."""


def _type_name(event: Event) -> str:
    return typing.cast("str", encode(event)["type"])


def _details(event: Event) -> list[str]:
    """An event's own fields as ``label: value`` (an unknown event's stored payload)."""
    if isinstance(event, UnknownEvent):
        data = {k: v for k, v in event.data.items() if k not in ("occurred", "sources")}
        return [
            f"{_words.label(key)}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in data.items()
        ]
    return [
        f"{_words.label(name)}: {_words.text(value)}"
        for name, value in _words.shown_fields(event)
        if name != "occurred"
    ]


def _sources(sources: Sequence[Source]) -> str:
    return "sources: " + "; ".join(
        source.publisher if source.published is None else f"{source.publisher} ({source.published})"
        for source in sources
    )


def _table(position_width: int, *, header: bool) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        show_header=header,
        show_edge=False,
        expand=True,
        pad_edge=False,
    )
    table.add_column("#", justify="right", width=position_width, no_wrap=True)
    table.add_column("occurred", width=DATE_WIDTH)
    table.add_column("event", width=_EVENT_WIDTH)
    table.add_column("details", ratio=1)
    return table


def _row(occurrence: Occurrence) -> tuple[Text, Text, Text, Text]:
    event = occurrence.event
    details = Text("\n".join(_details(event)) or _words.EMPTY)
    if event.sources:
        details.append("\n" + _sources(event.sources), style="dim")
    if (amended := mark(occurrence)) != "":
        details.append("\n" + amended, style="red")
    return (
        Text(str(occurrence.record.position)),
        Text(date_cell(event.occurred)),
        Text(_words.type_label(_type_name(event))),
        details,
    )


def _line(occurrence: Occurrence, position_width: int, event_width: int) -> str:
    event = occurrence.event
    parts = _details(event)
    if event.sources:
        parts.append(_sources(event.sources))
    if (amended := mark(occurrence)) != "":
        parts.append(amended)
    return (
        f"{occurrence.record.position:>{position_width}}  {event.occurred!s:<{DATE_WIDTH}}  "
        f"{_words.type_label(_type_name(event)):<{event_width}}  {'; '.join(parts)}"
    )


def write_timeline(
    out: Output,
    stream: str,
    occurrences: Iterable[Occurrence],
    *,
    head: int,
    event_width: int,
) -> int:
    """Write one stream's section of the timeline as its events come; return how many.

    The section's heading (the stream) is written before its first event; a stream
    with no event to show writes nothing.

    Args:
        out: Where to.
        stream: The stream the events are of.
        occurrences: Its events, in fold order.
        head: The log's last position, which sets the width of the position column.
        event_width: The longest event type label, to align plain lines.
    """
    position_width = len(str(head))
    count = 0
    if out.terminal:
        remaining = iter(occurrences)
        for chunk in iter(lambda: list(itertools.islice(remaining, CHUNK)), []):
            if count == 0:
                out.heading(stream)
            table = _table(position_width, header=count == 0)
            for occurrence in chunk:
                table.add_row(
                    *_row(occurrence), style="strike dim" if occurrence.retracted else None
                )
            out.console.print(table)
            count += len(chunk)
        return count
    for occurrence in occurrences:
        if out.as_json:
            out.json(occurrence_dict(occurrence))
        else:
            if count == 0:
                out.heading(stream)
            out.line(_line(occurrence, position_width, event_width))
        count += 1
    if count and not out.as_json:
        out.line()
    return count
