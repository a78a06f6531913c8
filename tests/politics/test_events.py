"""The politics events: the rules checked at construction, and the stored form."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import chronicle
from chronicle import CorruptLog, Event, InvalidEvent, When
from chronicle.politics import (
    QUALIFIERS,
    AttackOccurred,
    CasualtiesReported,
    Count,
    CoupOccurred,
    ElectionPostponed,
    ElectionScheduled,
    HeadOfStateInstalled,
    Officer,
    OfficersArrested,
    OfficersReleased,
    PartiesDissolved,
)
from chronicle.testing.politics import STRATEGIES, counts, officers, people
from chronicle.testing.politics import political_events as events
from tests.strategies import whens


def valid(kind: type[Event], **fields: Any) -> bool:
    """Whether ``kind(**fields)`` is accepted (False if it raises InvalidEvent)."""
    try:
        kind(**fields)
    except InvalidEvent:
        return False
    return True


DEMBELE = Officer(name="Abass Dembélé", rank="General")
SAGARA = Officer(name="Néma Sagara", rank="Brigadier General", branch="air force")


class TestCount:
    def test_str_reads_as_reported(self) -> None:
        """A count prints as the source said it."""
        expected = ["7,620", "at least 45", "more than 30"]
        actual = [str(Count(7620)), str(Count(45, "at least")), str(Count(30, "more than"))]
        assert expected == actual

    @given(st.integers(0, 10**6))
    def test_minimum(self, value: int) -> None:
        """ "more than n" allows n + 1 at least; "exactly" and "at least" allow n."""
        expected = (value, value, value + 1)
        assert expected == tuple(Count(value, q).minimum for q in QUALIFIERS)

    @pytest.mark.parametrize("value", [-1, 2.5, True, "45"])
    def test_rejects_a_value_that_is_no_head_count(self, value: object) -> None:
        """A negative, fractional, boolean or text value is refused, naming the value."""
        with pytest.raises(InvalidEvent, match=r"Count\.value must be a whole number"):
            Count(value)  # type: ignore[arg-type]

    def test_rejects_an_unknown_qualifier(self) -> None:
        """A qualifier outside the three is refused, naming it."""
        with pytest.raises(InvalidEvent, match="'about'"):
            Count(100, "about")  # type: ignore[arg-type]

    @given(counts, counts)
    def test_sum_is_at_least_the_sum_of_minima(self, first: Count, second: Count) -> None:
        """Adding counts adds their minima; the sum is exact only when both are."""
        assume(Count(0) not in (first, second))
        total = first + second
        expected = (first.minimum + second.minimum, first.exact and second.exact)
        assert expected == (total.minimum, total.exact)
        assert total == Count(total.value, total.qualifier)  # made unchecked, passes the checks

    @given(counts)
    def test_exact_zero_adds_nothing(self, count: Count) -> None:
        """An exact zero is the identity of addition: "more than 30" stays "more than 30"."""
        assert (count, count) == (count + Count(0), Count(0) + count)


class TestOfficer:
    def test_str(self) -> None:
        """An officer prints as rank, name and, when known, branch."""
        expected = ["General Abass Dembélé", "Brigadier General Néma Sagara, air force"]
        assert expected == [str(DEMBELE), str(SAGARA)]

    @pytest.mark.parametrize("field", ["name", "rank"])
    def test_rejects_an_empty_name_or_rank(self, field: str) -> None:
        """An officer needs a name and a rank; the error names the field."""
        fields = {"name": "Néma Sagara", "rank": "General", field: "  "}
        with pytest.raises(InvalidEvent, match=f"Officer.{field} must be a non-empty string"):
            Officer(**fields)

    @pytest.mark.parametrize("branch", [5, None, ["army"]])
    def test_rejects_a_branch_that_is_no_string(self, branch: object) -> None:
        """A branch that is not a string is refused at construction, as decoding refuses it.

        Before, ``Officer(branch=5)`` was made and stored, and its log no longer read.
        """
        with pytest.raises(InvalidEvent, match=r"Officer\.branch must be str"):
            Officer(name="Néma Sagara", rank="General", branch=branch)  # type: ignore[arg-type]


class TestCoupOccurred:
    @given(whens(), people, st.booleans())
    def test_nobody_ousts_themselves(self, when: When, name: str, successful: bool) -> None:
        """A coup whose leader is also the one ousted is refused."""
        with pytest.raises(InvalidEvent, match="cannot both oust and be ousted"):
            CoupOccurred(occurred=when, ousted=name, seized_by=name, successful=successful)

    def test_successful_must_be_a_boolean(self) -> None:
        """successful=1 or "yes" is refused: the outcome is True or False."""
        with pytest.raises(InvalidEvent, match="successful must be True or False"):
            CoupOccurred(occurred="2020", ousted="A", seized_by="B", successful="yes")  # type: ignore[arg-type]

    @pytest.mark.parametrize("field", ["ousted", "seized_by"])
    def test_blank_names_are_refused(self, field: str) -> None:
        """A name of blanks alone is refused, naming the field."""
        fields = {"ousted": "A", "seized_by": "B", field: "  "}
        with pytest.raises(InvalidEvent, match=f"CoupOccurred.{field}"):
            CoupOccurred(occurred="2020", successful=True, **fields)


class TestHeadOfStateInstalled:
    @pytest.mark.parametrize("field", ["name", "title"])
    def test_name_and_title_are_required(self, field: str) -> None:
        """A head of state has a name and a title."""
        fields = {"name": "Bah N'Daw", "title": "President of the Transition", field: "\t"}
        with pytest.raises(InvalidEvent, match=f"HeadOfStateInstalled.{field}"):
            HeadOfStateInstalled(occurred="2020-09-25", **fields)


class TestElectionScheduled:
    @given(whens(), whens())
    def test_not_scheduled_for_the_past(self, occurred: When, for_date: When) -> None:
        """A schedule is valid exactly when its date can fall on or after the day it was made."""
        expected = for_date.latest >= occurred.earliest
        assert expected == valid(
            ElectionScheduled, occurred=occurred, office="president", for_date=for_date
        )

    def test_a_window_is_a_date(self) -> None:
        """ "Within 18 months" is an interval promised as a whole."""
        event = ElectionScheduled(
            occurred="2020-09-12", office="president", for_date="2020-09-12/2022-03"
        )
        assert "2022-03-31" == str(event.for_date.latest)


class TestElectionPostponed:
    @given(whens(), st.none() | whens(), st.none() | whens())
    def test_rules(self, occurred: When, new_date: When | None, replaces: When | None) -> None:
        """Valid exactly when the new date is not wholly past and can fall after the old one."""
        expected = new_date is None or (
            new_date.latest >= occurred.earliest
            and (replaces is None or new_date.latest > replaces.earliest)
        )
        assert expected == valid(
            ElectionPostponed,
            occurred=occurred,
            office="president",
            new_date=new_date,
            replaces=replaces,
        )

    def test_not_to_the_same_day(self) -> None:
        """Postponing the vote of 27 February 2022 to 27 February 2022 is refused."""
        with pytest.raises(InvalidEvent, match="cannot fall after the date it replaces"):
            ElectionPostponed(
                occurred="2021-12", office="president", new_date="2022-02-27", replaces="2022-02-27"
            )

    def test_indefinitely(self) -> None:
        """A postponement may give no new date."""
        event = ElectionPostponed(occurred="2023-09-25", office="president", replaces="2024-02-04")
        assert event.new_date is None


@pytest.mark.parametrize("kind", [OfficersArrested, OfficersReleased])
class TestOfficersArrestedAndReleased:
    def test_not_of_nobody(self, kind: type[OfficersArrested]) -> None:
        """An arrest or release with neither names nor a count concerns nobody: refused."""
        with pytest.raises(InvalidEvent, match="names no officer and gives no count"):
            kind(occurred="2025-08")

    @pytest.mark.parametrize("count", [Count(0), Count(0, "at least")])
    def test_not_of_zero(self, kind: type[OfficersArrested], count: Count) -> None:
        """A count that allows zero people concerns nobody: refused."""
        with pytest.raises(InvalidEvent, match="concerns nobody"):
            kind(occurred="2025-08", count=count)

    def test_names_once(self, kind: type[OfficersArrested]) -> None:
        """Naming one officer twice is refused, naming the officer."""
        with pytest.raises(InvalidEvent, match="'Abass Dembélé' more than once"):
            kind(occurred="2025-08", officers=[DEMBELE, DEMBELE])

    def test_exact_count_covers_the_named(self, kind: type[OfficersArrested]) -> None:
        """ "Exactly 1" with two named officers is a contradiction: refused."""
        with pytest.raises(InvalidEvent, match="fewer than the 2 officers it names"):
            kind(occurred="2025-08", officers=[DEMBELE, SAGARA], count=Count(1))

    def test_reported_total_apart_from_names(self, kind: type[OfficersArrested]) -> None:
        """ "At least 45, two of them named" keeps both facts."""
        event = kind(occurred="2025-08", officers=[DEMBELE, SAGARA], count=Count(45, "at least"))
        assert ((DEMBELE, SAGARA), 45) == (event.officers, event.count.minimum)  # type: ignore[union-attr]

    def test_officers_are_officers(self, kind: type[OfficersArrested]) -> None:
        """A bare name where an Officer is expected is refused."""
        with pytest.raises(InvalidEvent, match="officers must be Officer values"):
            kind(occurred="2025-08", officers=["Abass Dembélé"])  # type: ignore[list-item]


class TestAttackOccurred:
    def test_killed_is_a_count(self) -> None:
        """A toll is a Count (how the source bounded it), not a bare number."""
        with pytest.raises(InvalidEvent, match=r"AttackOccurred\.killed must be a Count"):
            AttackOccurred(occurred="2025-06-01", perpetrator="JNIM", place="Boulkessi", killed=30)  # type: ignore[arg-type]


class TestCasualtiesReported:
    @given(whens(), whens())
    def test_not_reported_before_the_period_ends(self, occurred: When, period: When) -> None:
        """A figure is valid exactly when it may have been reported after its period's end."""
        expected = occurred.latest >= period.latest
        assert expected == valid(
            CasualtiesReported,
            occurred=occurred,
            period=period,
            region="Sahel",
            killed=Count(7620),
            reported_by="ACLED",
        )

    def test_killed_is_required(self) -> None:
        """A casualty report without a figure is refused."""
        with pytest.raises(InvalidEvent, match="killed must be a Count"):
            CasualtiesReported(
                occurred="2025",
                period="2024",
                region="Sahel",
                killed=None,
                reported_by="ACLED",  # type: ignore[arg-type]
            )


