"""The write side of imports: present rows are not appended twice, one append per stream."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import ConcurrencyError, Corrected, Log, Retracted
from chronicle.datasets import Dataset, SkippedRow
from chronicle.datasets._append import MappedRow, append_rows
from tests.domain import Appointed

DATASET = Dataset(
    name="Test list", version="1", publisher="P", url="https://e.org", published="2021"
)

PLANS = st.lists(st.tuples(st.sampled_from("ABC"), st.integers(1, 3)), max_size=12)


def mapped(plan: list[tuple[str, int]]) -> list[MappedRow]:
    """Row i + 1 goes to its stream as ``count`` events, all citing that row."""
    return [
        MappedRow(
            row=number,
            stream=stream,
            events=tuple(
                Appointed(
                    occurred="2020",
                    office=f"office {k}",
                    name="N",
                    sources=(DATASET.source(number),),
                )
                for k in range(count)
            ),
            notes=(f"note {number}",) if number % 2 else (),
        )
        for number, (stream, count) in enumerate(plan, 1)
    ]


def run(log: Log, rows: list[MappedRow], skipped: tuple[SkippedRow, ...] = ()):
    total = len(rows) + len(skipped)
    return append_rows(
        log,
        dataset=DATASET.title,
        releases=[DATASET],
        path="x.csv",
        rows_read=total,
        mapped=rows,
        skipped=skipped,
    )


class TestAppendRows:
    @given(PLANS)
    def test_every_event_is_appended_once_per_stream_in_row_order(self, plan) -> None:
        """Each stream gets its rows' events in row order, in a single append."""
        log = Log()
        report = run(log, mapped(plan))
        for stream in "ABC":
            expected = [e for row in mapped(plan) if row.stream == stream for e in row.events]
            records = list(log.read(stream))
            assert expected == [record.event for record in records]
            assert len({record.recorded_at for record in records}) <= 1
        assert (len(plan), sum(c for _, c in plan), 0) == (
            report.imported,
            report.appended,
            report.present,
        )
        assert tuple(sorted({stream for stream, _ in plan})) == report.streams

    @given(PLANS, st.integers(0, 12))
    def test_a_rerun_appends_only_the_rows_not_yet_present(self, plan, done) -> None:
        """After a partial import, a run appends exactly the missing rows: nothing twice."""
        log = Log()
        rows = mapped(plan)
        run(log, rows[:done])
        report = run(log, rows)
        assert (len(rows[done:]), len(rows[:done])) == (report.imported, report.present)
        again = run(log, rows)
        assert (0, 0, len(rows)) == (again.imported, again.appended, again.present)
        assert sum(len(row.events) for row in rows) == log.head

    def test_retracted_or_corrected_rows_stay_present(self) -> None:
        """A row whose event was retracted, or replaced by a correction, is not re-imported."""
        log = Log()
        rows = mapped([("A", 1), ("A", 1)])
        run(log, rows)
        first, second = log.read("A")
        log.append("A", [Retracted(target=first.id, reason="wrong")])
        log.append("A", [Corrected(target=second.id, reason="fix", replacement=rows[1].events[0])])
        report = run(log, rows)
        assert (0, 2) == (report.imported, report.present)

    def test_a_concurrent_writer_makes_the_append_fail_not_interleave(self) -> None:
        """A stream written between the scan and the append raises ConcurrencyError."""

        class Racing(Log):
            """A log another writer appends to just after the import has read it."""

            def read(self, *args, **kwargs):
                yield from super().read(*args, **kwargs)
                self.append("A", [Appointed(occurred="2021", office="o", name="other writer")])

        log = Racing()
        with pytest.raises(ConcurrencyError):
            run(log, mapped([("A", 1)]))

    def test_the_report_accounts_for_every_row(self) -> None:
        """Rows read = imported + present + skipped; notes and skips come in row order."""
        log = Log()
        rows = mapped([("A", 1), ("B", 2), ("A", 1)])
        skipped = (SkippedRow(5, "bad"), SkippedRow(4, "worse"))
        report = run(log, rows, skipped)
        assert 5 == report.rows_read == report.imported + report.present + len(report.skipped)
        assert (4, 5) == tuple(skip.row for skip in report.skipped)
        assert ("row 1: note 1", "row 3: note 3") == tuple(map(str, report.notes))
        assert (
            "Test list 1: 5 rows read, 3 imported (4 events appended to 2 streams), "
            "0 already present, 2 skipped"
        ) == report.summary()
