"""Tests of chronicle._when: EDTF valid time."""

from __future__ import annotations

import copy
import datetime
import gc
import pickle
import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import edtf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle._errors import InvalidDate
from chronicle._when import When, _parse_general, _parse_uncached, to_when

if TYPE_CHECKING:
    import time

QUALIFIERS = ("", "?", "~", "%")
PRECISIONS = ("day", "month", "year")


def _format(day: date, precision: str, qualifier: str) -> str:
    """The EDTF text of ``day`` cut to ``precision``, followed by ``qualifier``."""
    length = {"day": 10, "month": 7, "year": 4}[precision]
    return day.isoformat()[:length] + qualifier


def edtf_strings() -> st.SearchStrategy[str]:
    """Canonical EDTF strings of the supported subset: days, months, years, qualified, intervals."""
    days = st.dates()
    precisions = st.sampled_from(PRECISIONS)
    qualifiers = st.sampled_from(QUALIFIERS)
    single = st.builds(_format, days, precisions, qualifiers)
    interval = st.builds(
        lambda a, b, pa, pb, qa, qb: f"{_format(min(a, b), pa, qa)}/{_format(max(a, b), pb, qb)}",
        days,
        days,
        precisions,
        precisions,
        qualifiers,
        qualifiers,
    )
    return st.one_of(single, interval)


def whens() -> st.SearchStrategy[When]:
    """Whens built from generated EDTF strings."""
    return edtf_strings().map(When)


def _day(moment: time.struct_time) -> date:
    """The date of a time.struct_time returned by the edtf package."""
    return date(moment.tm_year, moment.tm_mon, moment.tm_mday)


