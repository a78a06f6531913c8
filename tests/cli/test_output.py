"""Answers people can read: states and histories in sentences, tables whose words stay whole.

``state`` printed YAML-like dumps with field names (``reported_detained``,
``drifts: - office:``), ``history`` printed diff syntax, and ``timeline`` split words
at 80 columns; the promise-by-promise table existed only in ``examples/mali.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from rich.console import Console

import chronicle
from chronicle._cli import _app
from chronicle.politics import PROJECTORS, PromisedElection
from tests.cli.conftest import json_lines, run


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch):
    """Make stdout a terminal of a given width; return the function that sets the width."""

    def width(columns: int) -> None:
        monkeypatch.setattr(
            _app,
            "console",
            lambda: Console(highlight=False, force_terminal=True, width=columns, color_system=None),
        )

    return width


def field_names() -> set[str]:
    """The names of the fields of every politics state, and of the values they hold."""
    from chronicle import politics

    classes = [getattr(politics, name) for name in politics.__all__]
    return {
        field.name
        for cls in classes
        if isinstance(cls, type) and attrs.has(cls)
        for field in attrs.fields(cls)
    }


class TestStateInWords:
    def test_politics_states_are_sentences(self, shared_mali: Path) -> None:
        """Each politics state of Mali in September 2025 reads as a labelled sentence."""
        result = run("state", shared_mali, "--as-of", "2025-09-01")
        wanted = [
            "mali, as of 2025-09-01",
            "head of state",
            "Assimi Goïta, President of the Transition, since 28 May 2021",
            "head of government",
            "Abdoulaye Maïga, Prime Minister, since 21 Nov 2024",
            "vote for president",
            "uncertain: 2027 (unnamed news outlet, Aug 2025) or no date (Republic of Mali,"
            " 'Charte de la Transition, revised', 8 Jul 2025); postponed 4 times",
            "political parties",
            "dissolved since 13 May 2025 (all political parties",
            "officers held",
            "Brigadier General Néma Sagara, air force; General Abass Dembélé",
            "reported detained",
            "at least 45 in all",
            "1 attack recorded, more than 30 killed in them",
            "Armed Conflict Location and Event Data Project (ACLED): 7,620 killed in Sahel",
        ]
        assert (0, []) == (result.exit_code, [w for w in wanted if w not in result.stdout])

    def test_how_the_head_of_state_came(self, shared_mali: Path) -> None:
        """The head of state after a coup says so, with the day it began."""
        result = run("state", shared_mali, "--as-of", "2020-08-19", "-p", "politics.HeadOfState")
        assert "since 18 Aug 2020, after a coup" in result.stdout
        assert "Ibrahim Boubacar Keïta (President of the Republic, from 4 Sep 2013)" in (
            result.stdout
        )

    @pytest.mark.parametrize("as_of", ["2020-08-19", "2022", "2025-09-01"])
    def test_no_field_names(self, shared_mali: Path, as_of: str) -> None:
        """No field name of a politics state shows: neither reported_detained nor drifts."""
        text = run("state", shared_mali, "--as-of", as_of).stdout
        shown = {name for name in field_names() if re.search(rf"\b{name}\b", text)}
        assert {"reported_detained", "drifts", "promises", "killed_in_attacks"}.isdisjoint(shown)
        assert not {name for name in shown if "_" in name}
        assert "- office:" not in text

    def test_other_states_get_labelled_fields(self, tmp_path: Path) -> None:
        """A state of one's own is a table of its fields, each under a label in words."""
        module = tmp_path / "cli_board.py"
        module.write_text(
            "import attrs, chronicle\n"
            "@chronicle.event('board.seated')\n"
            "class Seated(chronicle.Event):\n"
            "    name: str\n"
            "@attrs.frozen\n"
            "class Board:\n"
            "    seats_held: int = 0\n"
            "    chair_name: str = ''\n"
            "    members: tuple[str, ...] = ()\n"
            "board = chronicle.Projector('board.Board', initial=Board())\n"
            "@board.on(Seated)\n"
            "def _seated(state, event):\n"
            "    return Board(state.seats_held + 1, state.chair_name or event.name,"
            " (*state.members, event.name))\n",
            encoding="utf-8",
        )
        log = tmp_path / "board.jsonl"
        with chronicle.open(log) as opened:
            pass
        import sys

        sys.path.insert(0, str(tmp_path))
        try:
            import cli_board  # type: ignore[import-not-found]

            with chronicle.open(log) as opened:
                opened.append("x", [cli_board.Seated(occurred="2020", name=n) for n in "AB"])
            result = run("state", log, "-p", "cli_board:board")
            steps = run("history", log, "-p", "cli_board:board")
        finally:
            sys.path.remove(str(tmp_path))
            sys.modules.pop("cli_board", None)
        lines = [line.split() for line in result.stdout.splitlines()]
        assert ["board.Board"] in lines
        assert ["seats", "held", "2"] in lines
        assert ["chair", "name", "A"] in lines
        assert ["members", "A;", "B"] in lines
        assert "seats_held" not in result.stdout + steps.stdout
        assert [
            "2020: seats held: 1; chair name: A; members: added A",
            "2020: seats held: 2; members: added B",
        ] == steps.stdout.splitlines()[1:3]


