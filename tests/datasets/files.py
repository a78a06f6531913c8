"""Helpers for the dataset tests: where the real data is, and small files written on the fly."""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import settings

DATA = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()
"""The public datasets: ``shared/data`` beside the repository checkout."""

PT_FILE = DATA / "powell_thyne_coups_V2023.09.08.tsv"
LEADER_FILE = DATA / "reign_leader_list_2021_08.csv"
ELECTION_FILE = DATA / "reign_election_list_2021_03.csv"

HAVE_DATA = all(path.is_file() for path in (PT_FILE, LEADER_FILE, ELECTION_FILE))
"""Whether the three public dataset files are there."""
MISSING = f"the public datasets are not in {DATA} (shared/data beside the repository checkout)"

needs_data = pytest.mark.skipif(not HAVE_DATA, reason=MISSING)
"""Mark tests that read the real files: they need ``shared/data`` beside the checkout."""


file_examples = settings(max_examples=min(50, settings.default.max_examples))
"""For property tests that write and import a file per example: at most 50 examples."""


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
