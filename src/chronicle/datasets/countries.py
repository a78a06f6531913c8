"""Country codes that change with time: the datasets' streams to and from COW, G-W and ISO codes.

The datasets' streams are named by Correlates of War (COW) state abbreviations
(``MLI``). Researchers join on numbers: the COW number (432), the Gleditsch-Ward
number, the ISO 3166 alpha-3 code (``MLI`` again, but COW's ``AUS`` is Austria
where ISO's is Australia, and COW's ``CZE`` is Czechoslovakia). Some of these
change with the date, so every lookup takes one:

- Germany: ``GFR`` (West Germany, COW and G-W 260) and ``GDR`` (East Germany, 265)
  until the unification of 3 October 1990, then ``GMY`` (COW 255, G-W 260). The
  REIGN leader list also codes Kohl's 1982-1990 spell as ``GMY`` with the number
  260, so ``GMY`` is West Germany (260) from 1 October 1982, united Germany (255)
  from 3 October 1990. REIGN moves Kohl to 255 on 1 October 1990, two days early.
- Yemen: ``YAR`` (North Yemen, 678) and ``YPR`` (South Yemen, 680) until
  21 May 1990, then ``YEM`` (COW 679, G-W 678).
- Vietnam: ``DRV`` (816) is North Vietnam until 1 July 1976, then Vietnam;
  ``RVN`` (817), South Vietnam, ends on 30 April 1975 and has no ISO code of its own.
- Serbia: ``YUG`` (COW 345) is Yugoslavia, then Serbia and Montenegro from
  4 February 2003 (ISO ``SCG``), then Serbia from 5 June 2006 (ISO ``SRB``, G-W 340).
- Czechoslovakia (``CZE``, 315, ISO ``CSK``) ends on 31 December 1992; the Czech
  Republic (``CZR``, 316) and Slovakia (``SLO``, 317) begin on 1 January 1993.
- ``RUS`` (365) is the Soviet Union (ISO ``SUN``) until 25 December 1991.
- Sudan (``SUD``, 625) and South Sudan (``SSD``, 626) keep one code each.

The table covers the 200 abbreviations of the REIGN leader list. A line has a
first or last day only where a code, name or state changes: the table says which
code a stream has on a day, not when each state was independent (the COW and
Gleditsch-Ward state lists say that). Names are today's short names, except for
states that no longer exist or changed as above. Kosovo (``KOS``) and South
Vietnam have no ISO 3166 code: :func:`iso3` gives None for them.

Why a table here rather than a crosswalk package: ``country_converter`` (GPL-3.0)
has no COW numbers, and its codes are not dated; the COW numbers are those of the
REIGN file itself, and a test checks them against it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import attrs

from chronicle._errors import CountryCodeError, InvalidDate
from chronicle._when import When
from chronicle.datasets._country_table import TABLE

__all__ = [
    "COUNTRIES",
    "Country",
    "country",
    "cow_number",
    "from_cow_number",
    "from_gw_number",
    "from_iso3",
    "gw_number",
    "iso3",
    "name",
]

On = datetime.date | When | str
"""The date of a lookup: a day, or a When (EDTF text) that must lie in one span."""


@attrs.frozen(kw_only=True)
class Country:
    """One stream's codes and name over a span of days.

    Attributes:
        stream: The COW state abbreviation the datasets name the stream by.
        first: The first day of the span (None: open).
        last: The last day of the span (None: open).
        cow: The Correlates of War state number.
        gw: The Gleditsch-Ward state number.
        iso3: The ISO 3166 alpha-3 code (the former code of a state that no
            longer exists); None for a state ISO gives no code.
        name: A short English name.
    """

    stream: str
    first: datetime.date | None
    last: datetime.date | None
    cow: int
    gw: int
    iso3: str | None
    name: str

    def holds(self, earliest: datetime.date, latest: datetime.date) -> bool:
        """Whether every day from ``earliest`` to ``latest`` is in the span."""
        return (self.first is None or self.first <= earliest) and (
            self.last is None or latest <= self.last
        )


def _day(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _parse(table: str) -> tuple[Country, ...]:
    countries = []
    for line in table.splitlines():
        stream, first, last, cow, gw, iso, label = line.split("|")
        countries.append(
            Country(
                stream=stream,
                first=_day(first),
                last=_day(last),
                cow=int(cow),
                gw=int(gw),
                iso3=iso or None,
                name=label,
            )
        )
    return tuple(countries)


COUNTRIES: tuple[Country, ...] = _parse(TABLE)
"""Every span of every stream, by COW number then first day."""


def _bounds(on: On) -> tuple[datetime.date, datetime.date]:
    if isinstance(on, datetime.datetime):
        raise InvalidDate(f"on takes a date, not a datetime ({on.isoformat()})")
    if isinstance(on, datetime.date):
        return on, on
    when = When(on) if isinstance(on, str) else on
    if not isinstance(when, When):
        raise InvalidDate(f"on must be a date, a When or an EDTF string, not {on!r}")
    return when.earliest, when.latest


def _spans(found: list[Country]) -> str:
    return "; ".join(
        f"{c.stream} {c.cow} ({c.name}) "
        + (f"{c.first or '…'} to {c.last or '…'}" if c.first or c.last else "at any date")
        for c in found
    )


def _one(matches: Callable[[Country], bool], what: str, on: On) -> Country:
    earliest, latest = _bounds(on)
    known = [c for c in COUNTRIES if matches(c)]
    if not known:
        raise CountryCodeError(f"{what} is not in the country table")
    held = [c for c in known if c.holds(earliest, latest)]
    if len(held) != 1:
        day = str(on)
        if not held:
            raise CountryCodeError(f"{what} has no line that holds on {day}: {_spans(known)}")
        raise CountryCodeError(f"{what} stands for several streams on {day}: {_spans(held)}")
    return held[0]


def country(stream: str, on: On) -> Country:
    """The line of the table for ``stream`` on ``on``: every code and the name.

    Raises:
        CountryCodeError: the stream is not in the table, or ``on`` (all of it, for
            an imprecise date) falls in none of its spans.
        InvalidDate: ``on`` is malformed.
    """
    return _one(lambda c: c.stream == stream, f"stream {stream!r}", on)


def cow_number(stream: str, on: On) -> int:
    """The Correlates of War number of ``stream`` on ``on`` (``GMY``: 260 in 1985, 255 in 1991).

    Raises:
        CountryCodeError: as :func:`country`.
    """
    return country(stream, on).cow


def gw_number(stream: str, on: On) -> int:
    """The Gleditsch-Ward number of ``stream`` on ``on`` (``YUG``: 345, then 340 from June 2006).

    Raises:
        CountryCodeError: as :func:`country`.
    """
    return country(stream, on).gw


def iso3(stream: str, on: On) -> str | None:
    """The ISO 3166 alpha-3 code of ``stream`` on ``on``; None where ISO gives none (Kosovo).

    Raises:
        CountryCodeError: as :func:`country`.
    """
    return country(stream, on).iso3


_RAISE = object()


def name(stream: str, on: On, *, default: object = _RAISE) -> str | None:
    """The name of ``stream`` on ``on`` (``RUS``: "Soviet Union" in 1990, "Russia" in 1992).

    Args:
        stream: The stream (a COW abbreviation).
        on: The day.
        default: What to give instead of raising for a stream or day the table lacks
            (None, say, to label a panel whose log holds other streams too).

    Raises:
        CountryCodeError: as :func:`country`, unless ``default`` is given.
    """
    try:
        return country(stream, on).name
    except CountryCodeError:
        if default is _RAISE:
            raise
        return default  # type: ignore[return-value]


def from_cow_number(number: int, on: On) -> str:
    """The stream of COW state ``number`` on ``on`` (255 in 1991: ``GMY``).

    Raises:
        CountryCodeError: no stream has the number on that day, or several do
            (260 between October 1982 and October 1990 is West Germany, coded
            ``GFR``, and ``GMY`` in REIGN's coding of Kohl's spell).
    """
    return _one(lambda c: c.cow == number, f"COW number {number}", on).stream


def from_gw_number(number: int, on: On) -> str:
    """The stream of Gleditsch-Ward state ``number`` on ``on`` (678 in 1995: ``YEM``).

    Raises:
        CountryCodeError: as :func:`from_cow_number`.
    """
    return _one(lambda c: c.gw == number, f"Gleditsch-Ward number {number}", on).stream


def from_iso3(code: str, on: On) -> str:
    """The stream of ISO 3166 alpha-3 ``code`` on ``on`` (``AUS``: ``AUL``, Australia).

    Raises:
        CountryCodeError: as :func:`from_cow_number`.
    """
    return _one(lambda c: c.iso3 == code, f"ISO code {code!r}", on).stream