class TestStoredForm:
    def test_every_type_is_registered_under_politics(self) -> None:
        """Each politics event is registered as politics.<snake_case name>, version 1."""
        names = {kind: chronicle.event_type(kind).name for kind in STRATEGIES}
        assert all(name.startswith("politics.") for name in names.values())
        assert {
            ("politics.coup_occurred", 1),
            ("politics.head_of_state_installed", 1),
            ("politics.officers_arrested", 1),
            ("politics.casualties_reported", 1),
        } <= {(t.name, t.version) for t in map(chronicle.event_type, STRATEGIES)}

    @given(events)
    def test_round_trip(self, event: Event) -> None:
        """Every event decodes from its stored form, through JSON text, to an equal event."""
        stored = json.loads(json.dumps(chronicle.encode(event), ensure_ascii=False))
        assert event == chronicle.decode(stored, strict=True)

    @given(officers)
    def test_counts_and_officers_are_plain_json(self, officer: Officer) -> None:
        """A count and an officer are stored as small JSON objects anyone can read."""
        event = OfficersArrested(
            occurred="2025-08", officers=[officer], count=Count(45, "at least")
        )
        data = chronicle.encode(event)["data"]
        expected = {"value": 45, "qualifier": "at least"}
        assert (expected, officer.name) == (data["count"], data["officers"][0]["name"])

    def test_a_stored_event_that_breaks_a_rule_is_corrupt(self) -> None:
        """Reading back an arrest of nobody raises CorruptLog naming the rule."""
        stored = {"type": "politics.officers_arrested", "v": 1, "data": {"occurred": "2025"}}
        with pytest.raises(CorruptLog, match="names no officer"):
            chronicle.decode(stored)

    def test_dissolution_keeps_its_scope(self) -> None:
        """A dissolution's scope is stored as written."""
        event = PartiesDissolved(occurred="2025-05", scope="all political parties")
        assert {"occurred": "2025-05", "scope": "all political parties"} == (
            chronicle.encode(event)["data"]
        )
