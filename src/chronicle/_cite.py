"""Citations: the sources behind a state, as CSL-JSON and BibTeX, for footnotes.

A state is made by the events that changed it; each event carries its sources.
:func:`citations` collects them for a state (or a panel cell: a stream on a day),
in the order the fold met them, each source once. :func:`csl_json` and
:func:`bibtex` write any sources in the two forms reference managers read:

- CSL-JSON (the Citation Style Language's data, read by Zotero and pandoc): an
  item per source, ``type`` ``"dataset"`` for a source citing a dataset row and
  ``"document"`` otherwise, ``author`` the publisher (as a literal name),
  ``publisher``, ``title``, ``URL``, ``issued`` at the precision the source gives
  (a year, a month or a day; an interval as a range; ``circa`` if approximate or
  uncertain) and ``note``;
- BibTeX: a ``@misc`` entry per source with the same fields, the publisher as
  author in double braces (an institution, not a person to split into names),
  ``year`` and ``month``, and LaTeX's special characters escaped.

Keys are made from the publisher's first word and the year (``reuters2020``),
with ``a``, ``b``... where two sources share one: stable for the same sources.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import attrs

from chronicle._event import Event, Source
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import AsOf, KnownAt, Policy, SourceFilter, timeline
from chronicle._when import When

__all__ = ["Citations", "bibtex", "citations", "csl_json"]

S = TypeVar("S")

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("|".join(re.escape(char) for char in _LATEX))
_ROW = re.compile(r".+, row [1-9][0-9]*")


@attrs.frozen
class Citations(Generic[S]):
    """A state and what it rests on.

    Attributes:
        state: The state, as :func:`~chronicle.replay` gives it.
        events: The events that changed it, in fold order.
        sources: Their sources, each once, in the order first met.
    """

    state: S
    events: tuple[Event, ...]
    sources: tuple[Source, ...]

    def csl_json(self) -> list[dict[str, Any]]:
        """The sources as CSL-JSON items (see :func:`csl_json`)."""
        return csl_json(self.sources)

    def bibtex(self) -> str:
        """The sources as BibTeX entries (see :func:`bibtex`)."""
        return bibtex(self.sources)


def citations(
    log: Log,
    projector: Projector[S],
    *,
    stream: str | None = None,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    policy: Policy = "certain",
    sources: SourceFilter | None = None,
) -> Citations[S]:
    """The state a replay gives, with the events that made it and their sources.

    The arguments are those of :func:`~chronicle.replay` (one projector). An event
    made the state if applying it changed the state; events that left it as it
    was are not cited. For a panel cell, pass its stream and day as ``stream`` and
    ``as_of``, and the panel's ``known_at`` (and ``sources``).

    Raises:
        InvalidDate: ``as_of`` is malformed.
        RecordTimeError: ``known_at`` is malformed or naive.
    """
    state = projector.initial
    made: list[Event] = []
    for occurrence in timeline(
        log, stream=stream, as_of=as_of, known_at=known_at, policy=policy, sources=sources
    ):
        event = occurrence.event
        new = projector.apply(state, event)
        if new is not state and new != state:
            made.append(event)
        state = new
    cited = dict.fromkeys(source for event in made for source in event.sources)
    return Citations(state, tuple(made), tuple(cited))


def _keys(sources: Iterable[Source]) -> list[str]:
    """A citation key per source: publisher's first word and year, suffixed a, b... if shared."""
    bases = []
    for source in sources:
        word = next(iter(source.publisher.split()), "source")
        plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
        year = "" if source.published is None else str(source.published.earliest.year)
        bases.append((re.sub(r"[^a-z0-9]", "", plain) or "source") + year)
    keys = []
    for index, base in enumerate(bases):
        if bases.count(base) == 1:
            keys.append(base)
        else:
            nth = bases[:index].count(base)
            keys.append(base + _suffix(nth))
    return keys


def _suffix(number: int) -> str:
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _parts(when: When) -> list[int]:
    day = when.earliest
    parts = {"year": [day.year], "month": [day.year, day.month]}
    return parts.get(when.precision or "", [day.year, day.month, day.day])


def _issued(when: When) -> dict[str, Any]:
    if when.is_interval:
        issued: dict[str, Any] = {"date-parts": [_parts(when.start), _parts(when.end)]}
    else:
        issued = {"date-parts": [_parts(when)]}
    if when.uncertain or when.approximate:
        issued["circa"] = True
    return issued


def csl_json(sources: Iterable[Source]) -> list[dict[str, Any]]:
    """The sources as CSL-JSON items (see the module docstring); ``json.dumps`` writes them."""
    listed = list(sources)
    items = []
    for key, source in zip(_keys(listed), listed, strict=True):
        item: dict[str, Any] = {
            "id": key,
            "type": "dataset" if _ROW.fullmatch(source.title) else "document",
            "title": source.title or source.publisher,
            "author": [{"literal": source.publisher}],
            "publisher": source.publisher,
        }
        if source.url:
            item["URL"] = source.url
        if source.published is not None:
            item["issued"] = _issued(source.published)
        if source.note:
            item["note"] = source.note
        items.append(item)
    return items


def _latex(text: str) -> str:
    return _SPECIAL.sub(lambda match: _LATEX[match.group()], text)


def bibtex(sources: Iterable[Source]) -> str:
    """The sources as BibTeX ``@misc`` entries (see the module docstring), one after another."""
    listed = list(sources)
    entries = []
    for key, source in zip(_keys(listed), listed, strict=True):
        fields = [
            ("author", "{" + _latex(source.publisher) + "}"),
            ("title", _latex(source.title or source.publisher)),
            ("publisher", _latex(source.publisher)),
        ]
        if source.published is not None:
            first: datetime.date = source.published.earliest
            fields.append(("year", str(first.year)))
            if source.published.precision in ("month", "day"):
                fields.append(("month", _MONTHS[first.month - 1]))
            fields.append(("date", str(source.published)))
        if source.url:
            fields.append(("url", source.url))
        if source.note:
            fields.append(("note", _latex(source.note)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{key},\n{body}\n}}\n")
    return "\n".join(entries)
