"""``state``, ``timeline`` and ``history``: the library's answers, as tables and as JSON."""

from __future__ import annotations

import datetime
import json
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import Record, history, replay, timeline
from chronicle._cli._render import occurrence_dict
from chronicle._codec import converter
from chronicle.politics import (
    PROJECTORS,
    HeadOfState,
    PartiesDissolved,
    PartiesRestored,
    PartiesSuspended,
    PartyStatus,
    PromisedElection,
)
from tests.cli.conftest import json_lines, run

CLI_EXAMPLES = settings(max_examples=50)
"""Properties that run the whole command check its wiring (the library's semantics are
property-tested on their own), so fewer examples do: each one opens and replays the log."""

DAYS = st.dates(datetime.date(2012, 1, 1), datetime.date(2028, 12, 31))
PROJECTOR_NAMES = st.lists(st.sampled_from(sorted(PROJECTORS)), min_size=1, unique=True)


def records_of(path: Path) -> list[Record]:
    with chronicle.open(path) as log:
        return list(log.read())


def known_ats(path: Path) -> st.SearchStrategy[datetime.datetime]:
    """Instants around the record times of the log: just before, at and after each."""
    times = sorted({record.recorded_at for record in records_of(path)})
    offsets = st.sampled_from([-1, 0, 1]).map(lambda s: datetime.timedelta(seconds=s))
    return st.builds(lambda t, d: t + d, st.sampled_from(times), offsets)


def plain(value: object) -> object:
    """What the JSON output of ``value`` parses back to."""
    return json.loads(json.dumps(converter.unstructure(value), ensure_ascii=False))


