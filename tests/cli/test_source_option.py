"""--source: one source's view of a merged log, on the command line."""

from __future__ import annotations

from pathlib import Path

import chronicle
from chronicle import Source
from chronicle.politics import HeadOfStateInstalled
from tests.cli.conftest import json_lines, run

REIGN = Source(publisher="One Earth Future", title="REIGN leader list")
PAPER = Source(publisher="A newspaper", title="Soldiers seize power")


def merged(path: Path) -> Path:
    with chronicle.open(path) as log:
        log.append(
            "mali",
            [
                HeadOfStateInstalled(
                    occurred="2020-08-19", name="Assimi Goïta", title="Chairman", sources=(REIGN,)
                ),
                HeadOfStateInstalled(
                    occurred="2020-08-18",
                    name="Assimi Goïta",
                    title="Coup leader",
                    sources=(PAPER,),
                ),
            ],
        )
    return path


class TestSourceOption:
    def test_state_history_and_timeline_show_one_source(self, tmp_path: Path) -> None:
        """Each command reads only the events of the source named."""
        log = merged(tmp_path / "merged.jsonl")
        for source, title in (("reign", "Chairman"), ("NEWSPAPER", "Coup leader")):
            found = json_lines(
                run("state", log, "-p", "politics.HeadOfState", "--source", source, "--json").stdout
            )
            assert title == found[0]["states"]["politics.HeadOfState"]["current"]["title"]
            steps = run("history", log, "-p", "politics.HeadOfState", "--source", source).stdout
            assert title in steps
            assert 1 == len(json_lines(run("timeline", log, "--source", source, "--json").stdout))
