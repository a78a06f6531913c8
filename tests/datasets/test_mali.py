"""Mali from the datasets (stream MLI) against the hand-written chronology (examples/mali.jsonl).

They overlap from the chronology's first event (Keïta's installation, 4 September
2013) to the last month the leader list covers (July 2021). Where the chronology
cites Powell & Thyne or REIGN, the datasets' stream says the same; elsewhere the
two disagree only on the days around the coups, and docs/datasets.md lists every
one of those differences.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

import chronicle
from chronicle import Log, history, timeline
from chronicle.datasets import compare_streams
from chronicle.politics import CoupOccurred, HeadOfState, HeadOfStateInstalled
from tests.datasets.files import needs_data

ROOT = Path(__file__).resolve().parents[2]
CHRONOLOGY = ROOT / "examples" / "mali.jsonl"
DOCS = ROOT / "docs" / "datasets.md"
END = datetime.date(2021, 7, 31)
"""The last month the REIGN leader list covers (its release is of August 2021)."""
SPELLING = {
    "Keita": "Ibrahim Boubacar Keïta",
    "Assimi Goita": "Assimi Goïta",
    "Ba N'Daou": "Bah N'Daw",
}
"""REIGN's spelling of a Malian leader of the overlap -> the chronology's."""


@pytest.fixture(scope="module")
def mali() -> Iterator[Log]:
    """The hand-written chronology, opened read-only as chronicle.open opens any log."""
    with chronicle.open(CHRONOLOGY) as log:
        yield log


def cites(event: chronicle.Event, publisher: str) -> bool:
    return any(source.publisher == publisher for source in event.sources)


@needs_data
class TestMaliAgainstTheDatasets:
    def test_the_coups_the_chronology_takes_from_powell_thyne_are_in_mli(
        self, mali, imported
    ) -> None:
        """Each coup the chronology cites to Powell & Thyne is in MLI, same day, same outcome."""
        ours = {
            (o.event.occurred, o.event.successful)
            for o in timeline(mali, stream="mali")
            if isinstance(o.event, CoupOccurred)
            and cites(o.event, "Jonathan M. Powell and Clayton L. Thyne")
        }
        theirs = {
            (o.event.occurred, o.event.successful)
            for o in timeline(imported.log, stream="MLI")
            if isinstance(o.event, CoupOccurred)
        }
        assert ours
        assert ours <= theirs

    def test_the_installations_the_chronology_takes_from_reign_are_in_mli(
        self, mali, imported
    ) -> None:
        """Each installation citing REIGN is REIGN's start, same day, name spelt REIGN's way."""
        ours = {
            (o.event.occurred, o.event.name)
            for o in timeline(mali, stream="mali")
            if isinstance(o.event, HeadOfStateInstalled) and cites(o.event, "One Earth Future")
        }
        theirs = {
            (o.event.occurred, SPELLING.get(o.event.name, o.event.name))
            for o in timeline(imported.log, stream="MLI")
            if isinstance(o.event, HeadOfStateInstalled)
        }
        assert ours
        assert ours <= theirs

    def test_heads_of_state_differ_only_around_coups_as_documented(self, mali, imported) -> None:
        """Day by day, they name the same head except within days of a coup; docs list each."""
        start = history(mali, HeadOfState, stream="mali")[0][0].latest
        comparison = compare_streams(
            mali,
            imported.log,
            left_stream="mali",
            right_stream="MLI",
            start=start,
            end=END,
            names=SPELLING,
        )
        coups = [
            o.event.occurred.earliest
            for o in timeline(mali, stream="mali")
            if isinstance(o.event, CoupOccurred)
        ]
        for difference in comparison.heads:
            assert (difference.last - difference.first).days < 7
            assert any(abs((difference.first - day).days) <= 7 for day in coups)
        text = DOCS.read_text(encoding="utf-8")
        for line in [*map(str, comparison.heads), *map(str, comparison.left_coups)]:
            assert line in text
        for coup in comparison.right_coups:
            assert str(coup) in text
