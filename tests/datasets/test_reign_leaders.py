"""Importing REIGN's leader list: installations, departures, and the months with nobody."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import Log, When, history
from chronicle.datasets import import_reign_leaders
from chronicle.datasets._reign_leaders import parse_term
from chronicle.datasets._table import RowError, read_rows
from chronicle.politics import HeadOfState, HeadOfStateInstalled, HeadOfStateLeft
from tests.datasets.files import csv_bytes, data_file, file_examples, needs_data
from tests.datasets.oracle import Spell, Steps, in_office, month_starts

HEADER = ("stateabb", "ccode", "leader", "sdate", "smonth", "syear", "emonth", "eyear")
NAMES = st.sampled_from(["Keita", "Traore", "Souvanna Phouma", "Assimi Goita", "Ba N'Daou"])
RELEASE = (2021, 8)


def month_of(day: datetime.date) -> tuple[int, int]:
    return day.year, day.month


@st.composite
def spells(draw: st.DrawFn) -> list[Spell]:
    """A state's spells in order: each ends in the month its successor starts, or earlier."""
    starts = sorted(
        draw(
            st.lists(
                st.dates(datetime.date(1946, 1, 1), datetime.date(2021, 7, 31)),
                min_size=1,
                max_size=8,
                unique=True,
            )
        )
    )
    result = []
    for index, start in enumerate(starts):
        following = starts[index + 1] if index + 1 < len(starts) else None
        latest = month_of(following) if following else month_of(datetime.date(2021, 7, 31))
        months = [
            (year, month)
            for year in range(start.year, latest[0] + 1)
            for month in range(1, 13)
            if month_of(start) <= (year, month) <= latest
        ]
        end = draw(st.sampled_from(months[-3:] + months[:1]))
        if following is None and draw(st.booleans()):
            end = None
        result.append(Spell(index + 1, draw(NAMES), start, end))
    return result


def leader_rows(state: str, code: int, spells_: list[Spell]) -> list[tuple[str, ...]]:
    return [
        (
            state,
            str(code),
            spell.leader,
            str(spell.start.day),
            str(spell.start.month),
            str(spell.start.year),
            "" if spell.end is None else str(spell.end[1]),
            "" if spell.end is None else str(spell.end[0]),
        )
        for spell in spells_
    ]


class TestParseTerm:
    def test_the_end_is_a_month_and_the_start_a_day(self) -> None:
        """REIGN's end has no day: the term ends in a month, never on a made-up day."""
        data = csv_bytes([HEADER, ("MLI", "432", "Keita ", "22", "9", "1960", "11", "1968")])
        with data_file(data) as path:
            (row,) = read_rows(path, columns=HEADER, what="test")
        term = parse_term(row)
        assert (When("1960-09-22"), When("1968-11"), "Keita") == (term.start, term.end, term.leader)
        assert ("leader 'Keita ' read as 'Keita' (surrounding spaces removed)",) == term.notes

    @pytest.mark.parametrize(
        ("values", "reason"),
        [
            (("MLI", "432", "X", "22", "9", "1960", "11", "1959"), "the spell ends (1959-11)"),
            (("MLI", "432", "X", "", "9", "1960", "", ""), "start 1960-09 has no day"),
            (("MLI", "432", "X", "22", "9", "1960", "", "1968"), "end 1968 has no month"),
            (("", "432", "X", "22", "9", "1960", "", ""), "stateabb is blank"),
        ],
    )
    def test_an_impossible_spell_is_a_row_error(self, values, reason) -> None:
        """A spell that ends before it starts, or lacks its day or month, is refused."""
        with data_file(csv_bytes([HEADER, values])) as path:
            (row,) = read_rows(path, columns=HEADER, what="test")
        with pytest.raises(RowError) as raised:
            parse_term(row)
        assert str(raised.value).startswith(reason)


