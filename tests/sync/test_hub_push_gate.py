"""The push gate: pushes on threads of their own, a few at a time, at a lower priority, each body
parsed when its turn comes."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import pytest

from core.services.allocation import Router
from core.storage.database import Database
from sync.hub import routes_sync
from sync.hub.push_gate import PushGate
from tests.sync import hub_kit

hub_db, router = hub_kit.hub_db, hub_kit.router  # fixtures, used by name


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_pushes_run_at_most_slots_at_once_on_the_gates_own_threads() -> None:
    gate = PushGate(slots=2, niceness=0)
    lock, running, most = threading.Lock(), [0], [0]
    release = threading.Event()

    def push() -> str:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(30)
        with lock:
            running[0] -= 1
        return threading.current_thread().name

    async def fleet() -> list[str]:
        pushes = [asyncio.ensure_future(gate.run(push)) for _ in range(5)]
        await asyncio.sleep(0.05)
        release.set()
        return await asyncio.gather(*pushes)

    names = asyncio.run(fleet())
    assert most[0] <= 2 and all(name.startswith("oms-push") for name in names)
    assert len(set(names)) <= 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority is Linux's")
def test_push_threads_run_at_a_lower_priority_and_the_caller_keeps_its_own() -> None:
    before = _niceness()
    gate = PushGate(slots=1, niceness=3)
    assert asyncio.run(gate.run(_niceness)) == min(before + 3, 19)
    assert _niceness() == before


def test_a_host_that_refuses_the_lower_priority_still_pushes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise PermissionError("not in this sandbox")

    monkeypatch.setattr(os, "setpriority", refuse)
    gate = PushGate(slots=1, niceness=10)
    assert asyncio.run(gate.run(lambda: "pushed")) == "pushed"


def test_a_push_body_is_parsed_on_its_slot_not_on_arrival(
    hub_db: Database, router: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A queued push holds only its bytes, which the garbage collector never walks."""
    parsed_on: list[str] = []
    envelope = routes_sync._envelope

    def recording(body: bytes) -> routes_sync.PushEnvelope:
        parsed_on.append(threading.current_thread().name)
        return envelope(body)

    monkeypatch.setattr(routes_sync, "_envelope", recording)
    hub = hub_kit.HubClient(hub_db, router)
    assert hub_kit.statuses(hub.push("S01", hub_kit.movement("S01", "SKU-1", 1))) == ["applied"]
    hub.close()
    assert len(parsed_on) == 1 and parsed_on[0].startswith("oms-push")
