"""Correlates of War state codes: the number a dataset gives, the stream name it maps to.

Streams are named by COW state abbreviation (``MLI`` for Mali, code 432). The
Powell & Thyne and REIGN election files give only the numeric code, so the mapping
is derived from the one file that has both columns, the REIGN leader list, rather
than from a table written here. Each abbreviation covers the span from its first
leader's start to its last leader's end (open if one is still in office).

REIGN gives one code two abbreviations where a state changed (260 is ``GFR``
until 1990, then ``GMY``): such a code maps to the abbreviation whose span holds
the date, and a date held by none or by several is an error, not a guess.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path

import attrs

from chronicle._when import When
from chronicle.datasets._fields import integer, name, when
from chronicle.datasets._table import RowError, read_rows

__all__ = ["Span", "StateCodes", "state_codes"]

LEADER_COLUMNS = ("stateabb", "ccode", "sdate", "smonth", "syear", "emonth", "eyear")
"""The leader-list columns the state codes are derived from."""


@attrs.frozen
class Span:
    """The days a state abbreviation covers in the leader list.

    Attributes:
        abbreviation: The COW state abbreviation (``"MLI"``).
        first: The first leader's start.
        last: The last day of the last leader's end month, or None if one is in office.
    """

    abbreviation: str
    first: datetime.date
    last: datetime.date | None

    def overlaps(self, moment: When) -> bool:
        """Whether any day of ``moment`` falls in the span."""
        return self.first <= moment.latest and (self.last is None or moment.earliest <= self.last)


@attrs.frozen
class StateCodes:
    """COW code -> the state abbreviations it stands for, with their spans.

    Attributes:
        spans: Each code's spans, in order of their first day.
    """

    spans: Mapping[int, tuple[Span, ...]]

    def covers(self, stream: str, day: datetime.date) -> bool:
        """Whether the leader list covers ``stream`` on ``day``.

        It does from the stream's first leader's start to its last leader's end month
        (or on, if one is still in office). The shape :func:`chronicle.panel` takes as
        ``keep``, so that a panel has no row for a state before the list starts it or
        after it ends it.
        """
        return any(
            span.abbreviation == stream and span.overlaps(When(day))
            for spans in self.spans.values()
            for span in spans
        )

    def abbreviation(self, code: int, moment: When, *, country: str = "") -> str:
        """The abbreviation of state ``code`` at ``moment``: the name of its stream.

        Args:
            code: The COW code.
            moment: When the event took place (it picks between abbreviations of one code).
            country: The country's name in the dataset, for messages.

        Raises:
            RowError: The code is unknown, or the date does not pick one abbreviation.
        """
        named = f"ccode {code}" + (f" ({country})" if country else "")
        spans = self.spans.get(code)
        if not spans:
            raise RowError(f"{named} is not a state code of the REIGN leader list")
        if len(spans) == 1:
            return spans[0].abbreviation
        held = [span.abbreviation for span in spans if span.overlaps(moment)]
        if len(held) != 1:
            options = ", ".join(f"{s.abbreviation} from {s.first}" for s in spans)
            raise RowError(
                f"{named} stands for several states ({options}) and {moment} falls in "
                f"{'none' if not held else 'more than one'} of their leader-list spans"
            )
        return held[0]


def state_codes(path: str | Path) -> StateCodes:
    """The state codes of a REIGN leader-list file (``ccode`` and ``stateabb`` columns).

    Rows that cannot be read are left out here; the leader import reports them.

    Raises:
        DatasetError: The file cannot be read or lacks a needed column.
    """
    firsts: dict[tuple[int, str], datetime.date] = {}
    lasts: dict[tuple[int, str], datetime.date | None] = {}
    for row in read_rows(path, columns=LEADER_COLUMNS, what="REIGN leader list"):
        if row.unreadable:
            continue
        try:
            code, (abbreviation, _) = integer(row, "ccode"), name(row, "stateabb")
            start = when(row, "syear", "smonth", "sdate", what="start")
            ended = bool(row.raw("eyear").strip())
            end = when(row, "eyear", "emonth", None, what="end") if ended else None
        except RowError:
            continue
        if code is None:
            continue
        key = (code, abbreviation)
        firsts[key] = min(firsts.get(key, start.earliest), start.earliest)
        last = None if end is None else end.latest
        known = lasts.get(key, datetime.date.min)
        lasts[key] = None if last is None or known is None else max(known, last)
    spans: dict[int, list[Span]] = {}
    for (code, abbreviation), first in firsts.items():
        spans.setdefault(code, []).append(Span(abbreviation, first, lasts[(code, abbreviation)]))
    return StateCodes(
        {code: tuple(sorted(group, key=lambda s: s.first)) for code, group in spans.items()}
    )
