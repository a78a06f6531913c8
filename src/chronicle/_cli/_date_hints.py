"""Guesses at the EDTF date a user meant, for the hint of a refused date.

People write dates as they read them: ``May 2021``, ``21/05/2021``, ``May 21, 2021``,
``Q2 2021``. chronicle reads EDTF only, so such a date is refused; the refusal then
suggests the EDTF form of what was probably meant (``2021-05``, ``2021-05-21``,
``2021-04/2021-06``). A guess is only offered if it is itself a valid date, and a
date that reads two ways (``05/06/2021``) gets both, day first then month first.

Understood, case aside: numbers separated by ``/ . -`` or spaces (day, month and year
in either order when the year has 4 digits, year first, or month and year); 8 or 6
digits in a row (``20210521``, ``202105``); English and French month names and
their abbreviations, with or without a day (``21 May 2021``, ``May 21st, 2021``,
``1er mai 2021``); quarters and halves (``Q2 2021``, ``2021-Q2``, ``H1 2021``);
decades (``1990s``); "circa", "about" or "around" (approximate: ``2020~``); ranges
(``May 2021 to June 2021``, ``2021-05..2021-06``, ``between 2020 and 2022``); and
a time of day after the date, which a date leaves out (``--known-at`` keeps it).
"""

from __future__ import annotations

import re

from chronicle._errors import InvalidDate
from chronicle._when import When

__all__ = ["date_guesses", "date_hint", "instant_guesses", "instant_hint"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "janvier"),
            ("february", "février", "fevrier"),
            ("march", "mars"),
            ("april", "avril"),
            ("may", "mai"),
            ("june", "juin"),
            ("july", "juillet"),
            ("august", "août", "aout"),
            ("september", "septembre", "sept"),
            ("october", "octobre"),
            ("november", "novembre"),
            ("december", "décembre", "decembre"),
        ),
        start=1,
    )
    for name in names
}
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er|e)?$")
_TIME = re.compile(
    r"^(?P<date>.+?)(?:t|\s+|,\s*)(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"\s*(?P<zone>z|utc|[+-]\d{2}:?\d{2})?$"
)
_RANGE = re.compile(r"\s+(?:to|until|till|-|\u2013|\u2014|au|à)\s+|\s*(?:\.\.|\u2013|\u2014)\s*")
_APPROXIMATE = re.compile(r"^(?:circa|ca\.?|c\.|about|around|approximately|approx\.?|vers|~)\s*")
_QUARTER = re.compile(r"^(?:q([1-4])[\s/-]*(\d{4})|(\d{4})[\s/-]*q([1-4]))$")
_HALF = re.compile(r"^(?:h([12])[\s/-]*(\d{4})|(\d{4})[\s/-]*h([12]))$")
_DECADE = re.compile(r"^(\d{3})0'?s$")


def _valid(text: str) -> bool:
    try:
        When(text)
    except InvalidDate:
        return False
    return True


def _ymd(year: str, month: str, day: str | None = None) -> str | None:
    """``YYYY-MM(-DD)`` from digit strings, or None if the year is not 4 digits."""
    if len(year) != 4 or not (1 <= int(month) <= 12):
        return None
    text = f"{year}-{int(month):02}"
    return text if day is None else f"{text}-{int(day):02}"


def _numeric(parts: list[str]) -> list[str]:
    """Dates of 1 to 3 numbers: year first, year last (day or month first), or run together."""
    found: list[str | None] = []
    if len(parts) == 1 and len(parts[0]) in (6, 8):
        digits = parts[0]
        found = [_ymd(digits[:4], digits[4:6], digits[6:] or None)]
    elif len(parts) == 2:
        first, second = parts
        found = [_ymd(first, second) if len(first) == 4 else _ymd(second, first)]
    elif len(parts) == 3 and len(parts[0]) == 4:
        found = [_ymd(*parts)]
    elif len(parts) == 3:
        first, second, third = parts
        found = [_ymd(third, second, first), _ymd(third, first, second)]  # day first, month first
    return list(dict.fromkeys(guess for guess in found if guess is not None))


def _month_of(word: str) -> int | None:
    """The month a name or an abbreviation of 3 letters or more names, if any."""
    word = word.rstrip(".")
    if len(word) < 3:
        return None
    found = {number for name, number in _MONTHS.items() if name.startswith(word)}
    return found.pop() if len(found) == 1 else None


