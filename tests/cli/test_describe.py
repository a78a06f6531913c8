"""Events told in words for pages and timelines: a kind and a headline for every event type."""

from __future__ import annotations

import pytest
from hypothesis import given

from chronicle import Event, When
from chronicle._cli._describe import GROUPS, spoken, tell
from chronicle.politics import (
    AttackOccurred,
    CasualtiesReported,
    Count,
    CoupOccurred,
    ElectionHeld,
    ElectionPostponed,
    ElectionScheduled,
    ElectionVoided,
    HeadOfStateInstalled,
    HeadOfStateLeft,
    Officer,
    OfficersArrested,
    OfficersReleased,
    PartiesDissolved,
    PartiesRestored,
    PartiesSuspended,
)
from tests.domain import Appointed
from tests.strategies import events, whens

COLONEL = Officer(name="A. B.", rank="Colonel", branch="army")
TOLD = [
    (
        CoupOccurred(occurred="2020-08-18", successful=True, seized_by="X", ousted="Y"),
        "coup",
        "Coup: X seized power from Y",
    ),
    (CoupOccurred(occurred="1978-02-15", successful=False), "coup", "Failed coup attempt"),
    (
        HeadOfStateInstalled(occurred="2021", name="X", title="President"),
        "leader",
        "X becomes President",
    ),
    (HeadOfStateLeft(occurred="2021", name="X"), "leader", "X leaves office"),
    (
        ElectionScheduled(occurred="2020-09-12", office="president", for_date="2020-09-12/2022-03"),
        "vote",
        "The presidential election is set for a date between 12 Sep 2020 and Mar 2022",
    ),
    (
        ElectionPostponed(occurred="2023-09-25", office="legislature"),
        "vote",
        "The legislative election is postponed with no new date",
    ),
    (
        ElectionPostponed(occurred="2025", office="president", new_date="2027"),
        "vote",
        "The presidential election is postponed to 2027",
    ),
    (
        ElectionHeld(occurred="2019-03-24", office="executive"),
        "vote",
        "The executive election is held",
    ),
    (
        ElectionVoided(occurred="2012-04", office="referendum"),
        "vote",
        "The referendum is called off",
    ),
    (PartiesSuspended(occurred="2024-04", scope="all"), "parties", "Parties suspended: all"),
    (PartiesDissolved(occurred="2025-05-13", scope="all"), "parties", "Parties dissolved: all"),
    (PartiesRestored(occurred="2024-07", scope="all"), "parties", "Parties allowed again: all"),
    (
        OfficersArrested(occurred="2025-08", count=Count(45, "at least")),
        "arrest",
        "At least 45 officers arrested",
    ),
    (OfficersReleased(occurred="2025-09", officers=[COLONEL]), "arrest", "Officers released"),
    (
        AttackOccurred(
            occurred="2025-06-01",
            perpetrator="JNIM",
            place="Boulkessi",
            killed=Count(30, "more than"),
        ),
        "violence",
        "Attack by JNIM at Boulkessi: more than 30 killed",
    ),
    (
        CasualtiesReported(
            occurred="2025-08",
            period="2024",
            region="Sahel",
            killed=Count(7620),
            reported_by="ACLED",
        ),
        "violence",
        "ACLED counts 7,620 killed in Sahel, 2024",
    ),
]


class TestTell:
    @pytest.mark.parametrize(("event", "kind", "headline"), TOLD)
    def test_politics(self, event: Event, kind: str, headline: str) -> None:
        """Each politics event has its kind and its sentence."""
        told = tell(event)
        assert (kind, headline) == (told.kind, told.headline)

    def test_names_the_officers(self) -> None:
        """An arrest's details name the officers."""
        assert (
            "Colonel A. B." in tell(OfficersReleased(occurred="2025", officers=[COLONEL])).details
        )

    @given(events)
    def test_other_domains(self, event: Event) -> None:
        """An event of another domain is told by its type name, and its fields in the details."""
        told = tell(event)
        assert "other" == told.kind
        assert told.headline.startswith("test.")
        assert told.kind in GROUPS

    def test_other_fields(self) -> None:
        """The details of another domain's event list its fields, dates in words."""
        told = tell(Appointed(occurred="2021-06", office="mayor", name="Z"))
        assert ("test.appointed", "office: mayor; name: Z") == (told.headline, told.details)


class TestSpoken:
    @given(whens())
    def test_interval_by_its_sides(self, when: When) -> None:
        """An interval is said from its start to its end; anything else as a caption says it."""
        said = spoken(when)
        if when.is_interval:
            assert f"{spoken(when.start)} to {spoken(when.end)}" == said

    def test_approximate_and_uncertain(self) -> None:
        """~ reads "about", ? "(uncertain)"."""
        assert "about 2027" == spoken(When("2027~"))
        assert "Aug 2025 (uncertain)" == spoken(When("2025-08?"))
