"""Dates as people write them: a refused date suggests its EDTF form; an empty query says why.

``--as-of 21/05/2021`` said "an interval has exactly one '/'" and ``--as-of "May
2021"`` "whitespace is not allowed", suggesting nothing; ``--as-of 1900``, a
``--known-at`` before the first record and ``--from 2022 --to 2021`` printed empty
tables without a word; ``--known-at 2025-09-15T10:00`` was refused for its missing zone.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import When
from chronicle._cli._date_hints import date_guesses, instant_guesses
from chronicle._cli._inputs import known_at_option
from chronicle.politics import HeadOfState
from tests.cli.conftest import run
from tests.cli.test_errors import one_error_line

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
DAYS = st.dates(datetime.date(1000, 1, 1), datetime.date(2999, 12, 31))


class TestGuesses:
    @pytest.mark.parametrize(
        ("written", "meant"),
        [
            ("May 2021", ["2021-05"]),
            ("may 2021", ["2021-05"]),
            ("21/05/2021", ["2021-05-21"]),
            ("21.05.2021", ["2021-05-21"]),
            ("2021/05/21", ["2021-05-21"]),
            ("05/21/2021", ["2021-05-21"]),
            ("05/06/2021", ["2021-06-05", "2021-05-06"]),
            ("21 May 2021", ["2021-05-21"]),
            ("May 21, 2021", ["2021-05-21"]),
            ("21st of May, 2021", ["2021-05-21"]),
            ("1er mai 2021", ["2021-05-01"]),
            ("Sept 2021", ["2021-09"]),
            ("05/2021", ["2021-05"]),
            ("2021-5-3", ["2021-05-03"]),
            ("20210521", ["2021-05-21"]),
            ("Q2 2021", ["2021-04/2021-06"]),
            ("2021-Q4", ["2021-10/2021-12"]),
            ("H1 2021", ["2021-01/2021-06"]),
            ("1990s", ["1990/1999"]),
            ("circa 2020", ["2020~"]),
            ("May 2021 to June 2021", ["2021-05/2021-06"]),
            ("2021-05..2021-06", ["2021-05/2021-06"]),
            ("between 2020 and 2022", ["2020/2022"]),
            ("2021-05-21T10:00", ["2021-05-21"]),
            ("yesterday", []),
            ("31/02/2021", []),
            ("21/05/21", []),
        ],
    )
    def test_guesses(self, written: str, meant: list[str]) -> None:
        """Common ways of writing a date are read as the EDTF they mean; nonsense as nothing."""
        assert meant == date_guesses(written)

    @given(DAYS, st.sampled_from(["{d} {M} {y}", "{M} {d}, {y}", "{y}/{m}/{d}", "{y}.{m}.{d}"]))
    def test_a_day_written_out_is_that_day(self, day: datetime.date, form: str) -> None:
        """A day written with its month's name, or year first, is guessed as that day alone."""
        written = form.format(d=day.day, m=day.month, y=day.year, M=MONTHS[day.month - 1])
        assert [day.isoformat()] == date_guesses(written)

    @given(DAYS)
    def test_day_and_month_in_either_order(self, day: datetime.date) -> None:
        """dd/mm/yyyy is that day; when the day could be a month, the other reading comes second."""
        guesses = date_guesses(f"{day.day:02}/{day.month:02}/{day.year}")
        assert day.isoformat() == guesses[0]
        assert (day.day <= 12 and day.day != day.month) == (len(guesses) == 2)

    @given(st.text(max_size=30))
    def test_every_guess_is_a_valid_date(self, text: str) -> None:
        """Whatever the text, each guess is a date chronicle reads."""
        for guess in date_guesses(text):
            When(guess)
        for guess in instant_guesses(text):
            known_at_option(guess)

    @pytest.mark.parametrize(
        ("written", "meant"),
        [
            ("15/09/2025 10:00", ["2025-09-15T10:00"]),
            ("2025-09-15 10:00 UTC", ["2025-09-15T10:00Z"]),
            ("May 2021", ["2021-05-31"]),
            ("15 Sep 2025", ["2025-09-15"]),
        ],
    )
    def test_instant_guesses(self, written: str, meant: list[str]) -> None:
        """An instant keeps its time of day; a month or a year becomes its last day."""
        assert meant == instant_guesses(written)