def _named(words: list[str]) -> list[str]:
    """Dates that name their month: ``21 May 2021``, ``May 21 2021``, ``May 2021``."""
    months = [(index, month) for index, word in enumerate(words) if (month := _month_of(word))]
    if len(months) != 1:
        return []
    index, month = months[0]
    rest = [word for position, word in enumerate(words) if position != index and word != "of"]
    years = [word for word in rest if len(word) == 4 and word.isdigit()]
    days = [ordinal[1] for word in rest if (ordinal := _ORDINAL.match(word))]
    if len(years) != 1 or len(days) > 1 or len(years) + len(days) != len(rest):
        return []
    found = _ymd(years[0], str(month), days[0] if days else None)
    return [found] if found is not None else []


def _periods(text: str) -> list[str]:
    """Quarters, halves and decades, as the interval of months or years they cover."""
    if (quarter := _QUARTER.match(text)) is not None:
        number, year = (quarter[1], quarter[2]) if quarter[1] else (quarter[4], quarter[3])
        last = 3 * int(number)
        return [f"{year}-{last - 2:02}/{year}-{last:02}"]
    if (half := _HALF.match(text)) is not None:
        number, year = (half[1], half[2]) if half[1] else (half[4], half[3])
        return [f"{year}-01/{year}-06" if number == "1" else f"{year}-07/{year}-12"]
    if (decade := _DECADE.match(text)) is not None:
        return [f"{decade[1]}0/{decade[1]}9"]
    return []


def _single(text: str) -> list[str]:
    """Guesses for one date (not a range), without a time of day."""
    if _valid(text):
        return [text]
    approximate = _APPROXIMATE.match(text)
    if approximate is not None:
        plain = _single(text[approximate.end() :])
        return [f"{guess}~" for guess in plain if guess[-1] not in "?~%"]
    parts = [part for part in re.split(r"[/.\-\s]+", text) if part]
    if parts and len(parts) <= 3 and all(part.isdigit() for part in parts):
        return _numeric(parts)
    return _periods(text) or _named(re.split(r"[\s,./-]+", text))


def _dates(text: str) -> list[str]:
    """Guesses for a date or a range of two, as the user wrote it (lower case, time removed)."""
    text = re.sub(r"\s+", " ", text.strip().lower()).removesuffix(".")
    text = re.sub(r"^(?:between|from|du|entre)\s+", "", text)
    sides = re.split(r"\s+and\s+|\s+et\s+", text) if " and " in text or " et " in text else []
    if len(sides) != 2:
        sides = _RANGE.split(text)
    if len(sides) == 2:
        starts, ends = _single(sides[0]), _single(sides[1])
        return [f"{start}/{end}" for start in starts for end in ends if "/" not in start + end]
    return _single(text)


def date_guesses(text: str) -> list[str]:
    """The valid EDTF dates ``text`` probably means, most likely first (empty: no idea).

    A time of day is dropped (a When is a day at most); an ambiguous day and month
    give two guesses, day first then month first.
    """
    timed = _TIME.match(text.strip().lower())
    if timed is not None:
        text = timed["date"]
    return [guess for guess in dict.fromkeys(_dates(text)) if _valid(guess)]


def instant_guesses(text: str) -> list[str]:
    """The ISO 8601 instants ``text`` probably means, for ``--known-at`` (empty: no idea).

    A date stays a date (the end of that day, UTC); a month or a year becomes its
    last day; a time of day is kept, in ``T``-form, with its zone if one was given.
    """
    timed = _TIME.match(text.strip().lower())
    days = [
        When(guess).latest.isoformat()
        for guess in date_guesses(text)
        if "/" not in guess and guess[-1] not in "?~%"
    ]
    if timed is None:
        return days
    hours, _, rest = timed["time"].partition(":")
    time = f"{int(hours):02}:{rest}"
    zone = timed["zone"] or ""
    zone = "Z" if zone in ("z", "utc") else zone
    return [f"{day}T{time}{zone}" for day in days if len(day) == 10]


def _hint(text: str, guesses: list[str]) -> str:
    shown = [repr(guess) for guess in guesses if guess != text]
    return f"; did you mean {' or '.join(shown)}?" if shown else ""


def date_hint(text: str) -> str:
    """``"; did you mean '2021-05'?"`` for a refused date, or ``""`` without a guess."""
    return _hint(text, date_guesses(text))


def instant_hint(text: str) -> str:
    """Likewise for a refused ``--known-at`` instant."""
    return _hint(text, instant_guesses(text))
