"""Record ids: UUID version 7 (RFC 9562), ordered by the millisecond they were made in.

A log's stores index records by id. Random (version 4) ids land anywhere in that
index, so each append touches pages all over it, and once the index outgrows
the database's cache every insert is a read from disk: appending to an SQLite log
of 3x10^5 events took twice as long with them. Ids that grow with time are
inserted at the end of the index, like positions.

The first 48 bits are the Unix time in milliseconds; the other bits, less the
version and the variant, are random: ids made in one millisecond are unique but
not ordered among themselves. Nothing in chronicle relies on the order of ids;
positions order records.
"""

from __future__ import annotations

import os
import time
from typing import Final
from uuid import UUID, SafeUUID

__all__ = ["id_of_text", "new_ids"]

_RANDOM_BITS: Final = 80
_VERSION_AND_VARIANT: Final = (0x7 << 76) | (0b10 << 62)
_RANDOM_MASK: Final = ((1 << _RANDOM_BITS) - 1) & ~(0xF << 76) & ~(0b11 << 62)
_new = object.__new__
_set_int = vars(UUID)["int"].__set__
_set_safe = vars(UUID)["is_safe"].__set__
"""The setters of UUID's slots: called directly, cheaper than ``object.__setattr__``."""
_UNKNOWN = SafeUUID.unknown  # an enum member read from its class goes through a descriptor


def new_ids(count: int) -> list[UUID]:
    """``count`` new record ids, version 7, stamped with the current millisecond."""
    stamp = (time.time_ns() // 1_000_000) << _RANDOM_BITS | _VERSION_AND_VARIANT
    noise = os.urandom(10 * count)
    return [
        _uuid(stamp | int.from_bytes(noise[start : start + 10]) & _RANDOM_MASK)
        for start in range(0, 10 * count, 10)
    ]


def _uuid(number: int) -> UUID:
    """``UUID(int=number)`` for a number known to fit in 128 bits, without its checks."""
    made: UUID = _new(UUID)
    _set_int(made, number)
    _set_safe(made, _UNKNOWN)
    return made


def id_of_text(text: str) -> UUID:
    """The UUID of a stored id, as ``UUID(text)`` gives it, made faster.

    Stores write ids as ``str(uuid)``: 32 hex digits and four hyphens. ``UUID()``
    drops the hyphens, checks that 32 characters are left and reads them with
    ``int(..., 16)``; so does this, without the other forms ``UUID()`` takes (braces,
    ``urn:uuid:``) or its keyword checks: a text it cannot read so goes to ``UUID()``,
    and both accept and refuse the same texts.

    Raises:
        ValueError: the text is not a UUID.
    """
    digits = text.replace("-", "")
    if len(digits) == 32:
        try:
            return _uuid(int(digits, 16))
        except ValueError:
            return UUID(text)
    return UUID(text)