class TestParse:
    """When(text), When.parse and the other constructors."""

    @given(edtf_strings())
    def test_round_trip(self, text: str) -> None:
        """Printing a parsed canonical string gives the string back."""
        assert text == str(When(text))

    @pytest.mark.parametrize(
        ("text", "earliest", "latest", "precision", "uncertain", "approximate"),
        [
            ("2020-08-18", date(2020, 8, 18), date(2020, 8, 18), "day", False, False),
            ("2025-05", date(2025, 5, 1), date(2025, 5, 31), "month", False, False),
            ("2027", date(2027, 1, 1), date(2027, 12, 31), "year", False, False),
            ("2021-05?", date(2021, 5, 1), date(2021, 5, 31), "month", True, False),
            ("2020~", date(2020, 1, 1), date(2020, 12, 31), "year", False, True),
            ("2024-06-01%", date(2024, 6, 1), date(2024, 6, 1), "day", True, True),
            ("2024-01/2024-06", date(2024, 1, 1), date(2024, 6, 30), None, False, False),
            ("2020-08~/2021?", date(2020, 8, 1), date(2021, 12, 31), None, True, True),
            ("0001", date(1, 1, 1), date(1, 12, 31), "year", False, False),
            ("9999-12-31%", date(9999, 12, 31), date(9999, 12, 31), "day", True, True),
        ],
    )
    def test_examples(
        self,
        text: str,
        earliest: date,
        latest: date,
        precision: str | None,
        uncertain: bool,
        approximate: bool,
    ) -> None:
        """The documented examples have the expected bounds, precision and flags."""
        when = When(text)
        assert (earliest, latest, precision, uncertain, approximate) == (
            when.earliest,
            when.latest,
            when.precision,
            when.uncertain,
            when.approximate,
        )

    @given(edtf_strings())
    def test_parse_is_the_constructor(self, text: str) -> None:
        """When.parse(text) equals When(text)."""
        assert When(text) == When.parse(text)

    def test_parse_is_cached(self) -> None:
        """Parsing the same text twice gives the same shared object."""
        assert When.parse("2020-08-18") is When.parse("2020-08-18")

    @given(st.dates())
    def test_from_date(self, day: date) -> None:
        """A date is the day it names: equal to the parse of its isoformat."""
        assert When(day.isoformat()) == When(day)
        assert ("day", day, day) == (When(day).precision, When(day).earliest, When(day).latest)

    def test_from_when(self) -> None:
        """A When given to When() is returned as is (it is immutable)."""
        when = When("2020-08")
        assert when is When(when)

    def test_parse_rejects_non_str(self) -> None:
        """When.parse takes text only."""
        with pytest.raises(TypeError, match="takes a str"):
            When.parse(date(2020, 1, 1))  # type: ignore[arg-type]

    def test_rejects_datetime(self) -> None:
        """A datetime carries a time and a zone: refused, with a hint to pass its date."""
        with pytest.raises(TypeError, match=r"\.date\(\)"):
            When(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    @pytest.mark.parametrize("value", [3, 2020.0, None, b"2020", ["2020"]])
    def test_rejects_other_types(self, value: object) -> None:
        """A value of another Python type is a TypeError naming the type."""
        with pytest.raises(TypeError, match=type(value).__name__):
            When(value)  # type: ignore[arg-type]


class TestInvalid:
    """What is not EDTF of the supported subset is an InvalidDate quoting the input."""

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("2021-13", "month 13 does not exist"),
            ("2021-00", "month 00 does not exist"),
            ("2021-02-30", "no such day: 2021-02 has 28 days"),
            ("2023-02-29", "no such day"),
            ("2021-04-00", "no such day"),
            ("21-05", "year must be 4 digits"),
            ("20210", "year must be 4 digits"),
            ("", "empty"),
            ("2024-06/2024-01", "end '2024-01' precedes its start '2024-06'"),
            ("2020-05-10/2020-05-03", "precedes its start"),
            ("2020-8", "month must be 2 digits"),
            ("2020-08-1", "day must be 2 digits"),
            (" 2020", "whitespace"),
            ("2020\n", "whitespace"),
            ("2020 /2021", "whitespace"),
            ("2020/..", "open or unknown interval ends are not supported"),
            ("../2020", "open or unknown interval ends are not supported"),
            ("/2020", "open or unknown interval ends are not supported"),
            ("2020/", "open or unknown interval ends are not supported"),
            ("2020/2021/2022", "exactly one '/'"),
            ("0000", "year 0000 is not supported"),
            ("-2020", "negative and Y-prefixed years are not supported"),
            ("Y170000002", "negative and Y-prefixed years are not supported"),
            ("201X", "unspecified digits"),
            ("2020-XX", "unspecified digits"),
            ("2020-21", "season.*not supported"),
            ("2020-24", "season.*not supported"),
            ("2020-41", "season.*not supported"),
            ("2020-42", "month 42 does not exist"),
            ("2020-01-01T10:00", "times are not supported"),
            ("2020?~", "at most one qualifier"),
            ("?2020", "qualifier .* may only end the date"),
            ("2020?-05", "qualifier .* may only end the date"),
            ("2020-01-01-01", "YYYY-MM-DD"),
            ("\uff12\uff10\uff12\uff10", "year must be 4 digits"),
            ("2020-13/2021", "interval start '2020-13': month 13 does not exist"),
            ("2020/2021-02-29", "interval end '2021-02-29': no such day"),
            ("2020/2021-2", "interval end '2021-2': the month must be 2 digits"),
        ],
    )
    def test_rejected(self, text: str, reason: str) -> None:
        """The message quotes the input and says what is wrong with it."""
        with pytest.raises(InvalidDate, match=f"{re.escape(repr(text))}: .*{reason}"):
            When(text)

    def test_invalid_date_is_a_value_error(self) -> None:
        """InvalidDate can be caught as the ValueError it is."""
        with pytest.raises(ValueError, match="month 13"):
            When("2021-13")

    @given(
        st.text()
        | st.text(alphabet="0123456789-/?~%X.TY: ", max_size=25)
        | edtf_strings().flatmap(lambda s: st.integers(0, len(s)).map(lambda i: s[:i] + s[i + 1 :]))
    )
    def test_any_text_parses_or_is_invalid(self, text: str) -> None:
        """Any text parses to a When that prints it back, or is an InvalidDate quoting it."""
        try:
            when = When(text)
        except InvalidDate as error:
            message = str(error)
        else:
            assert text == str(when)
            assert when == When(str(when))
            return
        assert repr(text) in message

    @given(
        st.text(alphabet="0123456789-", min_size=10, max_size=10)
        | st.dates().map(date.isoformat)
        | st.tuples(
            st.dates().map(date.isoformat), st.integers(0, 9), st.sampled_from("0\u0661\uff12a+ -")
        ).map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + 1 :])
        | st.sampled_from(["0000-01-01", "2020-02-30", "2021-02-29", "2020-13-01", "2020-00-10"])
    )
    def test_the_day_shortcut_reads_as_the_general_parser(self, text: str) -> None:
        """Ten characters with hyphens at 4 and 7: the same When, or the same InvalidDate.

        ``date.fromisoformat`` reads the commonest texts, days; the general parser says
        what is wrong with those it refuses.
        """
        assert _outcome(_parse_uncached, text) == _outcome(_parse_general, text)


