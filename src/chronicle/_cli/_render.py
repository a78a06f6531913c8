"""An event of the timeline as data: its place in the log, the event in force, its mark.

JSON goes through the codec, so it says exactly what the log stores (``When`` as
its EDTF string, attrs classes as objects). How it reads for people is up to
:mod:`chronicle._cli._timeline_out`.
"""

from __future__ import annotations

import typing
from typing import Any

from chronicle._codec import encode
from chronicle._event import Corrected, Correction
from chronicle._replay import Occurrence

__all__ = ["mark", "occurrence_dict"]


def mark(occurrence: Occurrence) -> str:
    """``retracted (#position): reason`` or ``corrected (#position): reason``, else empty."""
    if occurrence.correction is None:
        return ""
    correction = typing.cast("Correction", occurrence.correction.event)
    kind = "corrected" if isinstance(correction, Corrected) else "retracted"
    return f"{kind} (#{occurrence.correction.position}): {correction.reason}"


def occurrence_dict(occurrence: Occurrence) -> dict[str, Any]:
    """An occurrence as JSON-ready data: the record's place, the event in force, its mark."""
    return {
        "position": occurrence.record.position,
        "stream": occurrence.record.stream,
        "id": str(occurrence.record.id),
        **encode(occurrence.event),
        "mark": mark(occurrence) or None,
    }
