"""Valid time: :class:`When`, an imprecise date written and read as EDTF.

Histories are imprecise: "on 18 August 2020", "in May 2025", "in 2027", "between
January and June 2024", "around 2020". A :class:`When` holds such a date as a subset
of EDTF (ISO 8601-2, the Library of Congress Extended Date/Time Format, levels 0
and 1): a day ``2020-08-18``, a month ``2025-05`` or a year ``2027``, each optionally
qualified at its end (``?`` uncertain, ``~`` approximate, ``%`` both), and closed
intervals ``A/B`` of two of them.

The parser is a regular expression, not a grammar library, because logs are read
far more often than written and repeat the same dates many times; parses are also
cached and the resulting values shared. Everything outside the subset is rejected
with an :class:`~chronicle.InvalidDate` that quotes the input and says why.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
import typing
from collections.abc import Callable
from typing import Any, Literal, NoReturn, TypeAlias, final

from chronicle._errors import InvalidDate, shorten

__all__ = ["When", "WhenLike", "parse_text", "to_when"]

Precision: TypeAlias = Literal["day", "month", "year"]
"""How much of a non-interval :class:`When` is stated: its day, its month or only its year."""

_SIDE = r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([?~%]?)"
_EDTF = re.compile(rf"{_SIDE}(?:/{_SIDE})?")
_SUPPORTED = (
    "a When is YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by one of ?, ~ or %,"
    " or an interval A/B of two of these"
)
_DIGITS = frozenset("0123456789")
_from_iso = datetime.date.fromisoformat
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""Days in each month of a common year (``calendar.monthrange`` also computes a weekday)."""


