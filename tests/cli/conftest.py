"""Fixtures of the command-line tests: a runner, and copies of the Mali chronology."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from chronicle._cli import app

EXAMPLE = Path(__file__).parents[2] / "examples" / "mali.jsonl"


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
def mali(tmp_path: Path) -> Path:
    """A copy of the Mali chronology (a JSON Lines log) that a test may change."""
    copy = tmp_path / "mali.jsonl"
    shutil.copyfile(EXAMPLE, copy)
    return copy