class TestState:
    @CLI_EXAMPLES
    @given(data=st.data(), day=DAYS, names=PROJECTOR_NAMES)
    def test_json_is_the_replay(self, shared_mali: Path, data, day, names) -> None:
        """state --json prints, by projector name, the states replay gives for the same query.

        And, for each answer that is not certain, every state the record allows and
        the positions of the events that split them, as ``possibilities`` gives them.
        """
        known_at = data.draw(st.none() | known_ats(shared_mali))
        args = ["--as-of", day.isoformat()]
        if known_at is not None:
            args += ["--known-at", known_at.isoformat()]
        for name in names:
            args += ["--projector", name]
        result = run("state", shared_mali, *args, "--json")
        with chronicle.open(shared_mali) as log:
            states = replay(log, [PROJECTORS[n] for n in names], as_of=day, known_at=known_at)
            found = {
                name: chronicle.possibilities(log, PROJECTORS[name], as_of=day, known_at=known_at)
                for name in names
            }
        assert 0 == result.exit_code, result.output
        expected = {"stream": "mali", "states": plain(dict(zip(names, states, strict=True)))}
        uncertain = {name: answer for name, answer in found.items() if not answer.certain}
        if uncertain:
            expected["possible"] = {
                name: plain([p.state for p in answer]) for name, answer in uncertain.items()
            }
            expected["undecided"] = {
                name: [o.record.position for o in answer.undecided]
                for name, answer in uncertain.items()
            }
        [line] = json_lines(result.stdout)
        if "undecided" in line:
            line["undecided"] = {
                name: [o["position"] for o in found] for name, found in line["undecided"].items()
            }
        assert expected == line

    def test_default_is_every_known_projector(self, shared_mali: Path) -> None:
        """Without --projector, state shows every projector of the politics domain."""
        result = run("state", shared_mali, "--json")
        assert sorted(PROJECTORS) == sorted(json.loads(result.stdout)["states"])

    def test_head_of_state_between_the_coups(self, shared_mali: Path) -> None:
        """The chronology's heads of state: Keïta before the first coup, N'Daw between the two."""
        before = run("state", shared_mali, "--as-of", "2020-08-17", "-p", "politics.HeadOfState")
        between = run("state", shared_mali, "--as-of", "2021-01", "-p", "politics.HeadOfState")
        assert "Ibrahim Boubacar Keïta" in before.stdout
        assert "Bah N'Daw" in between.stdout
        assert "Bah N'Daw" not in before.stdout

    def test_possible_policy(self, shared_mali: Path) -> None:
        """--policy possible counts an event "in May 2025" on 10 May; certain does not."""
        args = ("state", shared_mali, "--as-of", "2025-05-10", "-p", "politics.PartyStatus")
        with chronicle.open(shared_mali) as log:
            expected = {
                policy: plain(
                    {
                        "politics.PartyStatus": replay(
                            log,
                            PROJECTORS["politics.PartyStatus"],
                            as_of="2025-05-10",
                            policy=policy,
                        )
                    }
                )
                for policy in ("certain", "possible")
            }
        for policy in ("certain", "possible"):
            result = run(*args, "--policy", policy, "--json")
            assert expected[policy] == json.loads(result.stdout)["states"]

    def test_snapshots_give_the_same_states_and_stay_for_the_next_run(self, tmp_path: Path) -> None:
        """state --snapshots answers as without, leaving checkpoints in the log's database."""
        database = tmp_path / "parties.db"
        first = datetime.date(2000, 1, 1)
        kinds = (PartiesSuspended, PartiesRestored, PartiesDissolved)
        with chronicle.open(database) as log:
            log.append(
                "x",
                [
                    kinds[n % 3](occurred=first + datetime.timedelta(days=n), scope=f"scope {n}")
                    for n in range(2500)
                ],
            )
        for day in ("2001-02-03", "2004", "2006-09-28"):
            args = ("state", database, "--as-of", day, "-p", "politics.PartyStatus", "--json")
            expected = json.loads(run(*args).stdout)
            assert expected == json.loads(run(*args, "--snapshots").stdout)
            assert expected == json.loads(run(*args, "--snapshots").stdout)
        with chronicle.open(database) as log, chronicle.Snapshots(log) as cache:
            assert 2 == len(cache.checkpoints(PartyStatus, stream="x"))

    def test_without_snapshots_nothing_is_written(self, mali: Path) -> None:
        """A plain state query leaves the log's directory as it was: no snapshot side file."""
        before = sorted(child.name for child in mali.parent.iterdir())
        assert 0 == run("state", mali, "--as-of", "2021").exit_code
        assert before == sorted(child.name for child in mali.parent.iterdir())
        assert 0 == run("state", mali, "--as-of", "2021", "--snapshots").exit_code
        assert [*before, "mali.jsonl.snapshots"] == sorted(
            child.name for child in mali.parent.iterdir() if "-" not in child.name
        )

    def test_detainees_in_words(self, shared_mali: Path) -> None:
        """Detained officers read as words: names held and the total reported, no field names."""
        result = run("state", shared_mali, "-p", "politics.DetainedOfficers")
        assert 0 == result.exit_code
        for words in ("officers held", "General Abass Dembélé", "reported detained", "at least 45"):
            assert words in result.stdout
        assert "reported_detained" not in result.stdout

    def test_own_projector_by_module_and_attribute(self, tmp_path: Path) -> None:
        """--projector module:attribute replays a projector of one's own."""
        from tests.domain import Appointed, offices

        path = tmp_path / "offices.jsonl"
        with chronicle.open(path) as log:
            log.append("x", [Appointed(occurred="2020-03", office="mayor", name="Ada")])
        result = run("state", path, "-p", "tests.domain:offices", "--json")
        with chronicle.open(path) as log:
            expected = plain({"test.Offices": replay(log, offices)})
        assert {"stream": "x", "states": expected} == json.loads(result.stdout)

    def test_own_module_in_the_current_directory(self, tmp_path: Path, monkeypatch) -> None:
        """A module:attribute projector is found in the directory the command is run from."""
        (tmp_path / "cli_council.py").write_text(
            "import chronicle\n"
            "@chronicle.event('clitest.elected')\n"
            "class Elected(chronicle.Event):\n"
            "    name: str\n"
            "council = chronicle.Projector('clitest.Council', initial=())\n"
            "@council.on(Elected)\n"
            "def _elected(state, event):\n"
            "    return (*state, event.name)\n",
            encoding="utf-8",
        )
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
        monkeypatch.delitem(sys.modules, "cli_council", raising=False)
        entries = tmp_path / "in.jsonl"
        entries.write_text(
            '{"stream": "x", "type": "clitest.elected", "v": 1,'
            ' "data": {"occurred": "2024-05", "name": "Ada"}}\n',
            encoding="utf-8",
        )
        log = tmp_path / "council.jsonl"
        assert 0 == run("--module", "cli_council", "append", log, entries).exit_code
        result = run("state", log, "-p", "cli_council:council", "--json")
        assert {"stream": "x", "states": {"clitest.Council": ["Ada"]}} == json.loads(result.stdout)


