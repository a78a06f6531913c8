"""Importers of public political datasets into a chronicle log, and what they report.

Three datasets nobody in this project wrote, read as published, with their defects
said rather than smoothed over:

- Powell & Thyne, *Global Instances of Coups* (one row per coup attempt since 1950):
  :func:`import_powell_thyne`, one ``CoupOccurred`` per row.
- REIGN's leader list (one row per leader's spell in office, 1945 to mid-2021):
  :func:`import_reign_leaders`, a ``HeadOfStateInstalled`` per spell and a
  ``HeadOfStateLeft`` where nobody follows in the month the spell ends.
- REIGN's election list (the events of each election, from announcement to vote or
  voiding): :func:`import_reign_elections`.

Each event goes to the stream of its state, named by its Correlates of War
abbreviation (``MLI`` for Mali, code 432; the codes come from the leader list, see
:func:`state_codes`), at the precision the row gives, and cites its dataset,
release and row (:class:`Dataset`, :class:`DatasetRow`). Every import returns an
:class:`ImportReport` that accounts for every row: imported, already present, or
skipped with the reason (:class:`SkippedRow`), with notes on rows read with a caveat
(:class:`RowNote`). Rows are validated and mapped before anything is appended, and a
re-run appends no row twice.

:func:`table` and :func:`frame` give a file's import as a table or a pandas
DataFrame, one row per event. :mod:`chronicle.datasets.countries` maps the streams
to COW, Gleditsch-Ward and ISO codes and names, by date.

:func:`coup_leader_changes` confronts the two sources: which successful coups are
followed within days by a change of leader, and which are not. :func:`compare_streams`
holds two chronologies of one state side by side (a hand-written one against the
datasets' stream): the days they name different heads of state, and the coups only
one of them dates so.
"""

from chronicle._errors import CountryCodeError
from chronicle.datasets import countries
from chronicle.datasets._compare import Comparison, HeadDifference, compare_streams
from chronicle.datasets._cow import Span, StateCodes, state_codes
from chronicle.datasets._crosscheck import CoupCheck, CrossCheck, coup_leader_changes
from chronicle.datasets._frame import frame, table
from chronicle.datasets._powell_thyne import import_powell_thyne
from chronicle.datasets._reign_elections import import_reign_elections
from chronicle.datasets._reign_leaders import import_reign_leaders
from chronicle.datasets._report import ImportReport, RowNote, SkippedRow
from chronicle.datasets._source import Dataset, DatasetRow

__all__ = [
    "Comparison",
    "CountryCodeError",
    "CoupCheck",
    "CrossCheck",
    "Dataset",
    "DatasetRow",
    "HeadDifference",
    "ImportReport",
    "RowNote",
    "SkippedRow",
    "Span",
    "StateCodes",
    "compare_streams",
    "countries",
    "coup_leader_changes",
    "frame",
    "import_powell_thyne",
    "import_reign_elections",
    "import_reign_leaders",
    "state_codes",
    "table",
]
