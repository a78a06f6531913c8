"""The real datasets imported once per test session, for the tests that read them."""

from __future__ import annotations

import attrs
import pytest

from chronicle import Log
from chronicle.datasets import (
    ImportReport,
    StateCodes,
    import_powell_thyne,
    import_reign_elections,
    import_reign_leaders,
    state_codes,
)
from tests.datasets.files import ELECTION_FILE, HAVE_DATA, LEADER_FILE, MISSING, PT_FILE


@attrs.frozen
class Imported:
    """A log holding the three datasets, and the report of each import."""

    log: Log
    states: StateCodes
    leaders: ImportReport
    coups: ImportReport
    elections: ImportReport


@pytest.fixture(scope="session")
def imported() -> Imported:
    """The three public datasets imported into one memory log (skipped if they are absent)."""
    if not HAVE_DATA:
        pytest.skip(MISSING)
    log = Log()
    states = state_codes(LEADER_FILE)
    return Imported(
        log=log,
        states=states,
        leaders=import_reign_leaders(LEADER_FILE, log),
        coups=import_powell_thyne(PT_FILE, log, states=states),
        elections=import_reign_elections(ELECTION_FILE, log, states=states),
    )