def _outcome(parse: Callable[[str], When], text: str) -> tuple[object, ...]:
    """Everything a When parsed from ``text`` holds, or the message of its refusal."""
    try:
        when = parse(text)
    except InvalidDate as error:
        return ("refused", str(error))
    return (
        str(when), hash(when), when.earliest, when.latest, when.key, when.precision,
        when.uncertain, when.approximate, when.is_interval, when.start is when,
    )  # fmt: skip


class TestBounds:
    """earliest, latest, precision and the qualifier flags."""

    @given(whens())
    def test_earliest_before_latest(self, when: When) -> None:
        """A When denotes at least one day."""
        assert when.earliest <= when.latest

    @given(whens())
    def test_interval_bounds(self, when: When) -> None:
        """An interval runs from its start's earliest to its end's latest day."""
        assert (when.start.earliest, when.end.latest) == (when.earliest, when.latest)
        if when.is_interval:
            neither = (False, False)
            assert neither == (when.start.is_interval, when.end.is_interval)
            assert f"{when.start}/{when.end}" == str(when)
        else:
            assert (when, when) == (when.start, when.end)

    @given(whens())
    def test_no_when_refers_to_itself(self, when: When) -> None:
        """A When is freed as soon as it is dropped: it holds no reference to itself.

        Replay pauses the cyclic collector, and a When dropped from the parse cache
        that referred to itself (as its own sides) was kept until the collector ran.
        """
        assert not any(referent is when for referent in gc.get_referents(when))

    @pytest.mark.parametrize(
        ("text", "latest"),
        [
            ("2024-02", date(2024, 2, 29)),
            ("2023-02", date(2023, 2, 28)),
            ("2000-02", date(2000, 2, 29)),
            ("1900-02", date(1900, 2, 28)),
            ("2024-12", date(2024, 12, 31)),
            ("2024-04", date(2024, 4, 30)),
        ],
    )
    def test_month_ends(self, text: str, latest: date) -> None:
        """A month ends on its last day, leap years included."""
        assert latest == When(text).latest

    def test_leap_day(self) -> None:
        """29 February exists in leap years only."""
        assert date(2024, 2, 29) == When("2024-02-29").earliest
        with pytest.raises(InvalidDate, match="2023-02-29"):
            When("2023-02-29")

    @given(st.dates(), st.sampled_from(PRECISIONS), st.sampled_from(QUALIFIERS[1:]))
    def test_qualifiers_do_not_widen(self, day: date, precision: str, qualifier: str) -> None:
        """A qualifier records doubt about the stated value; the bounds are the stated ones."""
        plain, qualified = (
            When(_format(day, precision, "")),
            When(_format(day, precision, qualifier)),
        )
        assert plain.key == qualified.key
        assert precision == qualified.precision

    @given(edtf_strings())
    def test_flags(self, text: str) -> None:
        """uncertain is any '?' or '%', approximate any '~' or '%', on either side."""
        when = When(text)
        expected = ("?" in text or "%" in text, "~" in text or "%" in text, "/" in text)
        assert expected == (when.uncertain, when.approximate, when.is_interval)

    @given(edtf_strings())
    def test_precision(self, text: str) -> None:
        """The precision is the stated one: day, month, year; None for an interval."""
        length = len(text.rstrip("?~%"))
        expected = None if "/" in text else {10: "day", 7: "month", 4: "year"}[length]
        assert expected == When(text).precision


