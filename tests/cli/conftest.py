"""Fixtures of the command-line tests: a runner, copies of the Mali chronology, the datasets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import chronicle
from chronicle._cli import app
from chronicle.datasets import (
    import_powell_thyne,
    import_reign_elections,
    import_reign_leaders,
    state_codes,
)
from tests.cli.browser import browser
from tests.datasets.files import ELECTION_FILE, HAVE_DATA, LEADER_FILE, MISSING, PT_FILE

__all__ = ["browser", "datasets_db", "mali", "run", "shared_mali"]

EXAMPLE = Path(__file__).parents[2] / "examples" / "mali.jsonl"


def several_streams(path: Path) -> Path:
    """A log at ``path`` of three countries, each with its own head of state and promised vote."""
    from chronicle.politics import CoupOccurred, ElectionScheduled, HeadOfStateInstalled

    leaders = {"mali": "Assimi Goïta", "niger": "Abdourahamane Tiani", "burkina": "Ibrahim Traoré"}
    with chronicle.open(path) as log:
        for number, (stream, leader) in enumerate(leaders.items()):
            log.append(
                stream,
                [
                    HeadOfStateInstalled(
                        occurred=f"201{number}-01-0{number + 1}",
                        name=f"Elder {stream}",
                        title="President",
                    ),
                    CoupOccurred(
                        occurred=f"202{number}-08",
                        ousted=f"Elder {stream}",
                        seized_by=leader,
                        successful=True,
                    ),
                    ElectionScheduled(
                        occurred=f"202{number}-09", office="president", for_date=f"202{number + 3}"
                    ),
                ],
            )
    return path


def run(*args: str | Path) -> Result:
    """Run ``chronicle args...`` in-process, and fail on any exception that escaped."""
    result = CliRunner().invoke(app, [str(arg) for arg in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def json_lines(stdout: str) -> list[Any]:
    """The objects of a JSON Lines answer, one a line (failing on a line that is not one)."""
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture(scope="session")
def shared_mali(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Mali chronology for the tests that only read it (hypothesis may reuse it)."""
    copy = tmp_path_factory.mktemp("shared") / "mali.jsonl"
    shutil.copyfile(EXAMPLE, copy)
    return copy


@pytest.fixture
def countries(tmp_path: Path) -> Path:
    """A SQLite log of three streams (mali, niger, burkina), see :func:`several_streams`."""
    return several_streams(tmp_path / "countries.db")


@pytest.fixture
def mali(tmp_path: Path) -> Path:
    """A copy of the Mali chronology (a JSON Lines log) that a test may change."""
    copy = tmp_path / "mali.jsonl"
    shutil.copyfile(EXAMPLE, copy)
    return copy


@pytest.fixture(scope="session")
def datasets_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three public datasets imported into an SQLite log (skipped if they are absent)."""
    if not HAVE_DATA:
        pytest.skip(MISSING)
    path = tmp_path_factory.mktemp("datasets") / "datasets.db"
    with chronicle.open(path) as log:
        states = state_codes(LEADER_FILE)
        import_reign_leaders(LEADER_FILE, log)
        import_powell_thyne(PT_FILE, log, states=states)
        import_reign_elections(ELECTION_FILE, log, states=states)
    return path
