"""What ``chronicle html`` puts in its page: the record of one stream, as known at each record time.

The page lets its reader choose an earlier record time and see the chronology as it
stood then: a retracted event is there before its retraction and gone after it, a
corrected one changes. Each choice is read from the log with ``known_at`` and held
in plain values (strings, numbers, lists), which the page embeds as JSON and its
script draws. Dates are ISO days; an uncertain date keeps both ends, so that it is
drawn as the span it may denote.

An event, a tenure or a promise is written into the page once, and each choice lists
the ones it shows. Footnotes are numbered once for the page, in the order the events
of the latest record time cite them; a source cited by several events has one number.
Only ``http`` and ``https`` addresses become links: a log is data from elsewhere.
"""

from __future__ import annotations

import datetime
import json
import urllib.parse
from collections.abc import Sequence
from typing import Any, Final
from uuid import UUID

from chronicle._cli._describe import GROUPS, spoken, tell
from chronicle._cli._plot_data import Chronology, chronology, human, vote, year_end_after
from chronicle._cli._plot_layout import band_colours, year_ticks
from chronicle._event import Correction, Source
from chronicle._log import Log
from chronicle._replay import Occurrence, timeline
from chronicle._when import When
from chronicle.politics import CoupOccurred

__all__ = ["MAX_CHOICES", "page_data", "record_times", "safe_url"]

MAX_CHOICES: Final = 24
"""The most record times the page offers: the first, the last, and others evenly between."""

Json = dict[str, Any]
"""A JSON object, as the page's script reads it."""


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) address (the only ones a page links to), else None."""
    if not url:
        return None
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        return None
    return url.strip()


def record_times(log: Log, stream: str) -> list[datetime.datetime]:
    """The instants the stream's records were appended at, in order, at most :data:`MAX_CHOICES`.

    A long history is thinned to the first, the last and evenly spaced ones between.
    """
    times = sorted({record.recorded_at for record in log.read(stream)})
    if len(times) <= MAX_CHOICES:
        return times
    step = (len(times) - 1) / (MAX_CHOICES - 1)
    return [times[round(index * step)] for index in range(MAX_CHOICES)]


def _next_day(day: datetime.date) -> str:
    return (day + datetime.timedelta(days=1)).isoformat()


def _span(when: When) -> Json:
    """A date as the page draws it: its first day and the day after its last, and its words."""
    return {
        "from": when.earliest.isoformat(),
        "to": _next_day(when.latest),
        "exact": when.earliest == when.latest,
        "said": spoken(when),
    }


class _Tables:
    """The page's values, each held once; a choice of record time lists the indices of its own.

    Most of a record is the same at every record time: an event, a tenure or a promise
    is written into the page once, however many choices show it, which keeps the page
    small on a long history. Footnotes are numbered once for the whole page, in the
    order the events first cite them (see :func:`page_data` for the order).
    """

    def __init__(self) -> None:
        self.notes: dict[Source, int] = {}
        self.events: list[Json] = []
        self._events: dict[tuple[UUID, UUID | None], int] = {}
        self.items: dict[str, list[Json]] = {"tenures": [], "promises": [], "votes": []}
        self._items: dict[str, int] = {}

    def cite(self, sources: Sequence[Source]) -> list[int]:
        """The footnote numbers of ``sources``, numbering those not cited before."""
        return [self.notes.setdefault(source, len(self.notes) + 1) for source in sources]

    def listed_notes(self) -> list[Json]:
        """Every footnote, by number."""
        return [
            {
                "n": number,
                "publisher": source.publisher,
                "title": source.title,
                "url": safe_url(source.url),
                "published": "" if source.published is None else spoken(source.published),
                "note": source.note,
            }
            for source, number in self.notes.items()
        ]

    def event(self, occurrence: Occurrence) -> int:
        """The index of an event as this record time has it (with its correction, if any)."""
        correction = occurrence.correction
        key = (occurrence.record.id, None if correction is None else correction.id)
        if key not in self._events:
            self._events[key] = len(self.events)
            self.events.append(self._told(occurrence))
        return self._events[key]

    def item(self, table: str, value: Json) -> int:
        """The index of a tenure, promise or vote in its table."""
        key = table + json.dumps(value, sort_keys=True)
        if key not in self._items:
            self._items[key] = len(self.items[table])
            self.items[table].append(value)
        return self._items[key]

    def _told(self, occurrence: Occurrence) -> Json:
        """One event of the chronology list and of the timeline's marks."""
        event = occurrence.event
        told = tell(event)
        notes = self.cite(event.sources)
        corrected, correction_notes = "", []
        if occurrence.correction is not None:
            correction = occurrence.correction.event
            assert isinstance(correction, Correction)  # a correction record holds one
            day = When(occurrence.correction.recorded_at.date())
            corrected = f"Corrected on {human(day)}: {correction.reason}"
            correction_notes = self.cite(correction.sources)
        return {
            "id": str(occurrence.record.id),
            "kind": told.kind,
            "group": GROUPS[told.kind],
            "failed": isinstance(event, CoupOccurred) and not event.successful,
            "headline": told.headline,
            "details": told.details,
            "when": _span(event.occurred),
            "notes": notes,
            "corrected": corrected,
            "correction_notes": correction_notes,
        }


