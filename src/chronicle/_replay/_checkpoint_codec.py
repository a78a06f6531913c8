"""A durable checkpoint as data: a projector's state in JSON, what it was folded from, signed.

A durable checkpoint is the bytes ``MAC || JSON``. The JSON says what the state
was folded from: the projector's name and version, the stream, the fold key it
was folded up to, and a digest of the positions of the events folded, in fold
order; then the state, encoded by the codec as the projector's ``state_type``
says. The MAC is an HMAC-SHA256 of the JSON with the signing key
(:mod:`chronicle._replay._signing`), which the log does not hold.

Reading a checkpoint checks the MAC first (one not signed by this key, forged
or written elsewhere, is never decoded), then that it is the checkpoint asked
for, then decodes the state strictly. Nothing in a checkpoint can run code:
it is JSON, read through the same strict converter as the log's events.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import typing
from array import array
from collections.abc import Sequence
from typing import Any, Final

import attrs

from chronicle import _json
from chronicle._codec import converter, parse_json
from chronicle._errors import CheckpointError
from chronicle._fastdecode import builder, reads_alike
from chronicle._projector import Projector
from chronicle._replay._order import Key

__all__ = ["DIGEST_START", "Checkpoint", "CheckpointCodec", "extend_digest"]

_MAC_BYTES: Final = 32

DIGEST_START: Final = hashlib.sha256(b"chronicle fold").digest()
"""The digest of no event folded: where every chain of digests starts."""


def extend_digest(digest: bytes, keys: Sequence[Key]) -> bytes:
    """The digest after folding the events at ``keys`` (in fold order) on top of ``digest``."""
    positions = array("q", [key[2] for key in keys])
    return hashlib.sha256(digest + positions.tobytes()).digest()


@attrs.frozen
class Checkpoint:
    """What a durable checkpoint holds, once its signature and identity are checked.

    Attributes:
        state: The projector's state, folded up to ``key``.
        digest: The digest of the positions of the events folded (see :func:`extend_digest`).
    """

    state: Any
    digest: bytes


def _key_json(key: Key) -> list[Any]:
    return [key[0].isoformat(), key[1].isoformat(), key[2]]


class CheckpointCodec:
    """Encodes and signs, checks and decodes, the checkpoints of one cache.

    Args:
        key: The signing key.
    """

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()

    def encode(
        self, projector: Projector[Any], stream: str | None, key: Key, checkpoint: Checkpoint
    ) -> bytes:
        """The signed bytes of a checkpoint.

        Raises:
            CheckpointError: the projector's state cannot be kept as data: the codec
                cannot encode it as its ``state_type``, or decoding the encoding does
                not give the state back.
        """
        state = checkpoint.state
        try:
            encoded = converter.unstructure(state, projector.state_type)
            body = _write(
                {
                    "projector": projector.name,
                    "version": projector.version,
                    "stream": stream,
                    "key": _key_json(key),
                    "digest": checkpoint.digest.hex(),
                    "state": encoded,
                }
            )
            back = _read(body, projector.state_type)[1]
        except Exception as error:  # the codec's, cattrs' or json's: the type does not fit
            raise _unencodable(projector, state, error) from error
        if back != state:
            raise _unencodable(projector, state, None)
        return self._mac(body) + body

    def decode(
        self, projector: Projector[Any], stream: str | None, key: Key, stored: bytes
    ) -> Checkpoint | None:
        """The checkpoint in ``stored``, or None if it is not one this cache may trust.

        None if it is not signed with this cache's key (forged, or written with
        another key), if it is the checkpoint of another projector, version,
        stream or key, or if its state does not decode as the projector's type.
        """
        mac, body = stored[:_MAC_BYTES], stored[_MAC_BYTES:]
        if len(mac) < _MAC_BYTES or not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            found, state = _read(body, projector.state_type)
            if found["projector"] != projector.name or found["version"] != projector.version:
                return None
            if type(found["version"]) is not int or found["stream"] != stream:
                return None
            if found["key"] != _key_json(key) or type(found["key"][2]) is not int:
                return None
            return Checkpoint(state, bytes.fromhex(found["digest"]))
        except Exception:  # a signed checkpoint of a type that no longer reads: rebuild it
            return None

    def signed(self, stored: bytes) -> bool:
        """Whether ``stored`` bears this cache's signature."""
        mac, body = stored[:_MAC_BYTES], stored[_MAC_BYTES:]
        return len(mac) == _MAC_BYTES and hmac.compare_digest(mac, self._mac(body))


def _write(document: dict[str, Any]) -> bytes:
    """The JSON of a checkpoint: by orjson where it writes it, else by Python's ``json``.

    The two may spell a float differently, never its value, and orjson writes some
    values ``json`` refuses (NaN as null, datetimes): :meth:`CheckpointCodec.encode`
    reads every checkpoint back and keeps only one that gives its state back.
    """
    fast = _json._orjson
    if fast is not None:
        try:
            return typing.cast("bytes", fast.dumps(document))
        except (TypeError, fast.JSONEncodeError):  # a large integer, a lone surrogate
            pass
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def _read(body: bytes, state_type: Any) -> tuple[dict[str, Any], Any]:
    """A checkpoint's JSON and its state, structured as ``state_type``.

    As :func:`~chronicle._codec.decode_text` reads a payload: by orjson, without
    :func:`~chronicle._codec.parse_json`'s guards, where the state type's fast builder
    reads alike (it takes no float and nests no deeper than its type, so whatever it
    takes orjson read as Python's ``json`` would); the guards send a large state to
    Python's parser, which reads it several times slower. A state the builder
    refuses is read again through :func:`~chronicle._codec.parse_json`. The rest of
    the JSON is strings and small integers (``decode`` checks the integers' types).
    """
    fast = _json._orjson
    if (
        fast is not None
        and isinstance(state_type, type)
        and attrs.has(state_type)
        and builder(state_type, converter) is not None
        and reads_alike(state_type)
    ):
        try:
            found = fast.loads(body)
            return found, converter.structure(found["state"], state_type)
        except Exception:  # noqa: S110 -- read again below, by the guarded path
            pass
    found = parse_json(body)
    return found, converter.structure(found["state"], state_type)


def _unencodable(
    projector: Projector[Any], state: Any, error: BaseException | None
) -> CheckpointError:
    kind = getattr(projector.state_type, "__name__", repr(projector.state_type))
    why = "does not come back equal" if error is None else f"cannot be encoded ({error})"
    return CheckpointError(
        f"projector {projector.name!r}: a state of type {type(state).__name__} {why} as "
        f"{kind}; durable checkpoints keep states as data: give Projector(..., "
        "state_type=...) a type the codec can read and write (attrs classes, tuples, "
        "str, int, When...), or use Snapshots(log, durable=False)"
    )
