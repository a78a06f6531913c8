"""Several streams are shown one by one, never folded together; a name not in the log is refused.

A log of 200 countries folded into one state gave one head of state with Stalin
among his predecessors; a stream, office or projector mistyped gave an empty answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import chronicle
from chronicle.politics import HeadOfState, PromisedElection
from tests.cli.conftest import json_lines, run
from tests.cli.test_errors import one_error_line

LEADERS = {"burkina": "Ibrahim Traoré", "mali": "Assimi Goïta", "niger": "Abdourahamane Tiani"}


def sections(stdout: str) -> dict[str, str]:
    """The text under each stream's heading (a line that is a stream name, or starts one)."""
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in stdout.splitlines():
        name = line.split(",")[0].split(":")[0]
        if name in LEADERS:
            current = found.setdefault(name, [])
        current.append(line)
    return {name: "\n".join(lines) for name, lines in found.items()}


class TestSections:
    def test_state_has_a_section_per_stream(self, countries: Path) -> None:
        """Each stream's head of state is in its own section, and in no other."""
        result = run("state", countries, "-p", "politics.HeadOfState")
        shown = sections(result.stdout)
        assert (0, sorted(LEADERS)) == (result.exit_code, sorted(shown))
        for stream, text in shown.items():
            assert [LEADERS[stream]] == [name for name in LEADERS.values() if name in text]

    def test_state_json_is_each_streams_replay(self, countries: Path) -> None:
        """state --json is a line per stream: the stream, and its states alone."""
        lines = json_lines(run("state", countries, "-p", "politics.HeadOfState", "--json").stdout)
        with chronicle.open(countries) as log:
            expected = [
                {
                    "stream": stream,
                    "states": {
                        "politics.HeadOfState": json.loads(
                            json.dumps(
                                chronicle._codec.converter.unstructure(
                                    chronicle.replay(log, HeadOfState, stream=stream)
                                )
                            )
                        )
                    },
                }
                for stream in log.streams()
            ]
        assert expected == lines

    def test_history_has_a_section_per_stream(self, countries: Path) -> None:
        """history shows each stream's changes under its name, none of another's."""
        result = run("history", countries, "-p", "politics.HeadOfState")
        shown = sections(result.stdout)
        assert sorted(LEADERS) == sorted(shown)
        for stream, text in shown.items():
            assert f"Elder {stream}" in text
            assert [LEADERS[stream]] == [name for name in LEADERS.values() if name in text]

    def test_history_json_names_the_stream(self, countries: Path) -> None:
        """history --json gives each step its stream, and the step is that stream's history."""
        lines = json_lines(
            run("history", countries, "-p", "politics.PromisedElection", "--json").stdout
        )
        with chronicle.open(countries) as log:
            expected = [
                (stream, str(when))
                for stream in log.streams()
                for when, _ in chronicle.history(log, PromisedElection, stream=stream)
            ]
        assert expected == [(line["stream"], line["date"]) for line in lines]

    def test_timeline_has_a_section_per_stream(self, countries: Path) -> None:
        """The timeline lists each stream's events under its name."""
        result = run("timeline", countries)
        shown = sections(result.stdout)
        assert sorted(LEADERS) == sorted(shown)
        for stream, text in shown.items():
            assert [LEADERS[stream]] == [name for name in LEADERS.values() if name in text]

    def test_one_stream_on_request(self, countries: Path) -> None:
        """--stream shows that stream alone."""
        result = run("state", countries, "-s", "niger", "-p", "politics.HeadOfState")
        assert ["niger"] == list(sections(result.stdout))


class TestUnknownNames:
    @pytest.mark.parametrize(
        "command",
        [
            ["state"],
            ["timeline"],
            ["history", "-p", "politics.HeadOfState"],
            ["export"],
            ["promises"],
        ],
    )
    @pytest.mark.parametrize(("typo", "meant"), [("Mali", "mali"), ("nigr", "niger")])
    def test_unknown_stream(
        self, countries: Path, command: list[str], typo: str, meant: str
    ) -> None:
        """A stream the log does not hold is an error that names the close match and the streams."""
        result = run(command[0], countries, *command[1:], "--stream", typo)
        line = one_error_line(result.stderr)
        assert 1 == result.exit_code
        assert f"--stream: no stream {typo!r} in {countries}; did you mean {meant!r}?" in line
        assert "'burkina', 'mali', 'niger'" in line
        assert "" == result.stdout

    def test_unknown_stream_without_a_close_one(self, countries: Path) -> None:
        """With nothing close, the error lists the streams there are."""
        line = one_error_line(run("state", countries, "-s", "thailand").stderr)
        assert "no stream 'thailand'" in line
        assert "did you mean" not in line
        assert "there are: 'burkina', 'mali', 'niger'" in line

    def test_unknown_projector_names_the_close_one(self, countries: Path) -> None:
        """A projector name with a typo, or without its domain, is refused with the close match."""
        for typo in ("politics.HeadOfStat", "HeadOfState"):
            line = one_error_line(run("state", countries, "-p", typo).stderr)
            assert f"unknown projector {typo!r}; did you mean 'politics.HeadOfState'?" in line

    def test_unknown_office_names_the_close_one(self, countries: Path) -> None:
        """promises --office with a typo is refused with the offices the log promised votes for."""
        result = run("promises", countries, "--office", "presidnet")
        line = one_error_line(result.stderr)
        assert 1 == result.exit_code
        assert "--office: no promised vote for office 'presidnet'" in line
        assert "did you mean 'president'?" in line

    def test_many_streams_are_listed_in_part(self, tmp_path: Path) -> None:
        """A log of many streams lists a dozen of them, and how many more there are."""
        from tests.domain import Appointed

        path = tmp_path / "many.jsonl"
        with chronicle.open(path) as log:
            for number in range(30):
                log.append(f"s{number:02}", [Appointed(occurred="2020", office="o", name="n")])
        line = one_error_line(run("timeline", path, "-s", "x").stderr)
        assert "'s00', 's01'," in line
        assert "and 18 more" in line