def _drift(drawn: Chronology) -> list[Json]:
    """The promises of the office drawn: when made, the date promised, until when it stood."""
    steps = drawn.steps
    promises = []
    for index, step in enumerate(steps):
        promise = step.promise
        if promise is None:
            continue
        until = steps[index + 1].when.latest if index + 1 < len(steps) else drawn.last
        date = human(promise.date) if promise.date is not None else "no new date"
        verb = "postponed" if promise.postponement else "promised"
        promises.append(
            {
                "made": _span(promise.made),
                "date": None if promise.date is None else _span(promise.date),
                "until": _next_day(until),
                "postponement": promise.postponement,
                "caption": f"{date} ({verb} {human(promise.made)})",
            }
        )
    return promises


def _on(when: When) -> str:
    """A date after a verb: "on 24 Mar 2019", "in May 2025", "by Mar 2022"."""
    said = human(when)
    if when.is_interval:
        return said
    return f"on {said}" if when.precision == "day" else f"in {said}"


def _summary(drawn: Chronology) -> list[str]:
    """What the record says now, in a sentence or two (a title only if titles differ)."""
    said = []
    if drawn.tenures:
        leader = drawn.tenures[-1]
        titled = len({tenure.title for tenure in drawn.tenures}) > 1
        title = f", {leader.title}," if titled else ""
        said.append(f"Head of state: {leader.name}{title} since {human(leader.since)}.")
    drift = drawn.current
    if drawn.office is not None and drift.promises:
        what = vote(drawn.office)
        if drift.held is not None:
            said.append(f"The {what} was held {_on(drift.held)}.")
        elif drift.voided is not None:
            said.append(f"The {what} was called off {_on(drift.voided)}.")
        else:
            now = drift.current
            promised = f"promised for {human(now)}" if now is not None else "without a date"
            times = drift.postponements
            put_off = f", put off {times} time{'s' if times != 1 else ''}" if times else ""
            said.append(f"The {what} is {promised}{put_off}.")
    return said


def _choice(
    occurrences: list[Occurrence],
    stream: str,
    office: str | None,
    instant: datetime.datetime,
    tables: _Tables,
) -> tuple[Json, Chronology]:
    """One choice of record time: its own values, and the indices of those it shares."""
    drawn = chronology([o.event for o in occurrences], stream=stream, office=office, lenient=True)
    headline = (
        f"{drawn.name}: the promised vote keeps receding"
        if drawn.receding
        else f"{drawn.name}: a chronology"
    )
    tenures = [
        {
            "name": tenure.name,
            "title": tenure.title,
            "since": spoken(tenure.since),
            "from": tenure.since.latest.isoformat(),
            "to": tenure.until.isoformat(),
        }
        for tenure in drawn.tenures
    ]
    votes = [{"kind": s.kind, "when": _span(s.when)} for s in drawn.steps if s.promise is None]
    return {
        "instant": instant.isoformat(),
        "label": f"{human(When(instant.date()))}, {instant:%H:%M} UTC",
        "headline": headline,
        "summary": _summary(drawn),
        "vote": None if drawn.office is None else vote(drawn.office),
        "events": [tables.event(occurrence) for occurrence in occurrences],
        "tenures": [tables.item("tenures", tenure) for tenure in tenures],
        "promises": [tables.item("promises", promise) for promise in _drift(drawn)],
        "votes": [tables.item("votes", held) for held in votes],
    }, drawn


def _ticks(first: datetime.date, last: datetime.date) -> Json:
    """An axis's year ticks (grid lines) and labels, spaced to fit as in the figures."""
    ticks = year_ticks(first, last)
    return {
        "lines": [day.isoformat() for day in ticks.ticks],
        "labels": [{"at": day.isoformat(), "label": label} for day, label in ticks.labels],
    }


def page_data(log: Log, stream: str, office: str | None) -> Json:
    """Everything the page shows of ``stream``, for each record time the reader may choose.

    Raises:
        OptionError: the stream holds no event in force (as the log stands now), or
            ``office`` is not an office of its elections.
    """
    now = [occurrence.event for occurrence in timeline(log, stream=stream)]
    chosen = chronology(now, stream=stream, office=office).office
    tables = _Tables()
    choices: list[Json] = []
    drawn: list[Chronology] = []
    for instant in reversed(record_times(log, stream)):  # the latest first: it numbers the notes
        occurrences = timeline(log, stream=stream, known_at=instant)
        if occurrences:
            choice, chronology_then = _choice(occurrences, stream, chosen, instant, tables)
            choices.insert(0, choice)
            drawn.insert(0, chronology_then)
    first = min(item.start for item in drawn)
    last = max(item.end for item in drawn)
    leaders = list(dict.fromkeys(t.name for item in drawn for t in item.tenures))
    top = year_end_after(
        max([last, *(p.date.latest for item in drawn for p in item.promises if p.date)]), 180
    )
    kinds = {event["kind"] for event in tables.events}
    return {
        "stream": stream,
        "name": drawn[-1].name,
        "axis": {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "top": top.isoformat(),
            "ticks": _ticks(first, last),
            "drift_ticks": _ticks(first, top),
        },
        "colours": dict(zip(leaders, band_colours(len(leaders)), strict=True)),
        "titled": len({t.title for item in drawn for t in item.tenures}) > 1,
        "groups": [
            group
            for kind, group in GROUPS.items()
            if kind not in ("coup", "leader") and kind in kinds
        ],
        "events": tables.events,
        "notes": tables.listed_notes(),
        **tables.items,
        "choices": choices,
    }
