"""A log written through orjson reads through json alone, and the other way round.

Run once per kind of store that keeps its log outside the process: what one path
writes (floats orjson spells otherwise, integers beyond 64 bits, any text) the
other reads to the same records, and a payload that is not JSON, or holds a
value of the wrong type, is refused with the same error on both.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

import chronicle.politics
from chronicle import CorruptLog, JsonlStore, Log, Retracted, SqliteStore, Store
from tests.jsonpaths import PATHS, json_path
from tests.stores.kinds import StoreKind
from tests.test_json import Mixed

EVENTS: list[Any] = [
    Mixed(occurred="2020", ratio=1e-7, amount=2**70, name="a null\u2028é", pair=(-(2**64), -0.0)),
    Mixed(occurred="2020-05-01", ratio=1.5212603486793025e-05, amount=-1, name="x", maybe=1e300),
    chronicle.politics.OfficersArrested(
        occurred="2020-08-18",
        officers=(chronicle.politics.Officer(name="Néma Sagara", rank="General"),),
        count=chronicle.politics.Count(5, "at least"),
    ),
]


def _written(kind: StoreKind, path: str) -> Store:
    """A new store of ``kind`` holding EVENTS and a retraction, written on ``path``."""
    with json_path(path):
        store = kind.new()
        log = Log(store)
        records = log.append("s", EVENTS)
        log.append("s", [Retracted(target=records[0].id, reason="typo")])
    return store


@pytest.mark.parametrize("writer", PATHS)
@pytest.mark.parametrize("reader", PATHS)
def test_a_log_reads_back_whichever_path_wrote_it(
    persistent_kind: StoreKind, writer: str, reader: str
) -> None:
    """Read, got by id and replayed in fold order: the entries appended, on either path."""
    store = _written(persistent_kind, writer)
    with json_path(reader):
        again = persistent_kind.reopen(store)
        records = list(again.read())
        assert EVENTS == [record.event for record in records[:-1]]
        assert records[0] == again.get(records[0].id)


def _rewrite(store: Store, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the stored payload that holds it, by hand."""
    if isinstance(store, JsonlStore):
        text = store.path.read_text(encoding="utf-8")
        assert old in text
        store.path.write_text(text.replace(old, new, 1), encoding="utf-8")
    elif isinstance(store, SqliteStore):
        with sqlite3.connect(store.path) as connection:
            rows = connection.execute("SELECT position, data FROM records").fetchall()
            position, data = next((p, d) for p, d in rows if old in d)
            connection.execute(
                "UPDATE records SET data = ? WHERE position = ?",
                (data.replace(old, new, 1), position),
            )
    else:
        pytest.skip("the payloads of PostgreSQL are JSON the server checks")


def _entries(kind: StoreKind, store: Store, path: str) -> Any:
    """The entries read on ``path`` (and their reprs), or the error that refused them."""
    with json_path(path):
        try:
            entries = [record.event for record in kind.reopen(store).read()]
        except CorruptLog as error:
            return (type(error), str(error))
    return entries, repr(entries)


@pytest.mark.parametrize(
    ("old", "new", "refused"),
    [
        ('"amount":1180591620717411303424', '"amount":NaN', True),
        ('"amount":1180591620717411303424', '"amount":1180591620717411303424.0', True),
        ('"amount":1180591620717411303424', '"amount":-18446744073709551617', False),
        ('"name":"a null', '"name":"\\ud800 a null', False),
        ('"name":"a null', '"name":' + "[" * 1100 + "]" * 1100 + ',"x":"', True),
        ('"value":5', '"value":18446744073709551616', False),
        ('"value":5', '"value":-18446744073709551616', True),
        ('"value":5', '"value":5.0', True),
        ('"rank":"General"', '"rank":' + "[" * 1100 + "]" * 1100, True),
        ('"rank":"General"', '"rank":"\\udc00"', False),
    ],
)
def test_a_payload_changed_by_hand_reads_alike_on_either_path(
    persistent_kind: StoreKind, old: str, new: str, refused: bool
) -> None:
    """NaN, a float for an integer, a big integer, a lone surrogate, deep nesting.

    In an event of floats and in a politics event (whose payload orjson reads without
    guards): each reads to the same entries, or is refused with the same error naming
    the log and the record, through orjson and through json alone.
    """
    store = _written(persistent_kind, "json")
    persistent_kind.close_all()
    _rewrite(store, old, new)
    fast = _entries(persistent_kind, store, "orjson")
    standard = _entries(persistent_kind, store, "json")
    assert fast == standard
    assert refused == isinstance(standard[0], type)
