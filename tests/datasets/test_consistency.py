"""The whole leader list, month by month: replay names the leader REIGN has in office.

For every state of the list and the first day of every month its spells cover
(from the month of its first start to the release, or to the month after its last
end), ``HeadOfState`` replayed from the log that holds all three datasets names the
leader the list has in office that day (see ``tests.datasets.oracle``), or nobody
where the list has nobody. The replay is read off one ``history()`` per state, not
one replay per month; a sample of days checks that reading against ``replay``.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle import history, replay
from chronicle.politics import HeadOfState
from tests.datasets.files import HAVE_DATA, LEADER_FILE, needs_data
from tests.datasets.oracle import Spell, Steps, in_office, month_starts

DOCS = Path(__file__).resolve().parents[2] / "docs" / "datasets.md"
RELEASE = (2021, 8)
"""The month of the leader list's release: open spells are checked up to it."""


def spells_by_state() -> dict[str, list[Spell]]:
    """The leader list's spells by state abbreviation, read with the csv module alone.

    The file's one byte that is not UTF-8 is in a coder's note, not in a name or date.
    """
    with LEADER_FILE.open(newline="", encoding="utf-8", errors="replace") as handle:
        rows = list(csv.DictReader(handle))
    states: dict[str, list[Spell]] = {}
    for number, row in enumerate(rows, 1):
        start = datetime.date(int(row["syear"]), int(row["smonth"]), int(row["sdate"]))
        end = (int(row["eyear"]), int(row["emonth"])) if row["eyear"] else None
        spell = Spell(number, row["leader"].strip(), start, end)
        states.setdefault(row["stateabb"], []).append(spell)
    return states


SPELLS = spells_by_state() if HAVE_DATA else {}


@needs_data
class TestHeadOfStateMatchesReign:
    def test_every_state_every_month(self, imported) -> None:
        """On the 1st of each month of each state, replay and the list name the same leader."""
        checked, wrong = 0, []
        for state, spells in SPELLS.items():
            steps = Steps(history(imported.log, HeadOfState, stream=state), HeadOfState.initial)
            for day in month_starts(spells, release=RELEASE):
                current = steps.on(day).current
                name = None if current is None else current.name
                expected = in_office(spells, day)
                checked += 1
                if expected != name:
                    wrong.append((state, day, expected, name))
        assert [] == wrong
        assert f"All {checked:,} state-months agree" in DOCS.read_text(encoding="utf-8")

    @settings(max_examples=30)
    @given(st.data())
    def test_history_reads_as_replay_does(self, imported, data) -> None:
        """The state read off history() on a day is the state replay(as_of=day) gives."""
        state = data.draw(st.sampled_from(sorted(SPELLS)))
        day = data.draw(st.sampled_from(list(month_starts(SPELLS[state], release=RELEASE))))
        day += datetime.timedelta(days=data.draw(st.integers(0, 27)))
        steps = Steps(history(imported.log, HeadOfState, stream=state), HeadOfState.initial)
        assert replay(imported.log, HeadOfState, stream=state, as_of=day) == steps.on(day)


def test_the_oracle_reads_the_list_as_documented() -> None:
    """On Mali's spells, the oracle gives the documented leaders and the vacant days."""
    if not HAVE_DATA:
        pytest.skip("needs the leader list")
    mali = SPELLS["MLI"]
    assert "Keita" == in_office(mali, datetime.date(1968, 11, 1))
    assert "Traore" == in_office(mali, datetime.date(1968, 12, 1))
    assert "Ba N'Daou" == in_office(mali, datetime.date(2021, 5, 1))
    assert "Assimi Goita" == in_office(mali, datetime.date(2021, 6, 1))
    assert None is in_office(mali, datetime.date(1960, 9, 1))
