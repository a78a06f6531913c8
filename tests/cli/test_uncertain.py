"""Answers that say how sure they are: ``state`` marks, ``--why`` sources, ``verify`` warns."""

from __future__ import annotations

import re
from pathlib import Path

import chronicle
from chronicle.politics import ElectionPostponed, ElectionScheduled, PartiesSuspended
from tests.cli.conftest import json_lines, run

CHARTER = "Republic of Mali, 'Charte de la Transition, revised', 8 Jul 2025"
ARTICLE = "unnamed news outlet, Aug 2025"


def vote_row(stdout: str) -> str:
    [row] = [line for line in stdout.splitlines() if line.strip().startswith("vote for president")]
    return row


class TestState:
    def test_the_vote_promised_at_the_end_of_2025_is_uncertain(self, shared_mali: Path) -> None:
        """2027 (the article) or no date (the charter): both alternatives, both sources named."""
        result = run(
            "state", shared_mali, "--as-of", "2025-12-31", "-p", "politics.PromisedElection"
        )
        assert f"uncertain: 2027 ({ARTICLE}) or no date ({CHARTER}); postponed 4 times" in vote_row(
            result.stdout
        )

    def test_the_events_behind_the_alternatives(self, shared_mali: Path) -> None:
        """The row after an uncertain answer names the events whose order splits it."""
        result = run(
            "state", shared_mali, "--as-of", "2025-12-31", "-p", "politics.PromisedElection"
        )
        [depends] = [line for line in result.stdout.splitlines() if "depends on" in line]
        assert ["#16", "#17"] == re.findall(r"#[0-9]+", depends)

    def test_a_certain_answer_is_not_marked(self, shared_mali: Path) -> None:
        """Before September 2023 the promise in force is certain: no alternatives, no reasons."""
        result = run(
            "state", shared_mali, "--as-of", "2023-08-31", "-p", "politics.PromisedElection"
        )
        assert ("set for 4 Feb 2024", False) == (
            vote_row(result.stdout).split("  ")[-1].split(";")[0].strip(),
            "depends on" in result.stdout,
        )

    def test_possibly_happened_says_perhaps_not_yet(self, shared_mali: Path) -> None:
        """On 18 August 2020 the prime minister may or may not have left yet."""
        result = run(
            "state", shared_mali, "--as-of", "2020-08-18", "-p", "politics.HeadOfGovernment"
        )
        assert (
            "uncertain: Boubou Cissé, Prime Minister, since 22 Apr 2019 or vacant" in result.stdout
        )
        assert "head of government left, perhaps not yet" in result.stdout

    def test_json_lists_the_states_and_undecided_events(self, shared_mali: Path) -> None:
        """--json adds, for an uncertain answer, its states and the events that split them."""
        result = run(
            "state",
            shared_mali,
            "--as-of",
            "2025-12-31",
            "-p",
            "politics.PromisedElection",
            "--json",
        )
        [line] = json_lines(result.stdout)
        possible = line["possible"]["politics.PromisedElection"]
        currents = [state["drifts"][0]["promises"][-1].get("date") for state in possible]
        assert ("2027", {None, "2027"}) == (currents[0], set(currents))
        assert [10, 16, 17] == [
            e["position"] for e in line["undecided"]["politics.PromisedElection"]
        ]


