"""Fixtures of the command-line tests: a runner, copies of the Mali chronology, the datasets."""

from __future__ import annotations

import shutil
from pathlib import Path

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


def run(*args: str | Path) -> Result:
    """Run ``chronicle args...`` in-process, and fail on any exception that escaped."""
    result = CliRunner().invoke(app, [str(arg) for arg in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="session")
def shared_mali(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Mali chronology for the tests that only read it (hypothesis may reuse it)."""
    copy = tmp_path_factory.mktemp("shared") / "mali.jsonl"
    shutil.copyfile(EXAMPLE, copy)
    return copy


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
