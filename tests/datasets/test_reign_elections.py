"""Importing REIGN's election list: each labelled event of an election, or a reason why not."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import Event, Log, When
from chronicle.datasets import Span, StateCodes, import_reign_elections
from chronicle.datasets._reign_elections import KINDS
from chronicle.politics import (
    ElectionHeld,
    ElectionPostponed,
    ElectionScheduled,
    ElectionVoided,
    PromisedElection,
)
from tests.datasets.files import csv_bytes, data_file, file_examples, needs_data

HEADER = (
    "ccode",
    "electionnumber",
    "country",
    "elec_year",
    "elec_month",
    "elec_day",
    "sequence",
    "event",
    "elecnum",
    "type",
)
STATES = StateCodes({432: (Span("MLI", datetime.date(1960, 9, 22), None),)})


def election(*events: tuple[str, str, str, str], contest: str = "X", number: int = 1):
    """Rows of one Malian election: (year, month, day, label) per event, in sequence."""
    return [
        ("432", str(number), "Mali", y, m, d, str(seq), label, str(432000 + number), contest)
        for seq, (y, m, d, label) in enumerate(events, 1)
    ]


def run(rows) -> tuple[Log, object]:
    log = Log()
    with data_file(csv_bytes([HEADER, *rows])) as path:
        report = import_reign_elections(path, log, states=STATES)
    return log, report


def events_of(log: Log) -> list[Event]:
    return [record.event for record in log.read()]  # type: ignore[misc]


class TestLabels:
    @pytest.mark.parametrize(
        ("label", "kind"),
        [
            ("Vote, As Scheduled", ElectionHeld),
            ("Vote, Early", ElectionHeld),
            ("Voided", ElectionVoided),
            ("Voided by Regime Change", ElectionVoided),
            ("Anulled", ElectionVoided),
            ("Delay Announced", ElectionPostponed),
            ("Deadline Not Met", ElectionPostponed),
        ],
    )
    def test_a_label_of_its_own_maps_to_its_event_on_the_rows_date(self, label, kind) -> None:
        """Votes, voidings, delays and missed deadlines are events dated as their row."""
        log, _ = run(election(("1992", "4", " ", label)))
        (event,) = events_of(log)
        assert (kind, When("1992-04"), "executive") == (type(event), event.occurred, event.office)

    def test_an_announcement_is_a_schedule_for_the_vote_that_follows(self) -> None:
        """An announcement promises the date of the election's next row, a vote."""
        log, _ = run(election(("1992", "1", "", "Announced"), ("1992", "4", "12", "Vote, Early")))
        scheduled, held = events_of(log)
        assert (
            ElectionScheduled(
                occurred="1992-01",
                office="executive",
                for_date="1992-04-12",
                sources=scheduled.sources,
            )
            == scheduled
        )
        assert "the date announced is that of the 'Vote, Early' of row 2" == (
            scheduled.sources[0].note
        )
        assert When("1992-04-12") == held.occurred

    def test_an_announcement_followed_by_no_vote_is_skipped_saying_why(self) -> None:
        """An announcement whose vote is delayed states no date: skipped, with the reason."""
        _, report = run(
            election(("1994", "12", "", "Announced"), ("1995", "5", "", "Delay Announced"))
        )
        assert [
            "'Announced' states no date for the vote: the election's next row is "
            "'Delay Announced' (row 2)"
        ] == [skip.reason for skip in report.skipped]

    def test_upcoming_votes_are_dated_to_the_release(self) -> None:
        """An upcoming vote is a schedule made by the release; a deadline, a window up to it."""
        log, _ = run(
            [
                *election(("2023", "7", "29", "Upcoming, Scheduled")),
                *election(("2024", "4", "", "Upcoming, Deadline"), contest="L", number=2),
            ]
        )
        scheduled, due = events_of(log)
        assert (When("2021-03"), When("2023-07-29")) == (scheduled.occurred, scheduled.for_date)
        assert (When("2021-03"), When("2021-03/2024-04")) == (due.occurred, due.for_date)
        assert "legislature" == due.office

    def test_an_upcoming_vote_already_past_at_the_release_is_skipped(self) -> None:
        """A vote listed as upcoming but dated before the release cannot be true: skipped."""
        _, report = run(election(("2019", "12", "29", "Upcoming, Scheduled")))
        assert report.skipped[0].reason.startswith(
            "the event would not be true: ElectionScheduled: for_date 2019-12-29"
        )

    @pytest.mark.parametrize("label", ["Deadline Met", "Regime Failure"])
    def test_rows_that_are_not_events_of_the_election_are_skipped(self, label) -> None:
        """'Deadline Met' and 'Regime Failure' map to no event, and the report says why."""
        log, report = run(election(("1968", "11", "", label)))
        assert (0, 1) == (log.head, len(report.skipped))
        assert report.skipped[0].reason.startswith(f"'{label}'")

    @file_examples
    @given(
        st.sampled_from(KINDS),
        st.sampled_from(["upper", "lower", "pad", "comma", "same"]),
    )
    def test_variant_spellings_map_as_the_label_and_are_noted(self, kind, how) -> None:
        """A label spelt another way maps as the label itself, with a note quoting it."""
        variant = {
            "upper": kind.upper(),
            "lower": kind.lower(),
            "pad": f" {kind}  ",
            "comma": kind.replace(",", "").replace(" ", ", ", 1),
            "same": kind,
        }[how]
        log, report = run(election(("2030", "1", "", variant)))
        canonical_log, canonical = run(election(("2030", "1", "", kind)))
        assert [type(e) for e in events_of(canonical_log)] == [type(e) for e in events_of(log)]
        assert [s.reason for s in canonical.skipped] == [s.reason for s in report.skipped]
        imported = not report.skipped
        noted = imported and variant != kind
        expected = [f"event {variant!r} read as {kind!r}"] if noted else []
        assert expected == [note.note for note in report.notes]

    def test_shortened_labels_read_as_the_full_label(self) -> None:
        """'Announcement' reads as 'Announced' and 'Delay' as 'Delay Announced', noted."""
        log, report = run(election(("2018", "7", "27", "Delay")))
        assert [ElectionPostponed] == [type(e) for e in events_of(log)]
        assert ["event 'Delay' read as 'Delay Announced'"] == [n.note for n in report.notes]

    def test_an_unknown_label_is_skipped_quoting_it(self) -> None:
        """A label the list does not use is skipped, never guessed."""
        _, report = run(election(("2018", "7", "27", "Postponed")))
        assert ["event 'Postponed' is not a known label"] == [s.reason for s in report.skipped]


@needs_data
class TestRealElectionFile:
    def test_every_row_is_accounted_for(self, imported) -> None:
        """Rows read = imported + skipped, every skipped row has a reason, and nothing is lost."""
        report = imported.elections
        assert 4351 == report.rows_read == report.imported + len(report.skipped)
        assert all(skip.reason for skip in report.skipped)
        assert report.appended == report.imported

    def test_the_data_defects_are_in_the_report(self, imported) -> None:
        """Malawi's wrong code (533) and the 31 November are skipped, named by row."""
        reasons = {skip.row: skip.reason for skip in imported.elections.skipped}
        assert "ccode 533 (Malawi) is not a state code of the REIGN leader list" == reasons[2484]
        assert reasons[3516].startswith("date 2025-11-31 is not a date")

    def test_malis_next_vote_is_the_one_reign_lists(self, imported) -> None:
        """REIGN's March 2021 release has Mali's presidential vote promised for 29 July 2023."""
        elections = imported.log.read("MLI")
        drift = PromisedElection.fold(
            record.event for record in elections if isinstance(record.event, Event)
        )["executive"]
        assert When("2023-07-29") == drift.current
