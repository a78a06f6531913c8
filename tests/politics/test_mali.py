"""The Mali chronology: its file, and its answers around every transition it records."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

import chronicle
from chronicle import ANY, Correction, Log, MemoryStore, Record
from chronicle._codec import record_from_dict, record_to_dict, stored_entry
from chronicle.politics import (
    ConflictToll,
    DetainedOfficers,
    HeadOfState,
    PartyStatus,
    PromisedElection,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHRONOLOGY = EXAMPLES / "mali.jsonl"
KEYS = ["position", "stream", "version", "recorded_at", "id", "type", "v", "data"]

CNSP = "National Committee for the Salvation of the People (CNSP)"
KEITA = "Ibrahim Boubacar Keïta"
GOITA = "Assimi Goïta"
NDAW = "Bah N'Daw"
BEFORE_RETRACTION = "2025-09-10"  # the Powell & Thyne duplicate is in, not yet retracted
BEFORE_CORRECTION = "2025-09-30"  # the dissolution is still dated "2025-05"


def stored_lines() -> list[dict[str, Any]]:
    with CHRONOLOGY.open(encoding="utf-8") as file:
        return [json.loads(line) for line in file]


def load() -> Log:
    """The chronology in a memory log, append by append, ids and record times kept."""
    store = MemoryStore()
    records = [record_from_dict(line, strict=True) for line in stored_lines()]
    for moment, batch in itertools.groupby(records, key=lambda record: record.recorded_at):
        group = list(batch)
        store.append(
            "mali",
            [record.event for record in group],
            stored=[stored_entry(record.event) for record in group],
            ids=[record.id for record in group],
            expected_version=ANY,
            recorded_at=moment,
            exact_time=True,
        )
    return Log(store)


@pytest.fixture(scope="module")
def log() -> Log:
    return load()


def head(log: Log, as_of: str, **options: Any) -> str | None:
    leader = chronicle.replay(log, HeadOfState, as_of=as_of, **options).current
    return None if leader is None else leader.name


def promised(log: Log, as_of: str, **options: Any) -> str | None:
    """The date promised for the presidential vote, "none" with no date, None with no promise."""
    drift = chronicle.replay(log, PromisedElection, as_of=as_of, **options)["president"]
    if not drift.promises:
        return None
    return "none" if drift.current is None else str(drift.current)


class TestFile:
    def test_lines_are_records_in_the_stored_form(self) -> None:
        """Each line has the record keys in order, at positions and versions 1, 2, 3, ..."""
        lines = stored_lines()
        count = len(lines)
        expected = [(KEYS, n, n, "mali") for n in range(1, count + 1)]
        actual = [(list(line), line["position"], line["version"], line["stream"]) for line in lines]
        assert expected == actual

    def test_lines_are_what_the_codec_writes(self) -> None:
        """Reading a line and writing it back gives the same JSON: nothing is lost or added."""
        lines = stored_lines()
        assert lines == [record_to_dict(record_from_dict(line, strict=True)) for line in lines]

    def test_record_times_increase_between_appends(self) -> None:
        """Record times never go back, and each append (a run of equal times) comes later."""
        times = [line["recorded_at"] for line in stored_lines()]
        assert sorted(times) == times
        expected = [
            "2025-09-01T09:00:00+00:00",
            "2025-09-08T09:00:00+00:00",
            "2025-09-15T09:00:00+00:00",
            "2025-10-01T09:00:00+00:00",
        ]
        assert expected == [time for time, _ in itertools.groupby(times)]

    def test_ids_are_deterministic(self) -> None:
        """Ids are name-based (UUID version 5) and unique, so the file diffs cleanly."""
        ids = [uuid.UUID(line["id"]) for line in stored_lines()]
        assert ({5}, len(ids)) == ({i.version for i in ids}, len(set(ids)))

    def test_every_entry_has_a_source(self, log: Log) -> None:
        """Every event, and every correction, says what it rests on."""
        unsourced = [record.position for record in log.read() if not record.event.sources]
        assert [] == unsourced

    def test_the_article_misspelling_is_noted(self, log: Log) -> None:
        """The ousted president is recorded by his name; the article's spelling is in its note."""
        coup = next(
            record.event
            for record in log.read()
            if type(record.event).__name__ == "CoupOccurred" and record.event.ousted == KEITA  # type: ignore[union-attr]
        )
        notes = " ".join(source.note for source in coup.sources)
        assert ("Aboubakar Keita" in notes, "Ibrahim Boubacar Keïta" in notes) == (True, True)

    def test_corrections_come_after_their_targets(self, log: Log) -> None:
        """A retraction and a correction, each recorded after the record it amends."""
        corrections: list[tuple[str, bool]] = []
        for record in log.read():
            if isinstance(record.event, Correction):
                target: Record = log.get(record.event.target)  # type: ignore[assignment]
                later = target.recorded_at < record.recorded_at
                corrections.append((type(record.event).__name__, later))
        assert [("Retracted", True), ("Corrected", True)] == corrections