class TestRefusedDates:
    @pytest.mark.parametrize(
        ("option", "written", "meant"),
        [
            ("--as-of", "21/05/2021", "'2021-05-21'"),
            ("--as-of", "May 2021", "'2021-05'"),
            ("--from", "Q2 2021", "'2021-04/2021-06'"),
            ("--to", "05/06/2021", "'2021-06-05' or '2021-05-06'"),
            ("--known-at", "15/09/2025", "'2025-09-15'"),
            ("--known-at", "May 2025", "'2025-05-31'"),
        ],
    )
    def test_refusal_suggests(self, shared_mali: Path, option: str, written: str, meant: str):
        """A refused date names the option and suggests the EDTF of what was meant."""
        command = "state" if option in ("--as-of", "--known-at") else "timeline"
        result = run(command, shared_mali, option, written)
        line = one_error_line(result.stderr)
        assert 1 == result.exit_code
        assert line.startswith(f"chronicle: error: {option}: ")
        assert line.endswith(f"; did you mean {meant}?")

    def test_naive_known_at_is_utc(self, shared_mali: Path) -> None:
        """--known-at takes a date and time without a zone as UTC, as it takes a bare date."""
        naive = run("state", shared_mali, "--known-at", "2025-09-15T10:00", "--json")
        utc = run("state", shared_mali, "--known-at", "2025-09-15T10:00Z", "--json")
        assert (0, utc.stdout) == (naive.exit_code, naive.stdout)

    def test_known_at_help_says_utc(self) -> None:
        """The help of --known-at says a time without a zone is UTC."""
        assert "without a zone, UTC" in " ".join(run("state", "--help").stdout.split())


class TestEmptyAnswers:
    @pytest.mark.parametrize("command", [["state"], ["history", "-p", "politics.HeadOfState"]])
    def test_before_the_first_event(self, shared_mali: Path, command: list[str]) -> None:
        """--as-of before every event prints a note naming the first event's date; exit 0."""
        result = run(command[0], shared_mali, *command[1:], "--as-of", "1900")
        assert 0 == result.exit_code
        assert (
            "chronicle: note: --as-of 1900 is before the first event (dated 2013-09-04, in"
            " stream 'mali')" in result.stderr
        )

    def test_no_note_after_the_first_event(self, shared_mali: Path) -> None:
        """A state that is empty only for a projector ignoring the events gets no note."""
        result = run("state", shared_mali, "--as-of", "2014", "-p", "politics.ConflictToll")
        assert (0, "") == (result.exit_code, result.stderr)

    @pytest.mark.parametrize(
        "command",
        [["state"], ["timeline"], ["history", "-p", "politics.HeadOfState"], ["promises"]],
    )
    def test_before_the_first_record(self, shared_mali: Path, command: list[str]) -> None:
        """--known-at before the log's first record prints a note saying it held nothing then."""
        result = run(command[0], shared_mali, *command[1:], "--known-at", "2020-01-01")
        assert 0 == result.exit_code
        assert "chronicle: note: --known-at 2020-01-01 is before the log's first record" in (
            result.stderr
        )
        assert "the log held nothing then" in result.stderr

    def test_empty_range(self, shared_mali: Path) -> None:
        """--from after --to prints a note, and nothing else."""
        result = run("timeline", shared_mali, "--from", "2022", "--to", "2021")
        assert (0, "") == (result.exit_code, result.stdout)
        assert "chronicle: note: --from 2022 is after --to 2021: the range holds no day\n" == (
            result.stderr
        )

    def test_range_without_events(self, shared_mali: Path) -> None:
        """A range with no event in it says so."""
        result = run("timeline", shared_mali, "--from", "2030")
        assert 0 == result.exit_code
        assert "no event of" in result.stderr

    def test_possible_policy_counts_the_earliest(self, tmp_path: Path) -> None:
        """Under --policy possible, an event of 2020 counts by 2020-01-01: no note then."""
        from chronicle.politics import HeadOfStateInstalled

        path = tmp_path / "year.jsonl"
        with chronicle.open(path) as log:
            log.append("x", [HeadOfStateInstalled(occurred="2020", name="A", title="B")])
        possible = run("state", path, "--as-of", "2020-01-01", "--policy", "possible")
        certain = run("state", path, "--as-of", "2020-01-01")
        assert "" == possible.stderr
        assert "is before the first event" in certain.stderr
        with chronicle.open(path) as log:
            state = chronicle.replay(log, HeadOfState, as_of="2020-01-01", policy="possible")
        assert state.current is not None
