"""A dataset file as a table or a pandas DataFrame: its import, one row per event.

For a researcher who wants the events, not a log: the file is imported into a
memory log, exactly as :func:`import_powell_thyne` and the REIGN importers do
(same events, same sources, same skipped rows), recorded at the release's
publication (``recorded_at="release"``), and each record becomes a row by
:func:`chronicle.record_row`: ``position``, ``stream``, ``version``,
``recorded_at``, ``id``, ``type``, ``v``, then the event's fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from chronicle._errors import DatasetError
from chronicle._flatten import record_row
from chronicle._log import Log
from chronicle._table import Table
from chronicle.datasets._cow import StateCodes
from chronicle.datasets._powell_thyne import import_powell_thyne
from chronicle.datasets._reign_elections import import_reign_elections
from chronicle.datasets._reign_leaders import import_reign_leaders

if TYPE_CHECKING:
    import pandas

__all__ = ["Name", "frame", "table"]

Name = Literal["powell_thyne", "reign_leaders", "reign_elections"]
"""The datasets :func:`table` and :func:`frame` read."""


def table(
    dataset: Name, path: str | Path, *, states: StateCodes | None = None, version: str | None = None
) -> Table:
    """The events a dataset file imports to, one row per event (see the module docstring).

    Args:
        dataset: ``"powell_thyne"``, ``"reign_leaders"`` or ``"reign_elections"``.
        path: The file.
        states: The state codes (:func:`state_codes` of the leader list): needed by
            the coup and election files, which give only numeric codes.
        version: The release of a REIGN file (its importer's default if None:
            ``"2021-08"`` for the leader list, ``"2021-03"`` for the election list).

    Raises:
        DatasetError: the file cannot be read, the dataset is unknown, or ``states``
            is missing for a file that needs it.
    """
    log = Log()
    if dataset == "reign_leaders":
        import_reign_leaders(path, log, version=version or "2021-08", recorded_at="release")
    elif dataset in ("powell_thyne", "reign_elections"):
        if states is None:
            raise DatasetError(
                f"{dataset} gives numeric state codes only: pass states=state_codes(leader list)"
            )
        if dataset == "powell_thyne":
            import_powell_thyne(path, log, states=states, recorded_at="release")
        else:
            release = version or "2021-03"
            import_reign_elections(path, log, states=states, version=release, recorded_at="release")
    else:
        raise DatasetError(
            f"unknown dataset {dataset!r}: 'powell_thyne', 'reign_leaders' or 'reign_elections'"
        )
    return Table.from_dicts(record_row(record) for record in log.read())


def frame(
    dataset: Name, path: str | Path, *, states: StateCodes | None = None, version: str | None = None
) -> pandas.DataFrame:
    """:func:`table` as a pandas DataFrame (needs the extra ``chronicle-history[tables]``).

    Raises:
        DatasetError: as :func:`table`.
        ImportError: pandas is not installed.
    """
    return table(dataset, path, states=states, version=version).to_pandas()