class TestImportReignLeaders:
    @file_examples
    @given(spells(), spells())
    def test_replay_names_the_leader_reign_has_in_office_each_month(self, first, second) -> None:
        """On the 1st of every month, HeadOfState names the leader the list has in office."""
        log = Log()
        rows = leader_rows("AAA", 1, first) + leader_rows("BBB", 2, second)
        with data_file(csv_bytes([HEADER, *rows])) as path:
            report = import_reign_leaders(path, log)
        assert (len(rows), ()) == (report.imported, report.skipped)
        for state, spells_ in (("AAA", first), ("BBB", second)):
            steps = Steps(history(log, HeadOfState, stream=state), HeadOfState.initial)
            for day in month_starts(spells_, release=RELEASE):
                current = steps.on(day).current
                assert in_office(spells_, day) == (current and current.name), (state, day)

    @file_examples
    @given(spells())
    def test_a_departure_is_recorded_only_where_nobody_follows_in_the_month(self, spells_) -> None:
        """An end gives a HeadOfStateLeft in its month unless a later spell starts in it."""
        log = Log()
        with data_file(csv_bytes([HEADER, *leader_rows("AAA", 1, spells_)])) as path:
            import_reign_leaders(path, log)
        left = [r.event.occurred for r in log.read() if isinstance(r.event, HeadOfStateLeft)]
        expected = []
        for index, spell in enumerate(spells_):
            later = [month_of(other.start) for other in spells_[index + 1 :]]
            if spell.end is None or spell.end in later:
                continue
            month = f"{spell.end[0]:04d}-{spell.end[1]:02d}"
            same = month_of(spell.start) == spell.end
            expected.append(When(f"{spell.start}/{month}" if same else month))
        assert expected == left

    @file_examples
    @given(spells())
    def test_a_rerun_appends_nothing(self, spells_) -> None:
        """A second import of the same list finds every row present."""
        log = Log()
        with data_file(csv_bytes([HEADER, *leader_rows("AAA", 1, spells_)])) as path:
            first = import_reign_leaders(path, log)
            again = import_reign_leaders(path, log)
        assert (0, len(spells_), first.appended) == (again.appended, again.present, log.head)

    def test_installations_cite_the_release_and_row(self) -> None:
        """Each event cites the REIGN leader list, its release and its row."""
        log = Log()
        data = csv_bytes([HEADER, ("MLI", "432", "Keita", "22", "9", "1960", "11", "1968")])
        with data_file(data) as path:
            import_reign_leaders(path, log, version="2021-08")
        (installed, left) = (r.event for r in log.read("MLI"))
        assert isinstance(installed, HeadOfStateInstalled)
        assert isinstance(left, HeadOfStateLeft)
        assert ("REIGN leader list 2021-08, row 1", "One Earth Future", When("2021-08")) == (
            installed.sources[0].title,
            installed.sources[0].publisher,
            installed.sources[0].published,
        )
        assert installed.sources == left.sources


@needs_data
class TestRealLeaderFile:
    def test_every_row_is_imported_with_its_caveats(self, imported) -> None:
        """All 2544 spells import; the non-UTF-8 line and the trailing spaces are noted."""
        report = imported.leaders
        assert (2544, 2544, ()) == (report.rows_read, report.imported, report.skipped)
        notes = {note.row: note.note for note in report.notes}
        assert "line 2470 is not UTF-8 (byte 0x85 at offset 157): read as cp1252" == notes[2469]
        assert [1018, 1121, 1122] == [
            row for row, note in notes.items() if "surrounding spaces removed" in note
        ]

    def test_malis_leaders_are_reigns_with_its_spelling_and_dates(self, imported) -> None:
        """MLI holds REIGN's eleven Malian spells, from Keita in 1960 to Goita in May 2021."""
        installed = [
            (str(r.event.occurred), r.event.name)
            for r in imported.log.read("MLI")
            if isinstance(r.event, HeadOfStateInstalled)
        ]
        assert ("1960-09-22", "Keita") == installed[0]
        assert [("2020-08-19", "Assimi Goita"), ("2020-09-25", "Ba N'Daou")] == installed[-3:-1]
        assert ("2021-05-24", "Assimi Goita") == installed[-1]
        assert 11 == len(installed)