class TestTimeline:
    @CLI_EXAMPLES
    @given(data=st.data())
    def test_json_is_the_timeline(self, shared_mali: Path, data) -> None:
        """timeline --json lists the library's timeline, retracted events included."""
        known_at = data.draw(st.none() | known_ats(shared_mali))
        args = [] if known_at is None else ["--known-at", known_at.isoformat()]
        result = run("timeline", shared_mali, *args, "--json")
        with chronicle.open(shared_mali) as log:
            expected = [
                occurrence_dict(o) for o in timeline(log, known_at=known_at, include_retracted=True)
            ]
        assert plain(expected) == json_lines(result.stdout)

    @CLI_EXAMPLES
    @given(start=st.none() | DAYS, end=st.none() | DAYS)
    def test_from_to_keeps_the_events_that_overlap(self, shared_mali: Path, start, end) -> None:
        """--from/--to keep exactly the events whose dates overlap the range."""
        args = []
        if start is not None:
            args += ["--from", start.isoformat()]
        if end is not None:
            args += ["--to", end.isoformat()]
        shown = {
            o["position"] for o in json_lines(run("timeline", shared_mali, *args, "--json").stdout)
        }
        with chronicle.open(shared_mali) as log:
            for occurrence in timeline(log, include_retracted=True):
                when = occurrence.event.occurred
                overlaps = (start is None or when.latest >= start) and (
                    end is None or when.earliest <= end
                )
                assert overlaps == (occurrence.record.position in shown)

    def test_marks_retracted_and_corrected(self, shared_mali: Path) -> None:
        """Each amended event is marked with the kind, position and reason of its correction."""
        shown = json_lines(run("timeline", shared_mali, "--json").stdout)
        with chronicle.open(shared_mali) as log:
            corrections = {
                record.event.target: record
                for record in log.read()
                if isinstance(record.event, chronicle.Correction)
            }
        assert corrections, "the example holds corrections"
        for item in shown:
            fix = corrections.get(uuid.UUID(item["id"]))
            if fix is None:
                assert None is item["mark"]
            else:
                kind = "retracted" if isinstance(fix.event, chronicle.Retracted) else "corrected"
                assert f"{kind} (#{fix.position}): {fix.event.reason}" == item["mark"]

    def test_table_dates_at_their_own_precision(self, shared_mali: Path) -> None:
        """The table prints each event's date as its EDTF text: an interval stays an interval."""
        result = run("timeline", shared_mali)
        with chronicle.open(shared_mali) as log:
            dates = {str(o.event.occurred) for o in timeline(log, include_retracted=True)}
        assert any("/" in date for date in dates)
        for date in dates:
            assert date in result.stdout


class TestHistory:
    @pytest.mark.parametrize("projector", [HeadOfState, PromisedElection])
    def test_json_is_the_history(self, shared_mali: Path, projector) -> None:
        """history --json lists each change of state with its date, as the library does."""
        result = run("history", shared_mali, "--projector", projector.name, "--json")
        with chronicle.open(shared_mali) as log:
            expected = [
                {"stream": "mali", "date": when, "state": state}
                for when, state in history(log, projector)
            ]
        assert plain(expected) == json_lines(result.stdout)

    def test_a_dated_sentence_per_change(self, shared_mali: Path) -> None:
        """Each change is a line: its date, then what the event of that date did, in words."""
        result = run("history", shared_mali, "--projector", "politics.PromisedElection")
        with chronicle.open(shared_mali) as log:
            steps = history(log, PromisedElection)
        lines = result.stdout.splitlines()
        assert steps
        assert [f"{when}: " for when, _ in steps] == [
            line[: len(str(when)) + 2] for line, (when, _) in zip(lines[1:], steps, strict=False)
        ]
        assert (
            "2022-06-29: the vote for president was set for 4 Feb 2024,"
            " 51 days earlier than promised" in lines
        )
        assert "promises" not in result.stdout
