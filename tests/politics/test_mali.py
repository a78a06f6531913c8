"""The Mali chronology: its file, and its answers around every transition it records."""

from __future__ import annotations

import hashlib
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
    HeadOfGovernment,
    HeadOfState,
    PartyStatus,
    PromisedElection,
)
from chronicle.stores import Batch

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHRONOLOGY = EXAMPLES / "mali.jsonl"
KEYS = ["position", "stream", "version", "recorded_at", "id", "type", "v", "data"]

CNSP = "National Committee for the Salvation of the People (CNSP)"
KEITA = "Ibrahim Boubacar Keïta"
GOITA = "Assimi Goïta"
NDAW = "Bah N'Daw"
CHOGUEL = "Choguel Kokalla Maïga"
ABDOULAYE_MAIGA = "Abdoulaye Maïga"
BEFORE_RETRACTION = "2025-09-10"  # the Powell & Thyne duplicate is in, not yet retracted
BEFORE_CORRECTION = "2025-09-30"  # the dissolution is still dated "2025-05"
BEFORE_REDATING = "2026-11-30"  # the events the sources date to the day are still loosely dated
BEFORE_ADDITIONS = "2026-12-05"  # re-dated, but the court's proclamation and the premiers not in
FIRST_COMPILATION = (21, "323351952522bce4baebb156285c0d823f380a19897a31443e69c4592f549b4d")
"""The first 21 lines of the file and their SHA-256: what later appends must leave alone."""


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
            Batch(
                stream="mali",
                entries=[record.event for record in group],
                stored=[stored_entry(record.event) for record in group],
                ids=[record.id for record in group],
                expected_version=ANY,
                recorded_at=moment,
                exact_time=True,
            )
        )
    return Log(store)


@pytest.fixture(scope="module")
def log() -> Log:
    return load()


def head(log: Log, as_of: str, **options: Any) -> str | None:
    leader = chronicle.replay(log, HeadOfState, as_of=as_of, **options).current
    return None if leader is None else leader.name


def title(log: Log, as_of: str, **options: Any) -> str | None:
    leader = chronicle.replay(log, HeadOfState, as_of=as_of, **options).current
    return None if leader is None else leader.title


def premier(log: Log, as_of: str, **options: Any) -> str | None:
    leader = chronicle.replay(log, HeadOfGovernment, as_of=as_of, **options).current
    return None if leader is None else leader.name


def parties(log: Log, as_of: str, **options: Any) -> str:
    return chronicle.replay(log, PartyStatus, as_of=as_of, **options).status


def held(log: Log, as_of: str, **options: Any) -> list[str]:
    return [o.name for o in chronicle.replay(log, DetainedOfficers, as_of=as_of, **options).held]


