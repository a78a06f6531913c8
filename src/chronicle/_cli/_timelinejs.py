"""``chronicle export --format timelinejs``: a stream as Knight Lab TimelineJS's JSON.

TimelineJS (timeline.knightlab.com) is what many newsrooms already use for
timelines; it reads one JSON object: a ``title`` slide, the ``events`` (each a
slide with a ``start_date``, an optional ``end_date``, a ``text`` of ``headline``
and ``text``, a ``group`` and a ``display_date``) and ``eras`` (spans of time named
along the axis). Each event of the stream in force becomes a slide, grouped by
kind (coups, heads of state, elections...); each head of state's tenure an era.

Dates keep their precision: a day gives ``year``, ``month`` and ``day``, a month
only ``year`` and ``month``, a year only ``year``; an interval starts and ends at
its two sides. ``display_date`` says the date in words ("about 2027").

TimelineJS reads ``text`` as HTML, so everything from the log is HTML-escaped, and
sources become links only for http(s) addresses (see :func:`safe_url`).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import click

from chronicle._cli._describe import GROUPS, spoken, tell
from chronicle._cli._inputs import open_target
from chronicle._cli._outputs import replacing
from chronicle._cli._page_data import safe_url
from chronicle._cli._plot_data import choose_stream, chronology, human
from chronicle._event import Source
from chronicle._log import Log
from chronicle._replay import KnownAt, Occurrence, timeline
from chronicle._when import When

__all__ = ["date", "export", "timelinejs"]


def _text(value: str) -> str:
    """Text for TimelineJS, which reads it as HTML: ``<``, ``>`` and ``&`` escaped."""
    return html.escape(value, quote=False)


Json = dict[str, Any]
"""A JSON object."""


def date(when: When) -> Json:
    """A TimelineJS date object: the fields of ``when``'s precision (an interval's start side)."""
    side = when.start
    day = side.earliest
    found: Json = {"year": day.year}
    if side.precision in ("month", "day"):
        found["month"] = day.month
    if side.precision == "day":
        found["day"] = day.day
    return found


def _source(source: Source) -> str:
    """A source as an HTML fragment: publisher, title (a link if it has an http(s) address)."""
    title = _text(source.title)
    url = safe_url(source.url)
    named = f'<a href="{html.escape(url, quote=True)}">{title or _text(url)}</a>' if url else title
    said = _text(source.publisher) + (f", {named}" if named else "")
    if source.published is not None:
        said += f" ({_text(spoken(source.published))})"
    return said


def _slide(occurrence: Occurrence) -> Json:
    event = occurrence.event
    told = tell(event)
    paragraphs = [told.details] if told.details else []
    text = "".join(f"<p>{_text(paragraph)}</p>" for paragraph in paragraphs)
    if event.sources:
        text += "<p>Sources: " + "; ".join(_source(s) for s in event.sources) + ".</p>"
    slide: Json = {
        "unique_id": str(occurrence.record.id),
        "start_date": date(event.occurred),
        "display_date": spoken(event.occurred),
        "text": {"headline": _text(told.headline), "text": text},
        "group": GROUPS[told.kind],
    }
    if event.occurred.is_interval:
        slide["end_date"] = date(event.occurred.end)
    return slide


def timelinejs(log: Log, stream: str, *, known_at: KnownAt | None = None) -> Json:
    """The TimelineJS JSON of ``stream``'s events in force, as the log stood at ``known_at``.

    Raises:
        OptionError: the stream holds no event in force.
    """
    occurrences = timeline(log, stream=stream, known_at=known_at)
    drawn = chronology([o.event for o in occurrences], stream=stream, office=None)
    return {
        "title": {
            "text": {
                "headline": _text(drawn.name),
                "text": _text(
                    f"{len(occurrences)} events, {human(occurrences[0].event.occurred)}"
                    f" to {human(When(drawn.last))}."
                ),
            }
        },
        "events": [_slide(occurrence) for occurrence in occurrences],
        "eras": [
            {
                "start_date": date(tenure.since),
                "end_date": date(When(tenure.until)),
                "text": {"headline": _text(tenure.name)},
            }
            for tenure in drawn.tenures
        ],
    }


def export(target: str, out: Path | None, *, stream: str | None, known_at: KnownAt | None) -> None:
    """Write the TimelineJS JSON of a stream of the log at ``target`` to ``out`` (or stdout).

    A file is written whole or not at all (through a temporary file).

    Raises:
        OptionError: the log holds several streams and none is chosen, or no such stream.
        OSError: the file cannot be written.
    """
    with open_target(target) as log:
        chosen = choose_stream(log, stream, target=target)
        document = timelinejs(log, chosen, known_at=known_at)
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    with replacing(out) as file:
        file.write(text)
    click.echo(f"exported {len(document['events'])} events to {out}", err=True)