@final
class When:
    """The valid time of an event: a day, a month, a year, or an interval of them.

    ``When(value)`` takes an EDTF string, a :class:`datetime.date` (a day) or a
    ``When`` (returned as is: values are immutable and shared). A
    :class:`datetime.datetime` is refused, since it carries a time and a zone: pass
    its ``.date()``.

    The bounds are those of the stated precision: ``2020-08`` may denote any day
    from ``earliest`` 2020-08-01 to ``latest`` 2020-08-31, a year runs from 1 January
    to 31 December, an interval from its start's earliest to its end's latest day.
    The qualifiers ``?``, ``~`` and ``%`` record doubt about the stated value: they
    are kept and printed, but do not widen the bounds (``2020-08~`` has the same
    bounds as ``2020-08``). These are the "strict" bounds of the ``edtf`` package.

    Values compare equal when their canonical EDTF strings are equal, and are ordered
    by ``(latest, earliest, str)``: an imprecise event takes effect when it is certain,
    so "in 2020" sorts after "2020-08-18".

    Attributes:
        earliest: The first day it may denote.
        latest: The last day it may denote.
        precision: ``"day"``, ``"month"`` or ``"year"``; ``None`` for an interval.
        uncertain: Whether it is marked ``?`` or ``%`` (on either side of an interval).
        approximate: Whether it is marked ``~`` or ``%`` (on either side of an interval).
        is_interval: Whether it is an interval ``A/B``.
        start: An interval's start side; a non-interval itself.
        end: An interval's end side; a non-interval itself.
        key: ``(latest, earliest)``, the fold-order key.

    Raises:
        InvalidDate: For text that is not EDTF of the supported subset or names no day.
        TypeError: For a value of another type (a datetime included).
    """

    __slots__ = (
        "_hash",
        "_order",
        "_sides",
        "_text",
        "approximate",
        "earliest",
        "is_interval",
        "key",
        "latest",
        "precision",
        "uncertain",
    )

    earliest: datetime.date
    latest: datetime.date
    precision: Precision | None
    uncertain: bool
    approximate: bool
    is_interval: bool
    key: tuple[datetime.date, datetime.date]
    _text: str
    _hash: int
    _order: tuple[datetime.date, datetime.date, str]
    # An interval's sides; None for a non-interval, which is its own sides (held as
    # references to itself, a When would be a cycle that only the collector frees).
    _sides: tuple[When, When] | None

    def __new__(cls, value: WhenLike) -> When:
        # A __new__ rather than an __init__: parsed values are cached and shared.
        if isinstance(value, str):
            return _parse(value)
        if isinstance(value, When):
            return value
        if isinstance(value, datetime.datetime):
            raise TypeError(
                f"When() does not take a datetime ({value!r}): it carries a time and a zone;"
                " pass its .date()"
            )
        if isinstance(value, datetime.date):
            return _parse(value.isoformat())
        raise TypeError(
            "When() takes an EDTF string, a datetime.date or a When,"
            f" not {type(value).__name__}: {shorten(value)}"
        )

    def __init_subclass__(cls, **kwargs: Any) -> NoReturn:
        raise TypeError("When is final: values are cached and shared, so it cannot be subclassed")

    @classmethod
    def parse(cls, text: str) -> When:
        """Parse an EDTF string (the same as ``When(text)``).

        Parses are cached on the text, since logs repeat dates a lot; equal texts
        give the same object while it stays in the cache.

        Args:
            text: An EDTF string of the supported subset, in canonical form.

        Returns:
            The When it denotes.

        Raises:
            InvalidDate: If the text is not EDTF of the supported subset or names no day.
            TypeError: If ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise TypeError(f"When.parse() takes a str, not {type(text).__name__}: {shorten(text)}")
        return _parse(text)

    @property
    def start(self) -> When:
        """An interval's start side; a non-interval itself."""
        return self if self._sides is None else self._sides[0]

    @property
    def end(self) -> When:
        """An interval's end side; a non-interval itself."""
        return self if self._sides is None else self._sides[1]

    @classmethod
    def between(cls, start: WhenLike, end: WhenLike) -> When:
        """The closed interval from ``start`` to ``end``, written ``start/end``.

        Args:
            start: A day, month or year (with any qualifier), not an interval.
            end: Likewise; it must not end before ``start`` begins.

        Returns:
            The interval.

        Raises:
            InvalidDate: If a side is an interval or invalid, or ``end`` precedes ``start``.
            TypeError: If a side is of a type ``When()`` does not take.
        """
        first, last = When(start), When(end)
        for name, side in (("start", first), ("end", last)):
            if side.is_interval:
                raise InvalidDate(
                    f"When.between(): the {name} {side._text!r} is an interval;"
                    " each side must be a day, a month or a year"
                )
        return _parse(f"{first._text}/{last._text}")

    def certain_by(self, day: datetime.date) -> bool:
        """Whether it had certainly happened by the end of ``day`` (``latest <= day``)."""
        return self.latest <= day

    def possible_by(self, day: datetime.date) -> bool:
        """Whether it may have happened by the end of ``day`` (``earliest <= day``)."""
        return self.earliest <= day

    def __contains__(self, day: datetime.date) -> bool:
        return self.earliest <= day <= self.latest

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"When({self._text!r})"

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not When:
            return NotImplemented
        return self._text == other._text

    def __hash__(self) -> int:
        return self._hash

    def __lt__(self, other: When) -> bool:
        if type(other) is not When:
            return NotImplemented
        return self._order < other._order

    def __le__(self, other: When) -> bool:
        if type(other) is not When:
            return NotImplemented
        return self._order <= other._order

    def __gt__(self, other: When) -> bool:
        if type(other) is not When:
            return NotImplemented
        return self._order > other._order

    def __ge__(self, other: When) -> bool:
        if type(other) is not When:
            return NotImplemented
        return self._order >= other._order

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"When is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"When is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[type[When], tuple[str]]:
        return (When, (self._text,))

    def __copy__(self) -> When:
        return self

    def __deepcopy__(self, memo: object) -> When:
        return self


WhenLike: TypeAlias = str | datetime.date | When
"""What is accepted wherever a :class:`When` is: an EDTF string, a date (a day) or a When."""


