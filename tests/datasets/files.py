"""Helpers for the dataset tests: where the real data is, and small files written on the fly."""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

DATA = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()
"""The public datasets: ``shared/data`` beside the repository checkout."""

PT_FILE = DATA / "powell_thyne_coups_V2023.09.08.tsv"
LEADER_FILE = DATA / "reign_leader_list_2021_08.csv"
ELECTION_FILE = DATA / "reign_election_list_2021_03.csv"

needs_data = pytest.mark.skipif(
    not all(path.is_file() for path in (PT_FILE, LEADER_FILE, ELECTION_FILE)),
    reason=f"the public datasets are not at {DATA} (shared/data beside the checkout)",
)
"""Mark tests that read the real files: they need ``shared/data`` beside the checkout."""


def csv_bytes(rows: Sequence[Sequence[str]], *, delimiter: str = ",") -> bytes:
    """Rows written as delimited UTF-8 text, the first being the header."""
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


@contextlib.contextmanager
def data_file(data: bytes, name: str = "data.csv") -> Iterator[Path]:
    """A temporary file holding ``data``, removed afterwards (usable inside hypothesis tests)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(data)
        yield path