def made(log: Log, as_of: str, **options: Any) -> str:
    """When the promise in force for the presidential vote was made."""
    drift = chronicle.replay(log, PromisedElection, as_of=as_of, **options)["president"]
    return str(drift.promises[-1].made)


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
            "2026-12-01T09:00:00+00:00",
            "2026-12-08T09:00:00+00:00",
        ]
        assert expected == [time for time, _ in itertools.groupby(times)]

    def test_the_first_compilation_is_kept_byte_for_byte(self) -> None:
        """Corrections are appended: the lines recorded before them are never rewritten."""
        count, digest = FIRST_COMPILATION
        with CHRONOLOGY.open("rb") as file:
            first = b"".join(itertools.islice(file, count))
        assert digest == hashlib.sha256(first).hexdigest()

    def test_ids_are_deterministic(self) -> None:
        """Ids are name-based (UUID version 5) and unique, so the file diffs cleanly."""
        ids = [uuid.UUID(line["id"]) for line in stored_lines()]
        assert ({5}, len(ids)) == ({i.version for i in ids}, len(set(ids)))

    def test_every_entry_has_a_source(self, log: Log) -> None:
        """Every event, correction and replacement names a source with a publisher and a note."""
        entries = [(record.position, record.event) for record in log.read()]
        entries += [
            (record.position, record.event.replacement)
            for record in log.read()
            if isinstance(record.event, chronicle.Corrected)
        ]
        unsourced = [
            position
            for position, entry in entries
            if not any(source.publisher.strip() and source.note.strip() for source in entry.sources)
        ]
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
        """The retraction and the corrections, each recorded after the record it amends."""
        corrections: list[tuple[str, bool]] = []
        for record in log.read():
            if isinstance(record.event, Correction):
                target: Record = log.get(record.event.target)  # type: ignore[assignment]
                later = target.recorded_at < record.recorded_at
                corrections.append((type(record.event).__name__, later))
        assert [("Retracted", True)] + [("Corrected", True)] * 8 == corrections


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
            ("2020-08-19", f"leader of the {CNSP}"),
            ("2021-05-25", "coup leader"),
            ("2021-05-27", "coup leader"),  # the eve of the court's proclamation
            ("2021-05-28", "President of the Transition"),  # declared by the court
            ("2021-05-30", "President of the Transition"),
            ("2021-06-07", "President of the Transition"),  # sworn in
        ],
    )
    def test_titles(self, log: Log, as_of: str, expected: str) -> None:
        """A coup leader holds power as such until the court declares him President."""
        assert expected == title(log, as_of)

    def test_the_oath_opens_no_second_tenure(self, log: Log) -> None:
        """Goïta is President of the Transition since the ruling of 28 May, sworn in or not."""
        before, after = (
            chronicle.replay(log, HeadOfState, as_of=day).current for day in ("2021-06-06", None)
        )
        assert (before, "2021-05-28") == (after, str(after.since))  # type: ignore[union-attr]

    def test_succession(self, log: Log) -> None:
        """Five tenures: Keïta, Goïta (CNSP), N'Daw, Goïta (coup), Goïta (declared by the court)."""
        state = chronicle.replay(log, HeadOfState)
        expected = [KEITA, GOITA, NDAW, GOITA, GOITA]
        assert expected == [leader.name for leader in (*state.former, state.current)]  # type: ignore[union-attr]

    @pytest.mark.parametrize(("as_of", "expected"), [("2020-08-19", 1), ("2021-05-26", 3)])
    def test_resignations_after_the_coups_change_nothing(
        self, log: Log, as_of: str, expected: int
    ) -> None:
        """Keïta's and N'Daw's resignations follow the coups that ousted them: no vacancy."""
        state = chronicle.replay(log, HeadOfState, as_of=as_of)
        assert (GOITA, expected) == (state.current.name, len(state.former))  # type: ignore[union-attr]


class TestHeadOfGovernment:
    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2019-04-21", None),
            ("2019-04-22", "Boubou Cissé"),
            ("2020-08-17", "Boubou Cissé"),
            ("2020-08-19", None),  # the government dissolved by Keïta on the night of the coup
            ("2020-09-26", None),
            ("2020-09-27", "Moctar Ouane"),
            ("2021-05-25", "Moctar Ouane"),  # arrested on the 24th, resigned on the 26th
            ("2021-05-26", None),
            ("2021-06-06", None),
            ("2021-06-07", CHOGUEL),
            ("2022-08-20", CHOGUEL),
            ("2022-08-21", ABDOULAYE_MAIGA),  # interim while the prime minister was ill
            ("2022-12-03", ABDOULAYE_MAIGA),
            ("2022-12-04", CHOGUEL),
            ("2024-11-19", CHOGUEL),
            ("2024-11-20", None),  # dismissed
            ("2024-11-21", ABDOULAYE_MAIGA),
            ("2025-08-31", ABDOULAYE_MAIGA),
        ],
    )
    def test_around_each_change(self, log: Log, as_of: str, expected: str | None) -> None:
        """The prime minister the day before and of each appointment and departure."""
        assert expected == premier(log, as_of)

    def test_not_known_before_their_addition(self, log: Log) -> None:
        """Heads of government were added on 8 December 2026: before, the record names none."""
        assert (None, ABDOULAYE_MAIGA) == (
            premier(log, "2025-08-31", known_at=BEFORE_ADDITIONS),
            premier(log, "2025-08-31"),
        )


