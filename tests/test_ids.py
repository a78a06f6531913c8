"""Record ids: UUID version 7, unique, stamped with the millisecond of their making."""

from __future__ import annotations

import time
import uuid

from hypothesis import given
from hypothesis import strategies as st

from chronicle import Log
from chronicle._ids import id_of_text, new_ids
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


def _read(read: object, text: str) -> tuple[str, object]:
    """What reading ``text`` as an id gives: ("id", it, its hash) or ("refused", None)."""
    try:
        made = read(text)  # type: ignore[operator]
    except ValueError:
        return "refused", None
    return "id", (made, hash(made), str(made), made.is_safe)


TEXTS = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda made: str(made).upper()),
    st.uuids().map(lambda made: made.hex),
    st.uuids().map(lambda made: "{" + str(made) + "}"),
    st.uuids().map(lambda made: f"urn:uuid:{made}"),
    st.text(alphabet="0123456789abcdefABCDEFg-_+ {}", min_size=30, max_size=40),
    st.text(max_size=40),
)


class TestIdOfText:
    @given(TEXTS)
    def test_reads_exactly_what_uuid_reads(self, text: str) -> None:
        """The fast reading of a stored id takes and refuses the texts UUID() does, alike."""
        assert _read(uuid.UUID, text) == _read(id_of_text, text)
