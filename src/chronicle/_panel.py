"""Panels: a projector's state sampled over a grid of days, for every stream, as a table.

Political scientists analyse country-years and country-months: one row per
subject and date. :func:`panel` gives that table for any projector, without a
replay per cell: it reads the log once (:func:`~chronicle.timeline`, the events in
force in fold order), then folds each stream once, left to right, reading the
state off at each day of the grid.

Why that equals ``replay(log, projector, stream=s, as_of=day, known_at=...)``
exactly: under the ``"certain"`` policy replay folds the events whose latest day
is on or before ``day``, which are a prefix of the fold order (it is sorted by
latest day first), so the state after that prefix is the answer. Under
``"possible"`` it folds those whose earliest day is on or before ``day``: the same
prefix, then the events that *straddle* the day (earliest on or before it,
latest after it), which all come after the prefix in fold order. Only imprecise
events can straddle, and few do at once, so each cell costs the prefix's growth
since the last day plus a fold of those few. A property test checks every cell
against replay.

Each cell is given under both policies. A cell is *certain* when the two agree
on its columns: when they differ, the record allows at least two answers. When
they agree it may still allow others (two imprecise events whose order is
unknown), which only an enumeration of every possible state can tell.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, Literal, TypeVar

import attrs

from chronicle._errors import InvalidArgument, InvalidDate
from chronicle._event import Event
from chronicle._flatten import Value, cell, flatten
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import KnownAt, SourceFilter, timeline
from chronicle._table import Table
from chronicle._when import When

__all__ = ["Cell", "Every", "Panel", "grid", "panel"]

S = TypeVar("S")

Every = Literal["year", "month", "day"]
"""How often a panel samples: once a year, once a month, or every day."""

Bound = datetime.date | When | str
"""A panel's first or last day: a date, a When, or EDTF text (``"1990"``: 1 January for the
first day, 31 December for the last)."""

_ANY_DAY = datetime.date(2001, 1, 1)
_NONE = object()

_OWN = ("stream", "date", "name", "certain")
"""Columns a panel adds itself: a state's columns may not take these names."""


@attrs.frozen
class Cell(Generic[S]):
    """One stream's state on one day of a panel, under both policies.

    Attributes:
        stream: The stream.
        date: The day: the state is the one at its end.
        state: The state from the events that had certainly happened by then
            (``replay(..., policy="certain")``).
        possible: The state from the events that possibly had (``policy="possible"``).
        certain: Whether the two give the same columns.
    """

    stream: str
    date: datetime.date
    state: S
    possible: S
    certain: bool


@attrs.frozen
class Panel(Table, Generic[S]):
    """A panel: a :class:`Table` of one row per stream and day, with the states behind it.

    The columns are ``stream``, ``date``, ``name`` (if names were asked for), the
    state's columns under the ``"certain"`` policy, ``certain``, and, if asked for,
    the same columns under the ``"possible"`` policy prefixed ``possible.``.

    Attributes:
        cells: Each row's :class:`Cell`, in the same order: both states in full.
    """

    cells: tuple[Cell[S], ...] = ()