class TestWhy:
    def test_the_events_that_made_the_head_of_state(self, shared_mali: Path) -> None:
        """--why lists, under the state, each event that changed it, with its sources."""
        result = run(
            "state", shared_mali, "--as-of", "2021-05-30", "-p", "politics.HeadOfState", "--why"
        )
        lines = result.stdout.splitlines()
        start = next(index for index, line in enumerate(lines) if "because" in line)
        because = [line.strip() for line in lines[start:] if line.strip()]
        assert [
            "because        4 Sep 2013: Ibrahim Boubacar Keïta became head of state",
            "18 Aug 2020: Assimi Goïta took power in a coup",
            "25 Sep 2020: Bah N'Daw became head of state",
            "24 May 2021: Assimi Goïta took power in a coup",
            "28 May 2021: Assimi Goïta became President of the Transition",
        ] == [line.split(" (")[0] for line in because]
        assert "(Constitutional Court of Mali, Reuters) [#39]" in because[-1]

    def test_json_why(self, shared_mali: Path) -> None:
        """--json --why gives, per projector, the events that made its state, in fold order."""
        result = run(
            "state",
            shared_mali,
            "--as-of",
            "2024-04-15",
            "-p",
            "politics.PartyStatus",
            "--json",
            "--why",
        )
        [line] = json_lines(result.stdout)
        [event] = line["why"]["politics.PartyStatus"]
        assert ("suspended", "2024-04-10", 11) == (
            line["states"]["politics.PartyStatus"]["status"],
            event["data"]["occurred"],
            event["position"],
        )

    def test_an_initial_state_made_by_nothing(self, shared_mali: Path) -> None:
        """A state no event changed says so."""
        result = run(
            "state", shared_mali, "--as-of", "2020-01-01", "-p", "politics.PartyStatus", "--why"
        )
        assert "because            no event changed it" in result.stdout


class TestVerifyHazards:
    def test_every_hazard_of_the_chronology_is_explained(self, shared_mali: Path) -> None:
        """Each straddling event is named with what it straddles, and whether it matters."""
        result = run("verify", shared_mali)
        warnings = [line for line in result.stdout.splitlines() if line.startswith("warning:")]
        explained = [
            line
            for line in warnings
            if line.endswith("the same state") or "is uncertain: see `chronicle state" in line
        ]
        assert (0, 4, warnings) == (result.exit_code, len(warnings), explained)

    def test_the_article_and_the_charter(self, shared_mali: Path) -> None:
        """The 2027 claim straddles the postponement of 2023 and the charter: the answer is open."""
        result = run("verify", shared_mali)
        [line] = [line for line in result.stdout.splitlines() if line.startswith("warning: #17")]
        assert "#10, election postponed on 25 Sep 2023" in line
        assert "#16, election postponed on 8 Jul 2025" in line
        assert line.endswith(
            "the answer after them is uncertain: see"
            " `chronicle state --stream mali --as-of 2025-08-31 --why`"
        )

    def test_an_order_that_changes_nothing(self, tmp_path: Path) -> None:
        """A month straddling a day of an event another projector handles: no warning at all."""
        path = tmp_path / "log.jsonl"
        with chronicle.open(path) as log:
            log.append(
                "x",
                [
                    ElectionScheduled(occurred="2020-05-10", office="president", for_date="2021"),
                    PartiesSuspended(occurred="2020-05", scope="all"),
                ],
            )
        result = run("verify", path)
        assert (0, "log.jsonl: 2 records, no problems") == (
            result.exit_code,
            result.stdout.strip().replace(str(tmp_path) + "/", ""),
        )

    def test_a_straddle_that_matters(self, tmp_path: Path) -> None:
        """A postponement of a month straddling a schedule of a day in it: the vote is uncertain."""
        path = tmp_path / "log.jsonl"
        with chronicle.open(path) as log:
            log.append(
                "x",
                [
                    ElectionScheduled(occurred="2020-05-10", office="president", for_date="2021"),
                    ElectionPostponed(occurred="2020-05", office="president", new_date="2022"),
                ],
            )
        result = run("verify", path)
        [warning, summary] = result.stdout.splitlines()
        assert (
            "warning: #2, election postponed in May 2020 may have come before or after #1,"
            " election scheduled on 10 May 2020; politics.PromisedElection handles both, and the"
            " answer after both is uncertain: see `chronicle state --stream x --as-of 2020-05-31"
            " --why`"
        ) == warning
        assert summary.endswith("2 records, no problems")
