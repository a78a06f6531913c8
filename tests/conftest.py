"""Hypothesis profiles, and the folder the tests save their pictures in.

"ci" is deterministic and thorough, "dev" (the default) is quick: choose with the
HYPOTHESIS_PROFILE environment variable; the profiles are the testing kit's (see
chronicle.testing.register_profiles). Figures and screenshots go to the folder
``--artifacts`` names.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from chronicle.testing import register_profiles

register_profiles()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--artifacts DIR``: where the tests save the figures and screenshots they make."""
    parser.addoption(
        "--artifacts",
        metavar="DIR",
        help="save the figures and screenshots the tests make in DIR"
        " (default: an 'artifacts' folder in pytest's temporary directory)",
    )


@pytest.fixture(scope="session")
def artifacts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the tests save their figures and screenshots in, for a person to look at."""
    chosen = request.config.getoption("--artifacts")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_KEY_FOLDERS: list[str] = []
"""The folder made for this run's checkpoint key, if this process made it."""


def pytest_configure(config: object) -> None:
    """Durable checkpoints are signed with a key of this test run, never the user's own.

    The process that starts the run makes the key's folder; the processes it starts
    to run tests in parallel inherit its name.
    """
    del config
    if "CHRONICLE_CHECKPOINT_KEY_FILE" not in os.environ:
        _KEY_FOLDERS.append(tempfile.mkdtemp(prefix="chronicle-tests-"))
        os.environ["CHRONICLE_CHECKPOINT_KEY_FILE"] = os.path.join(
            _KEY_FOLDERS[0], "checkpoint.key"
        )


def pytest_unconfigure(config: object) -> None:
    """Remove the key's folder made for this run."""
    del config
    for folder in _KEY_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)