def to_when(value: WhenLike) -> When:
    """Convert a value to a :class:`When`, for attrs field converters.

    Args:
        value: An EDTF string, a :class:`datetime.date` or a When (returned as is).

    Returns:
        The When.

    Raises:
        InvalidDate: For an invalid EDTF string.
        TypeError: For a value of another type (a datetime included).
    """
    return value if type(value) is When else When(value)


def _setter(name: str) -> Callable[[When, Any], None]:
    """The setter of one of When's slots, for :func:`_make`.

    Called directly, it is two to three times cheaper than ``object.__setattr__``,
    which looks the slot up on every call.
    """
    return typing.cast("Callable[[When, Any], None]", getattr(When, name).__set__)


_text, _hash, _earliest, _latest = map(_setter, ("_text", "_hash", "earliest", "latest"))
_key, _order, _precision, _sides = map(_setter, ("key", "_order", "precision", "_sides"))
_uncertain, _approximate, _interval = map(_setter, ("uncertain", "approximate", "is_interval"))


def _make(
    text: str,
    earliest: datetime.date,
    latest: datetime.date,
    *,
    precision: Precision | None,
    flags: str,
    sides: tuple[When, When] | None = None,
) -> When:
    """Build a When from its checked parts, bypassing the public constructor."""
    when: When = object.__new__(When)
    _text(when, text)
    _hash(when, hash(text))
    _earliest(when, earliest)
    _latest(when, latest)
    _key(when, (latest, earliest))
    _order(when, (latest, earliest, text))
    _precision(when, precision)
    _uncertain(when, "?" in flags or "%" in flags)
    _approximate(when, "~" in flags or "%" in flags)
    _interval(when, sides is not None)
    _sides(when, sides)
    return when


def _day(text: str, day: datetime.date) -> When:
    """``_make(text, day, day, precision="day", flags="")``: a day without a qualifier."""
    when: When = object.__new__(When)
    _text(when, text)
    _hash(when, hash(text))
    _earliest(when, day)
    _latest(when, day)
    _key(when, (day, day))
    _order(when, (day, day, text))
    _precision(when, "day")
    _uncertain(when, False)
    _approximate(when, False)
    _interval(when, False)
    _sides(when, None)
    return when


def _side(
    text: str, groups: tuple[str, str | None, str | None, str], whole: str, where: str
) -> When:
    """Build a day, month or year from the groups of a regex match, checking it names days.

    ``text`` is the side's own text; errors quote ``whole``, the text parsed, and say
    ``where`` in it the side is.
    """
    year, month, day, flag = groups
    y = int(year)
    if y == 0:
        _fail(whole, f"{where}year 0000 is not supported (Python dates run from 0001 to 9999)")
    if month is None:
        return _make(
            text, datetime.date(y, 1, 1), datetime.date(y, 12, 31), precision="year", flags=flag
        )
    m = int(month)
    if 21 <= m <= 41:
        _fail(whole, f"{where}month {month} is an EDTF season (21-41): seasons are not supported")
    if not 1 <= m <= 12:
        _fail(whole, f"{where}month {month} does not exist (months are 01 to 12)")
    last = 29 if m == 2 and calendar.isleap(y) else _MONTH_DAYS[m]
    if day is None:
        return _make(
            text, datetime.date(y, m, 1), datetime.date(y, m, last), precision="month", flags=flag
        )
    d = int(day)
    if not 1 <= d <= last:
        _fail(whole, f"{where}no such day: {year}-{month} has {last} days")
    the_day = datetime.date(y, m, d)
    return _make(text, the_day, the_day, precision="day", flags=flag)


def _parse_uncached(text: str) -> When:
    """Parse EDTF text of the supported subset into a When, without the cache.

    A day without a qualifier, the commonest text by far, is read by
    ``date.fromisoformat``, which takes exactly the ``YYYY-MM-DD`` of ASCII digits that
    name a day from 0001 to 9999 when it is ten characters long with its hyphens
    in place, as the general path does; any other text, and any such text it
    refuses, goes through the general path, which says what is wrong.

    Raises:
        InvalidDate: If the text is not EDTF of the supported subset or names no day.
    """
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            day = _from_iso(text)
        except ValueError:
            pass
        else:
            return _day(text, day)
    return _parse_general(text)