class TestHistoryInWords:
    def test_heads_of_state(self, shared_mali: Path) -> None:
        """Each change of head of state is a dated sentence saying how it came."""
        lines = run("history", shared_mali, "-p", "politics.HeadOfState").stdout.splitlines()
        assert [
            "mali: politics.HeadOfState",
            "2013-09-04: Ibrahim Boubacar Keïta became head of state (President of the Republic)",
            "2020-08-18: Assimi Goïta took power in a coup (leader of the National Committee for"
            " the Salvation of the People (CNSP))",
            "2020-09-25: Bah N'Daw became head of state (President of the Transition)",
            "2021-05-24: Assimi Goïta took power in a coup (coup leader)",
            "2021-05-28: Assimi Goïta became President of the Transition",
        ] == lines[:6]

    def test_detainees_parties_and_toll(self, shared_mali: Path) -> None:
        """Arrests, party bans and attacks are sentences too."""
        text = "".join(
            run("history", shared_mali, "-p", name).stdout
            for name in (
                "politics.DetainedOfficers",
                "politics.PartyStatus",
                "politics.ConflictToll",
            )
        )
        for sentence in (
            "2025-08-07: Brigadier General Néma Sagara, air force was arrested",
            "2025-08-10: General Abass Dembélé was arrested",
            "2025-08-01/2025-08-11: at least 45 reported detained in all",
            "2024-04-10: political parties were suspended (political parties and associations",
            "2024-07-10: political parties were restored",
            "2025-06-01: an attack by Jama'a Nusrat ul-Islam wa al-Muslimin (JNIM) at military base"
            " at Boulkessi, central Mali: more than 30 killed",
        ):
            assert sentence in text


def words_of(text: str) -> set[str]:
    """The words of ``text``: runs between spaces and slashes, without the punctuation around."""
    return {word.strip(";:,.()'\"") for word in re.split(r"[\s/]+", text)} - {""}


class TestWrapping:
    @pytest.mark.parametrize("width", [70, 80, 120])
    @pytest.mark.parametrize(
        "command",
        [
            ["timeline"],
            ["state", "--as-of", "2025-09-01"],
            ["history", "-p", "politics.PromisedElection"],
            ["promises"],
        ],
    )
    def test_words_stay_whole(self, shared_mali: Path, narrow, width: int, command) -> None:
        """On a terminal text wraps at word boundaries: every word shown is a word of the answer."""
        plain = run(command[0], shared_mali, *command[1:]).stdout
        narrow(width)
        shown = run(command[0], shared_mali, *command[1:]).stdout
        words = words_of(plain) | {"#", "occurred", "event", "details"}
        assert max(map(len, shown.splitlines())) <= width
        assert set() == words_of(re.sub(r"[│┃┏┓┗┛┡┩━─┌┐└┘├┤┬┴┼╇╈╋┳┻]", " ", shown)) - words


class TestPromises:
    def test_the_promises_of_the_drift(self, shared_mali: Path) -> None:
        """promises lists each promise of the drift, how far it moved, and sums it up."""
        result = run("promises", shared_mali, "-s", "mali", "--office", "president")
        rows = [line.split() for line in result.stdout.splitlines()]
        timetable = ["2022-06-29", "2024-02-04", "51", "days", "earlier", "Africanews,", "aBamako"]
        assert timetable in rows
        assert [
            "2021-04-15",
            "2022-02-27",
            "32",
            "days",
            "earlier",
            "Government",
            "of",
            "Mali,",
            "Africanews",
        ] in rows
        assert (
            "Postponed 4 times. Which promise stands is uncertain, as the dates of the promises"
            " made 2025-07-08 and 2023-09/2025-08 leave their order open: the vote"
            " is now promised for 2027 or no date. The dates promised went from 2022-03-31 to"
            " 2027-12-31, 2,101 days (about 5.8 years) later." in result.stdout
        )

    def test_the_promises_whose_order_is_unknown_say_so(self, shared_mali: Path) -> None:
        """The charter's and the article's promises are marked, and only they."""
        result = run("promises", shared_mali, "-s", "mali", "--office", "president")
        marked = [line.split()[0] for line in result.stdout.splitlines() if "order unknown" in line]
        assert ["2025-07-08", "2023-09/2025-08"] == marked

    def test_a_certain_drift_reads_as_before(self, shared_mali: Path) -> None:
        """Before September 2023 every promise is in a known order: the summary says how far."""
        result = run("promises", shared_mali, "--as-of", "2023-08-31")
        assert (
            "Postponed once: the promised date moved 675 days (about 1.8 years),"
            " from 2022-03-31 to 2024-02-04." in result.stdout
        )
        assert "order unknown" not in result.stdout

    def test_json_is_the_drift(self, shared_mali: Path) -> None:
        """promises --json is a line per promise of the drift, with its slip in days."""
        lines = json_lines(run("promises", shared_mali, "--json").stdout)
        with chronicle.open(shared_mali) as log:
            drift = chronicle.replay(log, PromisedElection, stream="mali")["president"]
        assert [str(p.made) for p in drift.promises] == [line["made"] for line in lines]
        assert list(drift.slips()) == [line["days_later"] for line in lines]
        assert [False] * 7 + [True] * 2 == [line["order_unknown"] for line in lines]

    def test_every_projector_is_in_words(self) -> None:
        """Every projector of the politics domain has sentences of its own."""
        from chronicle._cli._politics_words import _ROWS

        assert {type(p.initial) for p in PROJECTORS.values()} == set(_ROWS)
