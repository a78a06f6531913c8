"""Powell & Thyne's successful coups against REIGN's changes of leader."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from chronicle import Log, Retracted, When
from chronicle.datasets import coup_leader_changes
from chronicle.datasets._powell_thyne import powell_thyne
from chronicle.datasets._reign_leaders import reign_leaders
from chronicle.politics import CoupOccurred, HeadOfStateInstalled
from tests.datasets.files import needs_data

COUPS = powell_thyne("V2023.09.08")
LEADERS = reign_leaders("2021-08")
COUP_DAY = datetime.date(2000, 6, 15)
UNTIL = datetime.date(2021, 6, 30)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "datasets.md"


def coup(day: datetime.date, *, successful: bool = True, row: int = 1) -> CoupOccurred:
    return CoupOccurred(occurred=day, successful=successful, sources=(COUPS.source(row),))


def start(day: datetime.date, name: str = "New", row: int = 1) -> HeadOfStateInstalled:
    return HeadOfStateInstalled(
        occurred=day, name=name, title="leader", sources=(LEADERS.source(row),)
    )


class TestCoupLeaderChanges:
    @given(st.integers(-30, 30), st.integers(0, 14))
    def test_a_coup_agrees_when_a_leader_starts_within_the_window(self, offset, within) -> None:
        """A REIGN start 0 to ``within`` days after the coup agrees; any other does not."""
        log = Log()
        log.append("S", [coup(COUP_DAY), start(COUP_DAY + datetime.timedelta(days=offset))])
        (check,) = coup_leader_changes(log, until=UNTIL, within=within).checks
        assert (0 <= offset <= within, offset, "New") == (check.agrees, check.days, check.leader)

    @given(st.integers(1, 20), st.integers(0, 7))
    def test_a_start_in_the_window_wins_over_a_nearer_one_before(self, before, after) -> None:
        """A leader starting the day before does not hide the new one within the window."""
        log = Log()
        log.append(
            "S",
            [
                start(COUP_DAY - datetime.timedelta(days=before), "Old", 1),
                coup(COUP_DAY),
                start(COUP_DAY + datetime.timedelta(days=after), "New", 2),
            ],
        )
        (check,) = coup_leader_changes(log, until=UNTIL).checks
        assert (True, "New", after) == (check.agrees, check.leader, check.days)

    def test_only_successful_cited_coups_in_the_period_count(self) -> None:
        """Failed coups, coups of other sources and coups outside the period are left out."""
        log = Log()
        other = CoupOccurred(occurred=COUP_DAY, successful=True, seized_by="X")
        log.append(
            "S",
            [
                coup(COUP_DAY, successful=False),
                other,
                coup(datetime.date(2021, 9, 5), row=2),
                coup(datetime.date(1949, 12, 31), row=3),
                coup(COUP_DAY, row=4),
            ],
        )
        result = coup_leader_changes(log, until=UNTIL)
        assert [4] == [check.coup_row.row for check in result.checks]

    def test_a_state_reign_does_not_list_is_a_disagreement(self) -> None:
        """A coup in a stream with no REIGN start disagrees, and says so."""
        log = Log()
        log.append("S", [coup(COUP_DAY)])
        log.append("T", [start(COUP_DAY)])
        result = coup_leader_changes(log, until=UNTIL)
        assert (0.0, None) == (result.share, result.checks[0].leader)
        assert "S coup 2000-06-15 (row 1): REIGN lists no leader for this state" == str(
            result.disagreements[0]
        )

    def test_a_retracted_coup_is_not_checked(self) -> None:
        """The check reads the log as corrected: a retracted coup is gone."""
        log = Log()
        (record,) = log.append("S", [coup(COUP_DAY)])
        log.append("S", [Retracted(target=record.id, reason="not a coup")])
        assert () == coup_leader_changes(log, until=UNTIL).checks


@needs_data
class TestRealData:
    def test_mali_2021_agrees_three_days_apart(self, imported) -> None:
        """P&T's 21 May 2021 coup is followed by REIGN's Goita from 24 May: +3 days, agreeing."""
        result = coup_leader_changes(imported.log, until=UNTIL)
        (mali,) = [c for c in result.checks if c.stream == "MLI" and c.coup == When("2021-05-21")]
        assert (True, 3, "Assimi Goita") == (mali.agrees, mali.days, mali.leader)

    def test_the_figure_in_the_docs_is_the_computed_one(self, imported) -> None:
        """docs/datasets.md states the share the data gives, and lists every disagreement."""
        result = coup_leader_changes(imported.log, until=UNTIL)
        text = DOCS.read_text(encoding="utf-8")
        stated = re.search(r"(\d+) of the (\d+) successful coups", text)
        assert stated is not None
        assert (len(result.agreements), len(result.checks)) == tuple(map(int, stated.groups()))
        for check in result.disagreements:
            assert str(check) in text