class TestPromisedElection:
    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2020-09-11", None),
            ("2020-09-12", "2020-09-12/2022-03"),  # "within 18 months"
            ("2021-04-14", "2020-09-12/2022-03"),
            ("2021-04-15", "2022-02-27"),  # the calendar of 15 April 2021
            ("2021-09-16", "2022-02-27"),  # ECOWAS still holds to February 2022
            ("2021-11-06", "2022-02-27"),  # ... the notification to ECOWAS is not yet certain
            ("2021-11-07", "none"),  # ... and certain by the summit of 7 November
            ("2021-12-30", "none"),
            ("2021-12-31", "2021-12-31/2026-12"),  # the five-year timetable handed to ECOWAS
            ("2022-06-05", "2021-12-31/2026-12"),
            ("2022-06-06", "2022-06-06/2024-03-26"),  # the decree: 24 months from 26 March 2022
            ("2022-06-28", "2022-06-06/2024-03-26"),
            ("2022-06-29", "2024-02-04"),  # the timetable
            ("2023-09-24", "2024-02-04"),  # the eve of the postponement of 25 September 2023
            ("2023-09-26", "none"),
            ("2025-07-07", "none"),
            ("2025-07-08", "none"),  # the mandate of 8 July 2025
            ("2025-08-30", "none"),  # the article's undated postponement to 2027 ...
            ("2025-08-31", "2027"),  # ... folds at the end of its window (see the possibilities)
        ],
    )
    def test_around_each_promise(self, log: Log, as_of: str, expected: str | None) -> None:
        """The date promised the day before and of each schedule and postponement."""
        assert expected == promised(log, as_of)

    def test_autumn_2021_was_possibly_postponed(self, log: Log) -> None:
        """On 1 October 2021 the notification may have been made: policy="possible" counts it."""
        assert ("2022-02-27", "none") == (
            promised(log, "2021-10-01"),
            promised(log, "2021-10-01", policy="possible"),
        )

    def test_the_drift(self, log: Log) -> None:
        """Nine promises, four postponements, and the vote slipped from March 2022 to 2027."""
        drift = chronicle.replay(log, PromisedElection)["president"]
        expected = (9, 4, "2027", 2101)
        assert expected == (
            len(drift.promises),
            drift.postponements,
            str(drift.current),
            drift.total_slip,
        )

    def test_both_claims_about_the_vote_keep_their_sources(self, log: Log) -> None:
        """The charter (no date) and the article (2027) are both on record, each with its words."""
        drift = chronicle.replay(log, PromisedElection)["president"]
        notes = {str(p.made): " ".join(s.note for s in p.sources) for p in drift.promises}
        assert (True, True) == (
            "pushing the vote to 2027" in notes["2023-09/2025-08"],
            "It sets no election date" in notes["2025-07-08"],
        )


class TestPartyStatus:
    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2024-03-31", "active"),
            ("2024-04-09", "active"),
            ("2024-04-10", "suspended"),  # the decree of 10 April 2024
            ("2024-04-15", "suspended"),
            ("2024-06-30", "suspended"),
            ("2024-07-09", "suspended"),
            ("2024-07-10", "active"),  # lifted by the Council of Ministers on 10 July 2024
            ("2024-07-15", "active"),
            ("2025-05-12", "active"),
            ("2025-05-13", "dissolved"),  # the decree
            ("2025-05-14", "dissolved"),
        ],
    )
    def test_around_each_change(self, log: Log, as_of: str, expected: str) -> None:
        """Parties suspended 10 April 2024, restored 10 July 2024, dissolved 13 May 2025."""
        assert expected == parties(log, as_of)

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
        assert expected == parties(log, as_of, known_at=BEFORE_CORRECTION, policy=policy)


