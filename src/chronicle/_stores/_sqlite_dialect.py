"""How SQLite spells the SQL that SQLite and PostgreSQL logs share."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import Any, Final

from chronicle._codec import decode_text
from chronicle._ids import id_of_text
from chronicle._stores._files import from_micros, to_micros
from chronicle._stores._sql import Dialect

__all__ = ["DIALECT"]


def _fill(template: str, names: Mapping[str, Any]) -> str:
    return template.format(**names)


DIALECT: Final = Dialect(
    names={
        "p": "?",
        "records": "records",
        "streams": "streams",
        "series": "chronicle_checkpoint_series_v2",
        "checkpoints": "chronicle_checkpoints_v2",
        "target": "json_extract(c.data, '$.target')",
        "lock": "",
    },
    compose=_fill,
    id_value=str,
    id_of=id_of_text,
    time_value=to_micros,
    time_of=from_micros,
    date_value=datetime.date.isoformat,
    # Cached: a log's events crowd onto far fewer days than records.
    date_of=functools.lru_cache(maxsize=4096)(datetime.date.fromisoformat),
    day_value=datetime.date.toordinal,
    day_of=datetime.date.fromordinal,
    entry_of=decode_text,
)
"""SQLite's spelling of the shared SQL: ``?`` parameters, ids as text, record times as
microseconds, days as ISO text in records and as ordinals in checkpoint tables."""
