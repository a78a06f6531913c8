"""A hypothesis strategy for valid times: every EDTF form that :class:`~chronicle.When` reads."""

from __future__ import annotations

import datetime
from collections.abc import Collection

import attrs
from hypothesis import strategies as st

from chronicle._errors import InvalidDate
from chronicle._when import Precision, When

__all__ = ["PRECISIONS", "QUALIFIERS", "whens"]

PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")
"""The precisions of a day, a month and a year, finest first."""
QUALIFIERS = ("", "?", "~", "%")
"""No qualifier, uncertain, approximate, both."""

_LENGTH = {"day": 10, "month": 7, "year": 4}


def _period(day: datetime.date, precision: Precision) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the day, month or year containing ``day``."""
    when = When(day.isoformat()[: _LENGTH[precision]])
    return when.earliest, when.latest


def _fitting(
    day: datetime.date,
    precision: Precision,
    low: datetime.date,
    high: datetime.date,
) -> Precision:
    """``precision``, or the next finer one whose period around ``day`` fits in [low, high]."""
    for finer in PRECISIONS[: PRECISIONS.index(precision) + 1][::-1]:
        first, last = _period(day, finer)
        if low <= first and last <= high:
            return finer
    return "day"


@attrs.frozen
class _Forms:
    """What a draw of a When needs, made once per call of :func:`whens`.

    A form is a (precision, qualifier, interval) triple, drawn in one choice: a value
    costs two choices (a day and a form), an interval four, and shrinking goes to the
    first form, a plain day.
    """

    low: datetime.date
    high: datetime.date
    days: st.SearchStrategy[datetime.date]
    forms: st.SearchStrategy[tuple[Precision, str, bool]]
    sides: st.SearchStrategy[tuple[Precision, str, bool]]

    def side(self, day: datetime.date, form: tuple[Precision, str, bool]) -> str:
        """The EDTF text of the day, month or year around ``day``, inside the bounds."""
        precision, qualifier, _ = form
        fitted = _fitting(day, precision, self.low, self.high)
        return day.isoformat()[: _LENGTH[fitted]] + qualifier


@st.composite
def _whens(draw: st.DrawFn, forms: _Forms) -> When:
    first, form = draw(forms.days), draw(forms.forms)
    if not form[2]:
        return When(forms.side(first, form))
    # The end side holds a day on or after one the start side holds: a valid interval.
    last, end = draw(forms.days), draw(forms.sides)
    first, last = sorted((first, last))
    return When(f"{forms.side(first, form)}/{forms.side(last, end)}")


def whens(
    min_value: datetime.date = datetime.date.min,
    max_value: datetime.date = datetime.date.max,
    *,
    precisions: Collection[Precision] = PRECISIONS,
    qualified: bool = True,
    intervals: bool = True,
) -> st.SearchStrategy[When]:
    """Valid times: days, months and years, qualified or not, and intervals of them.

    Every value lies inside the bounds: its ``earliest`` is on or after
    ``min_value`` and its ``latest`` on or before ``max_value``. A month or a year
    that would stick out of the bounds is drawn as the finer month or day around
    the same day instead, so narrow bounds still give valid values.

    Args:
        min_value: The first day a value may denote.
        max_value: The last day a value may denote.
        precisions: Which of ``"day"``, ``"month"`` and ``"year"`` to draw.
        qualified: Also draw the qualifiers ``?``, ``~`` and ``%``.
        intervals: Also draw intervals ``A/B`` (each side a day, month or year).

    Raises:
        InvalidDate: ``max_value`` is before ``min_value``, or ``precisions`` is empty
            or names something other than a day, a month or a year.

    Example::

        @given(whens(datetime.date(1960, 1, 1), datetime.date(2030, 12, 31)))
        def test_bounds(when):
            assert when.earliest <= when.latest
    """
    if max_value < min_value:
        raise InvalidDate(f"whens(): max_value {max_value} is before min_value {min_value}")
    chosen = tuple(p for p in PRECISIONS if p in precisions)
    unknown = set(precisions) - set(PRECISIONS)
    if unknown or not chosen:
        raise InvalidDate(
            f"whens(): precisions must be some of {PRECISIONS}, not {tuple(precisions)!r}"
        )
    qualifiers = QUALIFIERS if qualified else ("",)
    sides = [(p, q, False) for p in chosen for q in qualifiers]
    forms = sides + ([(p, q, True) for p in chosen for q in qualifiers] if intervals else [])
    return _whens(
        _Forms(
            min_value,
            max_value,
            st.dates(min_value, max_value),
            st.sampled_from(forms),
            st.sampled_from(sides),
        )
    )