class TestHeadOfState:
    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2013-09-03", None),
            ("2013-09-04", KEITA),
            ("2020-08-17", KEITA),  # the eve of the first coup
            ("2020-08-18", GOITA),  # the coup's day: it had happened by its end
            ("2020-08-19", GOITA),
            ("2020-09-24", GOITA),
            ("2020-09-25", NDAW),  # sworn in
            ("2021-05-23", NDAW),  # the eve of the second coup
            ("2021-05-25", GOITA),
            ("2021-06-08", GOITA),
            ("2025-08-31", GOITA),
        ],
    )
    def test_around_each_transition(self, log: Log, as_of: str, expected: str | None) -> None:
        """The head of state the day before, of, and after each coup and installation."""
        assert expected == head(log, as_of)

    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            (
                "2020-08-19",
                "leader of the National Committee for the Salvation of the People (CNSP)",
            ),
            ("2021-05-25", "coup leader"),
            ("2021-06-07", "President of the Transition"),
        ],
    )
    def test_titles(self, log: Log, as_of: str, expected: str) -> None:
        """A coup leader holds power as such until sworn in."""
        assert expected == chronicle.replay(log, HeadOfState, as_of=as_of).current.title  # type: ignore[union-attr]

    def test_succession(self, log: Log) -> None:
        """Five tenures: Keïta, Goïta (CNSP), N'Daw, Goïta (coup), Goïta (sworn in)."""
        state = chronicle.replay(log, HeadOfState)
        expected = [KEITA, GOITA, NDAW, GOITA, GOITA]
        assert expected == [leader.name for leader in (*state.former, state.current)]  # type: ignore[union-attr]


class TestPromisedElection:
    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2020-09-11", None),
            ("2020-09-12", "2020-09-12/2022-03"),  # "within 18 months"
            ("2021-03-31", "2020-09-12/2022-03"),
            ("2021-04-30", "2022-02-27"),  # the calendar of April 2021
            ("2021-11-30", "2022-02-27"),  # before the postponement of December 2021/January 2022
            ("2022-01-15", "2022-02-27"),  # ... not yet certainly postponed
            ("2022-01-31", "none"),
            ("2022-06-30", "2024-02-04"),
            ("2023-09-24", "2024-02-04"),  # the eve of the postponement of 25 September 2023
            ("2023-09-26", "none"),
            ("2025-06-30", "none"),
            ("2025-07-31", "none"),  # the mandate of July 2025
            ("2025-08-30", "none"),  # the article's undated postponement to 2027 ...
            ("2025-08-31", "2027"),  # ... certain only by the end of its window
        ],
    )
    def test_around_each_postponement(self, log: Log, as_of: str, expected: str | None) -> None:
        """The date promised the day before and after each schedule and postponement."""
        assert expected == promised(log, as_of)

    def test_january_2022_was_possibly_postponed(self, log: Log) -> None:
        """On 15 January 2022 the postponement may have happened: policy="possible" counts it."""
        assert "none" == promised(log, "2022-01-15", policy="possible")

    def test_the_drift(self, log: Log) -> None:
        """Seven promises, four postponements, and the vote slipped from March 2022 to 2027."""
        drift = chronicle.replay(log, PromisedElection)["president"]
        expected = (7, 4, "2027", 2101)
        assert expected == (
            len(drift.promises),
            drift.postponements,
            str(drift.current),
            drift.total_slip,
        )


class TestPartyStatus:
    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2024-03-31", "active"),
            ("2024-04-30", "suspended"),
            ("2024-06-30", "suspended"),
            ("2024-07-31", "active"),
            ("2025-05-12", "active"),
            ("2025-05-13", "dissolved"),  # the decree
            ("2025-05-14", "dissolved"),
        ],
    )
    def test_around_each_change(self, log: Log, as_of: str, expected: str) -> None:
        """Parties suspended in April 2024, restored in July 2024, dissolved on 13 May 2025."""
        assert expected == chronicle.replay(log, PartyStatus, as_of=as_of).status

    @pytest.mark.parametrize(
        ("as_of", "policy", "expected"),
        [
            ("2025-05-10", "certain", "active"),  # "in May 2025" is not certain on the 10th
            ("2025-05-10", "possible", "dissolved"),  # ... but possible
            ("2025-05-20", "certain", "active"),
            ("2025-05-31", "certain", "dissolved"),
        ],
    )
    def test_in_may_as_first_recorded(
        self, log: Log, as_of: str, policy: chronicle.Policy, expected: str
    ) -> None:
        """Before the correction, the dissolution is dated "2025-05": certain only by May 31."""
        state = chronicle.replay(
            log, PartyStatus, as_of=as_of, known_at=BEFORE_CORRECTION, policy=policy
        )
        assert expected == state.status