def _bound(value: Bound, *, last: bool, what: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise InvalidDate(f"{what} takes a date, not a datetime ({value.isoformat()})")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        value = When(value)
    if isinstance(value, When):
        return value.latest if last else value.earliest
    raise InvalidDate(f"{what} must be a date, a When or an EDTF string, not {value!r}")


def _year_day(on: str | int | None) -> tuple[int, int]:
    text = "12-31" if on is None else on
    try:
        if not isinstance(text, str):
            raise ValueError
        month, day = (int(part) for part in text.split("-"))
        datetime.date(2001, month, day)  # a year that is not leap: every year has the day
    except ValueError:
        raise InvalidArgument(
            f"on={on!r}: a yearly panel takes a day of the year as 'MM-DD' that every year"
            " has ('12-31', '07-01'; not '02-29')"
        ) from None
    return month, day


def grid(
    every: Every, first: datetime.date, last: datetime.date, *, on: str | int | None = None
) -> list[datetime.date]:
    """The days a panel samples, from ``first`` to ``last`` included.

    Args:
        every: ``"year"``: one day a year, ``on`` ``"MM-DD"`` (default ``"12-31"``);
            ``"month"``: one day a month, ``on`` the day of the month (default: its
            last day; a day the month lacks, such as 31, gives its last day);
            ``"day"``: every day (``on`` must be None).
        first: The first day a sample may fall on.
        last: The last day a sample may fall on.
        on: Which day of each period.

    Raises:
        InvalidArgument: ``every`` or ``on`` is not one of the forms above.
    """
    if every == "year":
        month, day = _year_day(on)
        days = [datetime.date(year, month, day) for year in range(first.year, last.year + 1)]
    elif every == "month":
        if on is not None and (type(on) is not int or not 1 <= on <= 31):
            raise InvalidArgument(f"on={on!r}: a monthly panel takes a day of the month, 1 to 31")
        days = []
        for index in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
            year, month = divmod(index, 12)
            length = calendar.monthrange(year, month + 1)[1]
            days.append(datetime.date(year, month + 1, length if on is None else min(on, length)))
    elif every == "day":
        if on is not None:
            raise InvalidArgument(f"on={on!r}: a daily panel samples every day, it takes no 'on'")
        days = [first + datetime.timedelta(n) for n in range((last - first).days + 1)]
    else:
        raise InvalidArgument(f"every={every!r}: a panel samples every 'year', 'month' or 'day'")
    return [day for day in days if first <= day <= last]


def _sample(
    projector: Projector[S], events: Sequence[Event], days: Sequence[datetime.date]
) -> Iterator[tuple[S, S]]:
    """The (certain, possible) states at the end of each day of ``days`` (ascending).

    ``events`` are one stream's events in force, in fold order.
    """
    apply = projector.apply
    latest = [event.occurred.latest for event in events]
    imprecise = sorted(
        (event.occurred.earliest, index)
        for index, event in enumerate(events)
        if event.occurred.earliest < event.occurred.latest
    )
    state, folded, opened = projector.initial, 0, 0
    straddling: list[int] = []
    for day in days:
        end = bisect.bisect_right(latest, day, lo=folded)
        for index in range(folded, end):
            state = apply(state, events[index])
        folded = end
        while opened < len(imprecise) and imprecise[opened][0] <= day:
            straddling.append(imprecise[opened][1])
            opened += 1
        if straddling:
            straddling = sorted(index for index in straddling if index >= folded)
        possible = state
        for index in straddling:
            possible = apply(possible, events[index])
        yield state, possible


def _columns_of(state: Any) -> dict[str, Value]:
    """A state's default columns: its attrs fields or mapping flattened, else one ``state``."""
    if attrs.has(type(state)) or isinstance(state, Mapping):
        return flatten(state)
    return {"state": cell(state)}


def panel(
    log: Log,
    projector: Projector[S],
    *,
    every: Every = "year",
    on: str | int | None = None,
    start: Bound | None = None,
    end: Bound | None = None,
    streams: Iterable[str] | None = None,
    columns: Callable[[S], Mapping[str, Value]] | None = None,
    known_at: KnownAt | None = None,
    names: Callable[[str, datetime.date], str | None] | None = None,
    keep: Callable[[str, datetime.date], bool] | None = None,
    possible: bool = False,
    sources: SourceFilter | None = None,
) -> Panel[S]:
    """A projector's state for every stream on every day of a grid: one row per stream and day.

    Each cell equals ``replay(log, projector, stream=stream, as_of=day,
    known_at=known_at)``, computed in one pass over each stream's fold rather
    than one replay per cell.

    Args:
        log: The log to read.
        projector: The projector whose state is sampled.
        every: ``"year"``, ``"month"`` or ``"day"`` (see :func:`grid`).
        on: Which day of each year (``"MM-DD"``, default ``"12-31"``) or month
            (1 to 31, default its last day).
        start: The first day a sample may fall on (a year means its 1 January);
            by default the earliest day of the chosen streams' events.
        end: The last day (a year means its 31 December); by default the latest
            day of their events.
        streams: The streams, in the order their rows come; by default every stream
            of the log, sorted. A stream with no events gives the initial state.
        columns: The columns of a state, as ``{name: plain value}``; by default its
            attrs fields flattened with dotted names (:func:`~chronicle.flatten`),
            or one column ``state`` for a state that is not an attrs value.
        known_at: As the log stood then: only records and corrections appended by then.
        names: A name for each stream on each day, as a ``name`` column (for
            countries, :func:`chronicle.datasets.countries.name`).
        keep: Only the rows for which ``keep(stream, day)`` is true: the days a
            dataset covers each stream, say (:meth:`~chronicle.datasets.StateCodes.covers`),
            so that no state is carried past its end or before its start.
        possible: Also give each column under the ``"possible"`` policy, prefixed
            ``possible.``.
        sources: Only the events of these sources (see :func:`~chronicle.replay`):
            one dataset's view of a merged log.

    Raises:
        InvalidArgument: ``every`` or ``on`` is malformed, or a state's column takes a name
            the panel gives itself (``stream``, ``date``, ``name``, ``certain``).
        InvalidDate: ``start`` or ``end`` is malformed.
        RecordTimeError: ``known_at`` is malformed or naive.
    """
    grid(every, _ANY_DAY, _ANY_DAY, on=on)  # a malformed grid is an error, events or not
    chosen = sorted(log.streams()) if streams is None else list(dict.fromkeys(streams))
    wanted = set(chosen)
    by_stream: dict[str, list[Event]] = {stream: [] for stream in chosen}
    for occurrence in timeline(log, known_at=known_at, sources=sources):
        if occurrence.record.stream in wanted:
            by_stream[occurrence.record.stream].append(occurrence.event)
    found = [event.occurred for events in by_stream.values() for event in events]
    if not found and (start is None or end is None):
        return Panel(("stream", "date", "certain"), ())
    first = (
        min(when.earliest for when in found)
        if start is None
        else _bound(start, last=False, what="start")
    )
    last = max(when.latest for when in found) if end is None else _bound(end, last=True, what="end")
    days = grid(every, first, last, on=on)
    values = columns or _columns_of
    cells: list[Cell[S]] = []
    rows: list[tuple[dict[str, Value], dict[str, Value]]] = []
    for stream in chosen:
        sampled = _sample(projector, by_stream[stream], days)
        previous: tuple[Any, dict[str, Value]] = (_NONE, {})
        for day, (state, maybe) in zip(days, sampled, strict=True):
            if keep is not None and not keep(stream, day):
                continue
            # A state unchanged since the day before is the same object: its columns too.
            sure = previous[1] if state is previous[0] else dict(values(state))
            previous = (state, sure)
            other = sure if maybe is state else dict(values(maybe))
            cells.append(Cell(stream, day, state, maybe, sure == other))
            rows.append((sure, other))
    return _table(cells, rows, names=names, possible=possible)


def _table(
    cells: Sequence[Cell[S]],
    rows: Sequence[tuple[dict[str, Value], dict[str, Value]]],
    *,
    names: Callable[[str, datetime.date], str | None] | None,
    possible: bool,
) -> Panel[S]:
    """The panel's rows in its column order (see :class:`Panel`)."""
    own: dict[str, None] = {}
    for sure, other in rows:
        own.update(dict.fromkeys(sure))
        own.update(dict.fromkeys(other))
    clash = sorted(set(own) & set(_OWN))
    if clash:
        raise InvalidArgument(
            f"the state gives a column named {clash[0]!r}, a name the panel gives itself"
            f" ({', '.join(_OWN)}): choose other names with columns="
        )
    head = ("stream", "date", *(("name",) if names else ()))
    extra = tuple(f"possible.{name}" for name in own) if possible else ()
    ordered: dict[int, tuple[Value, ...]] = {}  # a row's values in column order, by its dict

    def values(columns: dict[str, Value]) -> tuple[Value, ...]:
        found = ordered.get(id(columns))
        if found is None:
            found = ordered[id(columns)] = tuple(columns.get(name) for name in own)
        return found

    table_rows = []
    for item, (sure, other) in zip(cells, rows, strict=True):
        label: tuple[Value, ...] = (names(item.stream, item.date),) if names else ()
        more = values(other) if possible else ()
        table_rows.append((item.stream, item.date, *label, *values(sure), item.certain, *more))
    return Panel((*head, *own, "certain", *extra), tuple(table_rows), tuple(cells))