class TestDetainedOfficers:
    def test_before_the_arrests(self, log: Log) -> None:
        """Nobody is held before August 2025."""
        state = chronicle.replay(log, DetainedOfficers, as_of="2025-07-31")
        assert ((), None) == (state.held, state.reported_detained)

    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2025-08-06", []),
            ("2025-08-07", ["Néma Sagara"]),  # arrested on 7 August (SeneNews)
            ("2025-08-09", ["Néma Sagara"]),
            ("2025-08-10", ["Néma Sagara", "Abass Dembélé"]),  # early on Sunday 10 August (AFP)
        ],
    )
    def test_each_general_from_the_day_of_the_arrest(
        self, log: Log, as_of: str, expected: list[str]
    ) -> None:
        """Each named officer is held from the day the sources give for their arrest."""
        assert expected == held(log, as_of)

    def test_in_august_2025(self, log: Log) -> None:
        """By the end of August 2025: two generals named, at least 45 soldiers reported."""
        state = chronicle.replay(log, DetainedOfficers, as_of="2025-08-31")
        expected = (
            [("Néma Sagara", "Brigadier General", "air force"), ("Abass Dembélé", "General", "")],
            "at least 45",
        )
        assert expected == (
            [(o.name, o.rank, o.branch) for o in state.held],
            str(state.reported_detained),
        )

    @pytest.mark.parametrize(
        ("policy", "expected"), [("certain", "None"), ("possible", "at least 45")]
    )
    def test_the_wave_of_arrests_is_certain_once_reported(
        self, log: Log, policy: chronicle.Policy, expected: str
    ) -> None:
        """The 45 arrests, from 1 August to the reports of 11 August, are possible on the 10th."""
        state = chronicle.replay(log, DetainedOfficers, as_of="2025-08-10", policy=policy)
        assert expected == str(state.reported_detained)


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


Question = Any
"""A function (log, as_of, **options) -> answer: head, title, premier, parties, held, promised."""


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

    @pytest.mark.parametrize(
        ("ask", "expected"),
        [
            (
                parties,
                [("2024-04-15", "suspended", "active"), ("2024-07-15", "active", "suspended")],
            ),
            (title, [("2021-05-30", "President of the Transition", "coup leader")]),
            (promised, [("2021-11-30", "none", "2022-02-27")]),
        ],
        ids=["parties", "title", "promise"],
    )
    def test_the_loose_dates_as_first_recorded(
        self, log: Log, ask: Question, expected: list[tuple[str, str, str]]
    ) -> None:
        """Replayed as known before the re-dating, the old answers stand (added, not rewritten)."""
        actual = [
            (day, ask(log, day), ask(log, day, known_at=BEFORE_REDATING)) for day, *_ in expected
        ]
        assert expected == actual


REDATED: list[tuple[str, Question, str, object, str, object, object]] = [
    # (event, question, the day before, answer, the new day, answer, answer as first recorded)
    (
        "calendar",
        promised,
        "2021-04-14",
        "2020-09-12/2022-03",
        "2021-04-15",
        "2022-02-27",
        "2020-09-12/2022-03",
    ),
    ("abandonment", promised, "2021-11-06", "2022-02-27", "2021-11-07", "none", "2022-02-27"),
    (
        "timetable",
        promised,
        "2022-06-28",
        "2022-06-06/2024-03-26",
        "2022-06-29",
        "2024-02-04",
        "none",
    ),
    ("suspension", parties, "2024-04-09", "active", "2024-04-10", "suspended", "active"),
    ("restoration", parties, "2024-07-09", "suspended", "2024-07-10", "active", "suspended"),
    ("charter", made, "2025-07-07", "2023-09-25", "2025-07-08", "2025-07-08", "2023-09-25"),
    (
        "arrest",
        held,
        "2025-08-09",
        ["Néma Sagara"],
        "2025-08-10",
        ["Néma Sagara", "Abass Dembélé"],
        [],
    ),
]
"""Each re-dated event: the state the day before its new date, on it, and on it as first known."""