class TestEdtfAgreement:
    """Agreement with the edtf package (the reference implementation)."""

    @given(edtf_strings())
    def test_edtf_accepts_and_prints_the_same(self, text: str) -> None:
        """Everything generated is accepted by edtf too, which prints it back the same."""
        assert text == str(edtf.parse_edtf(text))

    @given(edtf_strings())
    def test_bounds_are_the_strict_bounds(self, text: str) -> None:
        """earliest and latest are edtf's lower_strict and upper_strict (qualifiers ignored)."""
        theirs = edtf.parse_edtf(text)
        when = When(text)
        assert (_day(theirs.lower_strict()), _day(theirs.upper_strict())) == (
            when.earliest,
            when.latest,
        )

    @given(edtf_strings())
    def test_flags_agree(self, text: str) -> None:
        """uncertain and approximate agree with edtf, whose '%' sets only its third flag."""
        theirs = edtf.parse_edtf(text)
        both = theirs.is_uncertain_and_approximate
        expected = (theirs.is_uncertain or both, theirs.is_approximate or both)
        assert expected == (When(text).uncertain, When(text).approximate)

    def test_fuzzy_bounds_are_not_ours(self) -> None:
        """edtf's fuzzy bounds widen qualified dates; ours stay the stated ones."""
        theirs = edtf.parse_edtf("2020-08~")
        assert _day(theirs.lower_fuzzy()) < When("2020-08~").earliest


class TestBetween:
    """When.between(start, end)."""

    @given(edtf_strings().filter(lambda s: "/" in s))
    def test_is_the_parse_of_the_interval(self, text: str) -> None:
        """between(a, b) is When('a/b'), from strings or from Whens."""
        head, tail = text.split("/")
        assert When(text) == When.between(head, tail)
        assert When(text) == When.between(When(head), When(tail))

    def test_accepts_dates(self) -> None:
        """Dates are days."""
        assert When("2020-08-18/2021-03-04") == When.between(date(2020, 8, 18), date(2021, 3, 4))

    @pytest.mark.parametrize(("start", "end"), [("2020/2021", "2022"), ("2020", "2021/2022")])
    def test_rejects_interval_sides(self, start: str, end: str) -> None:
        """Each side is a day, a month or a year."""
        with pytest.raises(InvalidDate, match="is an interval"):
            When.between(start, end)

    def test_rejects_end_before_start(self) -> None:
        """The end may not precede the start."""
        with pytest.raises(InvalidDate, match=r"'2024-06/2024-01'.*precedes"):
            When.between("2024-06", "2024-01")


class TestOrder:
    """key, equality and the total order."""

    @given(whens())
    def test_key(self, when: When) -> None:
        """key is (latest, earliest)."""
        assert (when.latest, when.earliest) == when.key

    @given(st.lists(whens(), max_size=20))
    def test_sorting_agrees_with_key(self, values: list[When]) -> None:
        """Sorting Whens sorts them by key, then by text."""
        assert sorted(values, key=lambda w: (w.key, str(w))) == sorted(values)

    @given(whens(), whens())
    def test_total_order_consistent_with_equality(self, a: When, b: When) -> None:
        """Exactly one of a < b, a == b, a > b holds, and <= and >= agree with them."""
        one = 1
        assert one == [a < b, a == b, a > b].count(True)
        assert (a < b or a == b, a > b or a == b) == (a <= b, a >= b)
        assert (str(a) == str(b)) == (a == b)

    def test_imprecise_sorts_when_certain(self) -> None:
        """'In 2020' takes effect at the end of 2020, after 2020-08-18."""
        assert [When("2020-08-18"), When("2020")] == sorted([When("2020"), When("2020-08-18")])

    def test_other_types_do_not_compare(self) -> None:
        """A When is not equal to its text or date, and is not ordered against them."""
        assert When("2020-08-18") != "2020-08-18"
        assert When("2020-08-18") != date(2020, 8, 18)
        with pytest.raises(TypeError):
            _ = When("2020") < "2021"  # type: ignore[operator]


