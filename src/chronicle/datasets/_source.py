"""Provenance of imported events: which dataset, which release, which row.

Every imported event carries one :class:`~chronicle.Source` whose ``title`` is
``"<dataset name> <version>, row <n>"`` (for example ``"Global Instances of Coups
V2023.09.08, row 185"``), its ``publisher`` the dataset's publisher, its ``url`` the
dataset's home and its ``published`` the release date. Publisher and title are the
import's key: a row whose key is already on an event of the log (or on a
correction's replacement) is present and is not appended again, so re-running an
import appends nothing twice, and a retracted import is not resurrected by the next
run.
"""

from __future__ import annotations

import re

import attrs

from chronicle._event import Source
from chronicle._when import When, to_when

__all__ = ["Dataset", "DatasetRow"]

_ROW = re.compile(r"(?P<title>.+), row (?P<row>[1-9][0-9]*)")


@attrs.frozen(kw_only=True)
class Dataset:
    """A release of a public dataset, as imported events cite it.

    Attributes:
        name: The dataset's name (``"Global Instances of Coups"``).
        version: The release (``"V2023.09.08"``, ``"2021-08"``).
        publisher: Who publishes it.
        url: Where it is published.
        published: When the release came out, at the precision known.
    """

    name: str
    version: str
    publisher: str
    url: str
    published: When = attrs.field(converter=to_when)

    @property
    def title(self) -> str:
        """The name and the version: ``"REIGN leader list 2021-08"``."""
        return f"{self.name} {self.version}"

    def release_source(self) -> Source:
        """The source citing the release as a whole (what a retraction of a dropped row cites)."""
        return Source(
            publisher=self.publisher, title=self.title, url=self.url, published=self.published
        )

    def source(self, row: int, note: str = "") -> Source:
        """The source of an event read from ``row`` (1 is the first row after the header)."""
        return Source(
            publisher=self.publisher,
            title=f"{self.title}, row {row}",
            url=self.url,
            published=self.published,
            note=note,
        )


@attrs.frozen
class DatasetRow:
    """The dataset row a source cites, read back from the source.

    Attributes:
        publisher: The dataset's publisher.
        dataset: The dataset's name and version (a :attr:`Dataset.title`).
        row: The row's number: 1 is the first row after the header.
    """

    publisher: str
    dataset: str
    row: int

    @classmethod
    def of(cls, source: Source) -> DatasetRow | None:
        """The row ``source`` cites, or None if it does not cite a dataset row."""
        match = _ROW.fullmatch(source.title)
        if match is None:
            return None
        return cls(source.publisher, match["title"], int(match["row"]))
