"""Releases as record time: a later release corrects, retracts, appends; known_at replays each."""

from __future__ import annotations

import collections
import csv
import datetime
import functools
import io
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import Corrected, Log, RecordTimeError, Retracted, timeline
from chronicle.datasets import (
    Dataset,
    StateCodes,
    import_powell_thyne,
    import_reign_leaders,
    state_codes,
)
from chronicle.datasets._append import MappedRow, append_rows
from tests.datasets.files import LEADER_FILE, PT_FILE, data_file, file_examples, needs_data
from tests.domain import Appointed

FIRST = Dataset(name="Test list", version="1", publisher="P", url="https://e.org", published="2021")
SECOND = attrs.evolve(FIRST, version="2", published="2022-03")

# A row: its stream, the day of its first event, and what it says (office and name).
ROWS = st.tuples(
    st.sampled_from("AB"),
    st.dates(datetime.date(2000, 1, 1), datetime.date(2000, 1, 5)),
    st.sampled_from(["office", "seat"]),
    st.sampled_from(["X", "Y"]),
    st.integers(1, 2),
)


def mapped(dataset: Dataset, rows) -> list[MappedRow]:
    """Row n + 1 of ``dataset`` as its events: ``count`` appointments citing the row."""
    return [
        MappedRow(
            row=number,
            stream=stream,
            events=tuple(
                Appointed(
                    occurred=day + datetime.timedelta(k),
                    office=office,
                    name=name,
                    sources=(dataset.source(number),),
                )
                for k in range(count)
            ),
        )
        for number, (stream, day, office, name, count) in enumerate(rows, 1)
    ]


def release(log: Log, dataset: Dataset, rows):
    return append_rows(
        log,
        dataset=dataset.title,
        releases=[dataset],
        path="x.csv",
        rows_read=len(rows),
        mapped=mapped(dataset, rows),
        skipped=(),
        recorded_at="release",
    )


def said(
    log: Log, known_at: datetime.date | None = None
) -> collections.Counter[tuple[str, object]]:
    """The events in force at known_at, per stream, without their sources."""
    return collections.Counter(
        (o.record.stream, attrs.evolve(o.event, sources=()))
        for o in timeline(log, known_at=known_at)
    )


def rows_said(dataset: Dataset, rows) -> collections.Counter[tuple[str, object]]:
    """What a release says: its rows' events, per stream, without their sources."""
    return collections.Counter(
        (row.stream, attrs.evolve(event, sources=()))
        for row in mapped(dataset, rows)
        for event in row.events
    )


class TestReleases:
    @given(st.lists(ROWS, max_size=8), st.lists(ROWS, max_size=8))
    def test_known_at_each_release_gives_exactly_its_rows(self, first, second) -> None:
        """After release 1 then 2, known_at each release's date replays that release's rows."""
        log = Log()
        release(log, FIRST, first)
        report = release(log, SECOND, second)
        assert rows_said(FIRST, first) == said(log, datetime.date(2021, 1, 1))
        assert rows_said(SECOND, second) == said(log, datetime.date(2022, 3, 1))
        assert len(second) == report.imported + report.present + report.corrected
        again = release(log, attrs.evolve(SECOND, published="2022-04"), second)
        assert (0, 0, 0, len(second)) == (
            again.imported,
            again.corrected,
            again.retracted,
            again.present,
        )

    def test_changed_rows_are_corrected_dropped_retracted_new_appended(self) -> None:
        """One row of each kind: the report counts it, the log holds the right entry."""
        day = datetime.date(2000, 1, 1)
        log = Log()
        release(log, FIRST, [("A", day, "office", "X", 1), ("A", day, "seat", "X", 1)])
        same, changed, new = (
            ("A", day, "office", "X", 1),
            ("A", day, "seat", "Y", 2),
            (
                "B",
                day,
                "seat",
                "X",
                1,
            ),
        )
        report = release(log, SECOND, [same, changed, new])
        assert (1, 1, 1, 0) == (report.imported, report.corrected, report.present, report.retracted)
        fixes = [r.event for r in log.read() if isinstance(r.event, Corrected)]
        assert ["Test list 2, row 2, revises this row"] == [fix.reason for fix in fixes]
        dropped = release(log, attrs.evolve(SECOND, version="3", published="2023"), [same])
        assert (2, 1) == (dropped.retracted, dropped.present)
        reasons = {r.event.reason for r in log.read() if isinstance(r.event, Retracted)}
        assert {"Test list 3 no longer has this row"} == reasons
        assert "2 retracted" in dropped.summary()

    def test_a_rerun_of_a_release_cut_short_retracts_nothing(self) -> None:
        """A file of the release the log holds, with rows missing, removes none of them."""
        day = datetime.date(2000, 1, 1)
        rows = [("A", day, "office", "X", 1), ("B", day, "seat", "X", 1)]
        log = Log()
        release(log, FIRST, rows)
        report = release(log, attrs.evolve(FIRST, published="2021-06"), rows[:1])
        assert (0, 1, 0) == (report.retracted, report.present, report.imported)

    def test_hand_corrections_stay(self) -> None:
        """A row retracted by hand is not brought back by the next release that keeps it."""
        day = datetime.date(2000, 1, 1)
        rows = [("A", day, "office", "X", 1)]
        log = Log()
        release(log, FIRST, rows)
        (record,) = log.read()
        by_hand = datetime.datetime(2021, 6, 1, tzinfo=datetime.UTC)
        log.append("A", [Retracted(target=record.id, reason="a duplicate")], recorded_at=by_hand)
        report = release(log, SECOND, rows)
        assert (1, 0) == (report.present, report.imported)
        assert [] == timeline(log)

    def test_record_time_is_the_release_and_only_moves_forward(self) -> None:
        """recorded_at='release' records at the publication; an older release is refused."""
        day = datetime.date(2000, 1, 1)
        log = Log()
        release(log, SECOND, [("A", day, "office", "X", 1), ("B", day, "office", "X", 1)])
        times = [record.recorded_at for record in log.read()]
        start = datetime.datetime(2022, 3, 1, tzinfo=datetime.UTC)
        assert [start, start + datetime.timedelta(microseconds=1)] == times
        with pytest.raises(RecordTimeError, match="Test list 1"):
            release(log, FIRST, [("A", day, "seat", "X", 1)])
        assert 2 == log.head