def _parse_general(text: str) -> When:
    """Parse EDTF text of the supported subset into a When: any form, by the regex.

    Raises:
        InvalidDate: If the text is not EDTF of the supported subset or names no day.
    """
    match = _EDTF.fullmatch(text)
    if match is None:
        _diagnose(text)
    y1, m1, d1, f1, y2, m2, d2, f2 = match.groups()
    if y2 is None:
        return _side(text, (y1, m1, d1, f1), text, "")
    head, _, tail = text.partition("/")
    start = _side(head, (y1, m1, d1, f1), text, f"interval start {head!r}: ")
    end = _side(tail, (y2, m2, d2, f2), text, f"interval end {tail!r}: ")
    if end.latest < start.earliest:
        _fail(text, f"the interval's end {tail!r} precedes its start {head!r}")
    return _make(
        text, start.earliest, end.latest, precision=None, flags=f1 + f2, sides=(start, end)
    )


_parse = functools.lru_cache(maxsize=4096)(_parse_uncached)
"""Parses, cached on the text. Reading a log meets the same days again and again, and
in fold order meets them together, so a few thousand texts catch nearly every repeat;
the cache's size is memory every process holds (65,536 parses held about 40 MiB)."""

parse_text = _parse
"""The When of an EDTF string, through the parse cache (what ``When(text)`` returns),
for the codec's fast path, which has checked that it has a string."""


def _fail(text: str, reason: str) -> NoReturn:
    raise InvalidDate(f"invalid EDTF date {shorten(text)}: {reason}")


def _diagnose(text: str) -> NoReturn:
    """Raise an InvalidDate saying why ``text`` does not match the supported subset."""
    if not text:
        _fail(text, "the empty string is not a date")
    if any(c.isspace() for c in text):
        _fail(text, "whitespace is not allowed")
    if "/" not in text:
        _fail(text, _side_problem(text))
    sides = text.split("/")
    if len(sides) != 2:
        _fail(text, "an interval has exactly one '/'")
    if any(side in ("", "..") for side in sides):
        _fail(text, "open or unknown interval ends are not supported ('..' or an empty side)")
    for name, side in zip(("start", "end"), sides, strict=True):
        if _EDTF.fullmatch(side) is None:
            _fail(text, f"interval {name} {shorten(side)}: {_side_problem(side)}")
    _fail(text, _SUPPORTED)  # pragma: no cover - both sides match, so the whole does


def _side_problem(side: str) -> str:
    """What is wrong with one side (a text without '/') that does not match the subset."""
    core = side.rstrip("?~%")
    year, *rest = core.split("-")
    problems = (
        (side.startswith(("-", "Y", "y")), "negative and Y-prefixed years are not supported"),
        ("X" in side, "unspecified digits (X) are not supported"),
        ("T" in side or ":" in side, "times are not supported, only days, months and years"),
        (len(side) - len(core) > 1, "at most one qualifier (?, ~ or %) is allowed"),
        (any(q in core for q in "?~%"), "a qualifier (?, ~ or %) may only end the date"),
        (len(rest) > 2, _SUPPORTED),
        (not _digits(year, 4), "the year must be 4 digits"),
        (len(rest) > 0 and not _digits(rest[0], 2), "the month must be 2 digits"),
        (len(rest) > 1 and not _digits(rest[1], 2), "the day must be 2 digits"),
    )
    return next((message for wrong, message in problems if wrong), _SUPPORTED)


def _digits(text: str, count: int) -> bool:
    """Whether ``text`` is exactly ``count`` ASCII digits."""
    return len(text) == count and _DIGITS.issuperset(text)