class TestPredicates:
    """certain_by, possible_by and membership of a day."""

    @given(whens(), st.dates())
    def test_predicates(self, when: When, day: date) -> None:
        """certain_by is latest <= day, possible_by earliest <= day, in is between both."""
        expected = (when.latest <= day, when.earliest <= day, when.earliest <= day <= when.latest)
        assert expected == (when.certain_by(day), when.possible_by(day), day in when)

    def test_month(self) -> None:
        """A month is possible from its first day, certain by its last."""
        may = When("2025-05")
        expected = (False, True, True)
        assert expected == (
            may.certain_by(date(2025, 5, 30)),
            may.possible_by(date(2025, 5, 1)),
            date(2025, 5, 31) in may,
        )


class TestValue:
    """Immutability, hashing, pickling, copying and repr."""

    @given(whens())
    def test_pickle(self, when: When) -> None:
        """A pickled When loads equal."""
        assert when == pickle.loads(pickle.dumps(when))

    @given(whens())
    def test_copy(self, when: When) -> None:
        """copy and deepcopy give an equal When."""
        assert (when, when) == (copy.copy(when), copy.deepcopy(when))

    @given(edtf_strings())
    def test_hash(self, text: str) -> None:
        """Equal values hash equal, even when parsed apart from the cache."""
        uncached = _parse_uncached(text)
        assert uncached is not When(text)
        assert hash(When(text)) == hash(uncached)
        assert [When(text)] == list({When(text), uncached})

    def test_equal_from_date_and_text(self) -> None:
        """A day built from a date and from text are equal, with equal hashes."""
        assert (When("2020-08-18"), hash(When("2020-08-18"))) == (
            When(date(2020, 8, 18)),
            hash(When(date(2020, 8, 18))),
        )

    @pytest.mark.parametrize("name", ["latest", "earliest", "key", "precision", "other"])
    def test_immutable(self, name: str) -> None:
        """Attributes cannot be set, deleted or added."""
        when = When("2020-08")
        with pytest.raises(AttributeError, match="immutable"):
            setattr(when, name, date(2020, 1, 1))
        with pytest.raises(AttributeError, match="immutable"):
            delattr(when, name)
        assert date(2020, 8, 31) == when.latest

    def test_repr(self) -> None:
        """repr is the constructor call."""
        expected = "When('2020-08~/2021?')"
        assert expected == repr(When("2020-08~/2021?"))

    def test_not_subclassable(self) -> None:
        """When is final: values are shared, a subclass could not be."""
        with pytest.raises(TypeError, match="final"):
            type("Sub", (When,), {})


class TestToWhen:
    """to_when, the attrs converter."""

    def test_returns_a_when_itself(self) -> None:
        """A When passes through unchanged."""
        when = When("2020")
        assert when is to_when(when)

    @pytest.mark.parametrize("value", ["2020-08-18", date(2020, 8, 18)])
    def test_converts(self, value: str | date) -> None:
        """Text and dates are converted."""
        assert When("2020-08-18") == to_when(value)

    def test_rejects_invalid(self) -> None:
        """Invalid text is an InvalidDate."""
        with pytest.raises(InvalidDate, match="'2021-13'"):
            to_when("2021-13")