class TestRedated:
    @pytest.mark.parametrize("case", REDATED, ids=[case[0] for case in REDATED])
    def test_the_day_before_and_the_day(self, log: Log, case: tuple[Any, ...]) -> None:
        """The answer changes on the day the sources give, not before."""
        _, ask, before, was, day, now, _ = case
        assert (was, now) == (ask(log, before), ask(log, day))

    @pytest.mark.parametrize("case", REDATED, ids=[case[0] for case in REDATED])
    def test_as_first_recorded(self, log: Log, case: tuple[Any, ...]) -> None:
        """As the record stood before the corrections, the new day still had the old answer."""
        _, ask, _, _, day, _, first = case
        assert first == ask(log, day, known_at=BEFORE_REDATING)


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
            "head of government",
            "Choguel Kokalla Maïga",
            "Corrected the PartiesSuspended of 2024-04",
            "Retracted the CoupOccurred of 2021-05-21",
            "Corrected the PartiesDissolved of 2025-05",
        ]
        assert (0, []) == (result.returncode, [w for w in wanted if w not in result.stdout])

    def test_an_uncertain_answer_and_why(self) -> None:
        """At the end of 2025 the vote is promised for 2027 or for no date; the report says why."""
        result = self.run("--as-of", "2025-12-31")
        lines = [line.strip() for line in result.stdout.splitlines()]
        start = next(i for i, line in enumerate(lines) if line.startswith("election promised"))
        assert [
            "election promised  uncertain: 2027 (postponed to it 2023-09/2025-08,"
            " unnamed news outlet)",
            "or: no date (postponed 2025-07-08, Republic of Mali)",
            "why: their dates leave open when they came: 2025-07-08 ElectionPostponed (Republic of"
            " Mali, Agence France-Presse, Africanews); 2023-09/2025-08 ElectionPostponed (unnamed"
            " news outlet)",
        ] == lines[start : start + 3]

    def test_one_date(self) -> None:
        """--as-of shows a single date: on the eve of the second coup, N'Daw rules."""
        result = self.run("--as-of", "2021-05-23")
        rulers = [line for line in result.stdout.splitlines() if "head of state" in line]
        assert (0, 1, True) == (result.returncode, len(rulers), NDAW in rulers[0])

    def test_bad_date(self) -> None:
        """A date that is not EDTF is refused with the reason, and exit status 2."""
        result = self.run("--as-of", "2025-13")
        assert (2, True) == (result.returncode, "month 13 does not exist" in result.stderr)


def current(state: Any) -> str:
    """The date now promised for the presidential vote, "no date" if none."""
    promised_now = state["president"].current
    return "no date" if promised_now is None else str(promised_now)


class TestUncertainty:
    def test_the_vote_promised_at_the_end_of_2025(self, log: Log) -> None:
        """2027 (the article) or no date (the charter): the record allows both, and says whose."""
        found = chronicle.possibilities(log, PromisedElection, as_of="2025-12-31", view=current)
        alternatives = {
            current(p.state): {s.publisher for s in p.state["president"].promises[-1].sources}
            for p in found
        }
        assert (False, {"2027", "no date"}) == (found.certain, set(alternatives))
        assert (True, True) == (
            "unnamed news outlet" in alternatives["2027"],
            "Republic of Mali" in alternatives["no date"],
        )

    def test_what_splits_it(self, log: Log) -> None:
        """The article's undated postponement and the charter, whose order nobody knows."""
        answer = chronicle.why(log, PromisedElection, as_of="2025-12-31", view=current)
        assert ["2025-07-08", "2023-09/2025-08"] == [
            str(o.event.occurred) for o in answer.undecided
        ]

    @pytest.mark.parametrize(
        ("as_of", "expected"), [("2024-04-15", "suspended"), ("2024-07-15", "active")]
    )
    def test_the_parties_are_certain(self, log: Log, as_of: str, expected: str) -> None:
        """Suspended on 15 April 2024, active again on 15 July 2024, and no other state allowed."""
        found = chronicle.possibilities(log, PartyStatus, as_of=as_of)
        assert (True, expected) == (found.certain, found.replayed.status)

    def test_the_head_of_state_after_the_court(self, log: Log) -> None:
        """On 30 May 2021: Goïta, President of the Transition, certainly."""
        found = chronicle.possibilities(log, HeadOfState, as_of="2021-05-30")
        leader = found.replayed.current
        assert (True, GOITA, "President of the Transition") == (
            found.certain,
            leader.name,  # type: ignore[union-attr]
            leader.title,  # type: ignore[union-attr]
        )

    @pytest.mark.parametrize(
        ("projector", "as_of", "count"),
        [
            (HeadOfState, None, 1),
            (HeadOfGovernment, "2020-08-18", 2),  # Cissé may have left that night, or not yet
            (PromisedElection, "2023-09-30", 3),
            (PromisedElection, None, 3),
            (DetainedOfficers, "2025-08-10", 2),  # the 45 arrests may be past, or not yet
            (ConflictToll, None, 1),
        ],
    )
    def test_how_many_states(
        self, log: Log, projector: chronicle.Projector[Any], as_of: str | None, count: int
    ) -> None:
        """The states the record allows, on a few days, whole states compared."""
        assert count == len(chronicle.possibilities(log, projector, as_of=as_of))
