"""Record ids: UUID version 7, unique, stamped with the millisecond of their making."""

from __future__ import annotations

import time
import uuid

from hypothesis import given
from hypothesis import strategies as st

from chronicle import Log
from chronicle._ids import new_ids
from tests.domain import Counted


def millisecond(record_id: uuid.UUID) -> int:
    """The Unix millisecond in the first 48 bits of a version 7 UUID."""
    return record_id.int >> 80


class TestNewIds:
    @given(st.integers(min_value=0, max_value=300))
    def test_version_7_of_rfc_9562_stamped_now(self, count: int) -> None:
        before = time.time_ns() // 1_000_000
        ids = new_ids(count)
        after = time.time_ns() // 1_000_000
        assert count == len(ids)
        for made in ids:
            assert (7, uuid.RFC_4122) == (made.version, made.variant)
            assert before <= millisecond(made) <= after

    def test_unique(self) -> None:
        ids = [made for _ in range(100) for made in new_ids(1000)]
        assert len(ids) == len(set(ids))

    def test_later_appends_have_greater_ids(self) -> None:
        """Ids grow with time, so a store's id index grows at its end."""
        log = Log()
        first = log.append("s", [Counted(occurred="2020", amount=1)])[0].id
        time.sleep(0.002)
        second = log.append("s", [Counted(occurred="2020", amount=2)])[0].id
        assert first < second
