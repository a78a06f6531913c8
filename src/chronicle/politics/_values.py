"""Values carried by political events: reported counts and named officers.

A :class:`Count` keeps a figure as the source gave it ("at least 45", "more than
30"), so that a report is never silently rounded into a fact. An :class:`Officer`
is a named person: names are facts, counts are reports.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

import attrs

from chronicle import InvalidEvent
from chronicle._fastinit import fast_init, maker
from chronicle._fieldtypes import non_blank, typed_fields

__all__ = ["QUALIFIERS", "Count", "Officer", "Qualifier"]

Qualifier: TypeAlias = Literal["exactly", "at least", "more than"]
"""How a reported figure bounds the true number."""

QUALIFIERS: Final[tuple[Qualifier, ...]] = ("exactly", "at least", "more than")
"""Every :data:`Qualifier`, in order of decreasing precision."""


def _whole_number(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidEvent(
            f"{type(instance).__name__}.{attribute.name} must be a whole number >= 0, not {value!r}"
        )


@attrs.frozen(field_transformer=typed_fields)
class Count:
    """A reported number of people, with how the source bounded it.

    ``Count(45, "at least")`` is "at least 45"; ``Count(30, "more than")`` is "more
    than 30"; ``Count(7620)`` is exactly 7,620. There is no "about": an approximate
    figure bounds nothing, so quote it in a source note instead.

    Attributes:
        value: The number as reported (a whole number, 0 or more).
        qualifier: ``"exactly"`` (the default), ``"at least"`` or ``"more than"``.

    Raises:
        InvalidEvent: a negative or non-integer value, or an unknown qualifier.
    """

    value: int = attrs.field(validator=_whole_number)
    qualifier: Qualifier = "exactly"

    @property
    def minimum(self) -> int:
        """The smallest number the report allows ("more than 30" allows 31)."""
        return self.value + 1 if self.qualifier == "more than" else self.value

    @property
    def exact(self) -> bool:
        """Whether the report gives the number exactly."""
        return self.qualifier == "exactly"

    def __add__(self, other: Count) -> Count:
        """The count of two disjoint groups: exact if both are, else at least the sum of minima."""
        if not isinstance(other, Count):
            return NotImplemented
        exact = self.qualifier == "exactly"
        other_exact = other.qualifier == "exactly"
        if other_exact and other.value == 0:
            return self
        if exact and self.value == 0:
            return other
        if exact and other_exact:
            return _sum(self.value + other.value, "exactly")
        return _sum(self.minimum + other.minimum, "at least")

    def __str__(self) -> str:
        return f"{self.value:,}" if self.exact else f"{self.qualifier} {self.value:,}"


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Officer:
    """A named member of the armed forces.

    Officers are identified by ``name``: a later report of the same name with
    another rank (a promotion) is the same person.

    Attributes:
        name: The officer's name, spelled correctly (a source's misspelling goes in its
            source note).
        rank: The rank as reported ("General", "Brigadier General").
        branch: The branch of the armed forces ("army", "air force"); empty when no
            source states it.

    Raises:
        InvalidEvent: an empty name or rank, or a branch that is not a string.
    """

    name: str = attrs.field(validator=non_blank)
    rank: str = attrs.field(validator=non_blank)
    branch: str = ""

    def __str__(self) -> str:
        branch = f", {self.branch}" if self.branch else ""
        return f"{self.rank} {self.name}{branch}"


fast_init(Count, Officer)
_sum = maker(Count, checked=False)
"""Makes the sum of two counts: whole numbers added, a known qualifier, nothing to check."""
