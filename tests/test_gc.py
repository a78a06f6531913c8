"""The collector pause around replay: off inside, the caller's setting restored after."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

import chronicle
from chronicle._gc import paused_gc
from chronicle._stores._base import Batch
from tests.domain import Counted, total


@pytest.fixture
def restore_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("restore_gc")
@pytest.mark.parametrize("enabled", [True, False])
def test_the_pause_restores_the_callers_setting(enabled: bool) -> None:
    """Enabled or not before, the collector is off inside and as it was after, nested too."""
    (gc.enable if enabled else gc.disable)()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert enabled == gc.isenabled()


@pytest.mark.usefixtures("restore_gc")
def test_overlapping_pauses_in_threads_restore_the_setting_once_all_leave() -> None:
    """A thread leaving while another is still inside leaves the collector off."""
    gc.enable()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with paused_gc():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with paused_gc():
        pass
    assert not gc.isenabled()  # the other thread is still replaying
    leave.set()
    thread.join()
    assert gc.isenabled()


@pytest.mark.usefixtures("restore_gc")
@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("snapshots", [False, True])
def test_replay_leaves_the_collector_as_it_found_it(enabled: bool, snapshots: bool) -> None:
    log = chronicle.Log()
    log.append("s", [Counted(occurred="2020-01-01", amount=2)])
    (gc.enable if enabled else gc.disable)()
    assert 2 == chronicle.replay(log, total, snapshots=snapshots)
    assert enabled == gc.isenabled()


@pytest.mark.usefixtures("restore_gc")
@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("fails", [False, True])
def test_an_append_pauses_the_collector_and_restores_it(enabled: bool, fails: bool) -> None:
    """The store appends with the collector off; after, it is as it was, failing or not."""
    seen: list[bool] = []

    class Watched(chronicle.MemoryStore):
        def append(self, batch: Batch) -> list[chronicle.Record]:
            seen.append(gc.isenabled())
            if fails:
                raise chronicle.StoreError("cannot write")
            return super().append(batch)

    log = chronicle.Log(Watched())
    (gc.enable if enabled else gc.disable)()
    if fails:
        with pytest.raises(chronicle.StoreError):
            log.append("s", [Counted(occurred="2020-01-01", amount=2)])
    else:
        log.append("s", [Counted(occurred="2020-01-01", amount=2)])
    assert [False] == seen
    assert enabled == gc.isenabled()
