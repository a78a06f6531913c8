"""Which sources a query keeps: one merged log read as one source's, or one dataset's, view."""

from __future__ import annotations

from collections.abc import Callable

from chronicle._errors import InvalidArgument
from chronicle._event import Event, Source

__all__ = ["SourceFilter", "keeping"]

SourceFilter = str | Callable[[Source], bool]
"""What ``sources=`` accepts: a text that a source's publisher or title contains (case
set aside: ``"REIGN"``, ``"Powell"``), or a function of a :class:`~chronicle.Source`
saying whether to keep it. An event counts when at least one of its sources is kept."""


def keeping(sources: SourceFilter | None) -> Callable[[Event], bool] | None:
    """The test an event must pass to count, or None to keep every event.

    Raises:
        InvalidArgument: ``sources`` is neither a non-blank text nor a function.
    """
    if sources is None:
        return None
    if isinstance(sources, str):
        if not sources.strip():
            raise InvalidArgument("sources= must not be blank")
        wanted = sources.casefold()

        def named(source: Source) -> bool:
            return wanted in source.publisher.casefold() or wanted in source.title.casefold()

        return _any_of(named)
    if callable(sources):
        return _any_of(sources)
    raise InvalidArgument(f"sources= takes a text or a function of a Source, not {sources!r:.80}")


def _any_of(kept: Callable[[Source], bool]) -> Callable[[Event], bool]:
    def counts(event: Event) -> bool:
        return any(kept(source) for source in event.sources)

    return counts