def edited(path: Path, *, version: str, change, drop, add) -> bytes:
    """A copy of the coup file as a later release: rows changed, dropped, a row added."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file, delimiter="\t"))
    header, body = rows[0], rows[1:]
    out = []
    outcome = header.index("coup")
    for number, original in enumerate(body, 1):
        if number in drop:
            continue
        row = [*original[:-1], version]
        if number in change:
            row[outcome] = "1" if row[outcome] == "2" else "2"
        out.append(row)
    out += [[*row[:-1], version] for row in add]
    text = io.StringIO()
    csv.writer(text, delimiter="\t", lineterminator="\r\n").writerows([header, *out])
    return text.getvalue().encode("utf-8")


@functools.cache
def leader_states() -> StateCodes:
    """The state codes of the shipped leader list, read once."""
    return state_codes(LEADER_FILE)


@needs_data
class TestShippedReleases:
    @file_examples
    @given(
        change=st.sets(st.integers(1, 491), max_size=5),
        drop=st.sets(st.integers(1, 491), max_size=5),
    )
    def test_two_coup_releases(self, change, drop) -> None:
        """V2023.09.08, then a copy with coups changed, dropped and added: each by its known_at."""
        states = leader_states()
        log = Log()
        added = [["Mali", "432", "", "", "2024", "1", "2", "1", ""]]
        later = edited(PT_FILE, version="V2024.01.01", change=change, drop=drop, add=added)
        import_powell_thyne(PT_FILE, log, states=states, recorded_at="release")
        with data_file(later, "coups.tsv") as path:
            report = import_powell_thyne(path, log, states=states, recorded_at="release")
            fresh = Log()
            import_powell_thyne(path, fresh, states=states)
        original = Log()
        import_powell_thyne(PT_FILE, original, states=states)
        day_one, day_two = datetime.date(2023, 9, 8), datetime.date(2024, 1, 1)
        assert said(original) == said(log, day_one)
        assert said(fresh) == said(log, day_two)
        assert (len(change - drop), len(drop), 1) == (
            report.corrected,
            report.retracted,
            report.imported,
        )

    def test_a_leader_release_that_closes_a_spell(self, tmp_path: Path) -> None:
        """A spell open in one release and closed in the next gains its departure."""
        lines = LEADER_FILE.read_bytes().splitlines(keepends=True)
        mali = next(
            i
            for i, line in enumerate(lines)
            if line.startswith(b"MLI,432,") and b"Goita" in line and b",2021," in line
        )
        closed = lines[mali].replace(b",5,2021,,,", b",5,2021,9,2021,")
        assert closed != lines[mali]
        log = Log()
        import_reign_leaders(LEADER_FILE, log, recorded_at="release")
        with data_file(b"".join([*lines[:mali], closed, *lines[mali + 1 :]]), "l.csv") as path:
            report = import_reign_leaders(path, log, version="2021-10", recorded_at="release")
        assert (1, 0, 2543) == (report.corrected, report.retracted, report.present)
        before = said(log, datetime.date(2021, 8, 1))
        after = said(log, datetime.date(2021, 10, 1))
        assert 1 == sum((after - before).values())