class TestDetainedOfficers:
    def test_before_the_arrests(self, log: Log) -> None:
        """Nobody is held before August 2025."""
        state = chronicle.replay(log, DetainedOfficers, as_of="2025-07-31")
        assert ((), None) == (state.held, state.reported_detained)

    def test_in_august_2025(self, log: Log) -> None:
        """By the end of August 2025: two generals named, at least 45 soldiers reported."""
        state = chronicle.replay(log, DetainedOfficers, as_of="2025-08-31")
        expected = (
            [("Abass Dembélé", "General", ""), ("Néma Sagara", "Brigadier General", "air force")],
            "at least 45",
        )
        assert expected == (
            [(o.name, o.rank, o.branch) for o in state.held],
            str(state.reported_detained),
        )

    @pytest.mark.parametrize(("policy", "expected"), [("certain", 0), ("possible", 2)])
    def test_mid_august_is_uncertain(
        self, log: Log, policy: chronicle.Policy, expected: int
    ) -> None:
        """The arrests are dated "2025-08": on 15 August they are possible, not certain."""
        state = chronicle.replay(log, DetainedOfficers, as_of="2025-08-15", policy=policy)
        assert expected == len(state.held)


class TestConflictToll:
    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [("2025-05-31", (0, 0)), ("2025-06-01", (1, 0)), ("2025-08-31", (1, 1))],
    )
    def test_attack_and_figure(self, log: Log, as_of: str, expected: tuple[int, int]) -> None:
        """Boulkessi counts from 1 June 2025; ACLED's undated figure from the article's month."""
        toll = chronicle.replay(log, ConflictToll, as_of=as_of)
        assert expected == (len(toll.attacks), len(toll.reports))

    def test_figures_as_reported(self, log: Log) -> None:
        """ "More than 30" soldiers at Boulkessi; 7,620 killed in the Sahel in early 2024."""
        toll = chronicle.replay(log, ConflictToll)
        expected = ("more than 30", "7,620", "2024-01/2024-06")
        report = toll.reports[0]
        assert expected == (str(toll.killed_in_attacks), str(report.killed), str(report.period))


class TestKnownAt:
    @pytest.mark.parametrize(
        ("known_at", "expected"),
        [("2025-09-07", NDAW), (BEFORE_RETRACTION, GOITA), (None, NDAW)],
    )
    def test_the_duplicate_coup(self, log: Log, known_at: str | None, expected: str) -> None:
        """On 22 May 2021, N'Daw still ruled, except while the 21 May duplicate was on record."""
        assert expected == head(log, "2021-05-22", known_at=known_at)

    @pytest.mark.parametrize(
        ("known_at", "expected"), [(BEFORE_CORRECTION, "active"), (None, "dissolved")]
    )
    def test_the_corrected_dissolution(self, log: Log, known_at: str | None, expected: str) -> None:
        """On 20 May 2025 parties were dissolved, as known once the decree's day was recorded."""
        state = chronicle.replay(log, PartyStatus, as_of="2025-05-20", known_at=known_at)
        assert expected == state.status

    def test_nothing_known_before_the_compilation(self, log: Log) -> None:
        """Before 1 September 2025 the chronicle held nothing."""
        assert None is head(log, "2025-08-31", known_at="2025-08-31")


class TestExampleScript:
    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(EXAMPLES / "mali.py"), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=120,
        )

    def test_report(self) -> None:
        """The report names the rulers, the detained generals, the drift and the corrections."""
        result = self.run()
        wanted = [
            KEITA,
            NDAW,
            GOITA,
            "Abass Dembélé",
            "Néma Sagara",
            "at least 45",
            "Postponed 4 times",
            "Retracted the CoupOccurred of 2021-05-21",
            "Corrected the PartiesDissolved of 2025-05",
        ]
        assert (0, []) == (result.returncode, [w for w in wanted if w not in result.stdout])

    def test_one_date(self) -> None:
        """--as-of shows a single date: on the eve of the second coup, N'Daw rules."""
        result = self.run("--as-of", "2021-05-23")
        rulers = [line for line in result.stdout.splitlines() if "head of state" in line]
        assert (0, 1, True) == (result.returncode, len(rulers), NDAW in rulers[0])

    def test_bad_date(self) -> None:
        """A date that is not EDTF is refused with the reason, and exit status 2."""
        result = self.run("--as-of", "2025-13")
        assert (2, True) == (result.returncode, "month 13 does not exist" in result.stderr)
