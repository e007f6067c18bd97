"""The hub as it runs in production: `oms hub` as a real uvicorn process on loopback.

Enrol with a code from `oms hub enroll`, take an order with a token from `oms hub token`, push the
store's events, pull its changes; then stop the process and start it again on the same database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from core.storage.database import Database
from tests.factories import NOW, order_json, small_network


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oms(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli.main", *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@contextmanager
def hub_process(db_path: Path) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "app.cli.main",
        "hub",
        "--db",
        str(db_path),
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    log = db_path.with_suffix(".log").open("ab")  # a file, not a pipe nobody drains
    process = subprocess.Popen(command, stdout=log, stderr=log, env={**os.environ})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # imports alone take >10 s on a loaded 2-core machine
        while True:
            if process.poll() is not None:
                raise AssertionError(f"hub exited: {db_path.with_suffix('.log').read_text()}")
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "hub did not come up"
            time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_a_real_hub_process_enrols_routes_syncs_and_restarts(tmp_path: Path) -> None:
    db_path = tmp_path / "hub.db"
    database = Database.open(str(db_path))
    with database.transaction() as session:
        small_network(session)
    database.close()
    code = oms("hub", "enroll", "S01", "--db", str(db_path))
    integration = oms("hub", "token", "--integration", "web shop", "--db", str(db_path))

    with hub_process(db_path) as url, httpx.Client(base_url=url, timeout=10) as http:
        enrolled = http.post("/v1/enroll", json={"code": code, "device_name": "tablet-1"})
        assert enrolled.status_code == 200 and enrolled.json()["location"] == "S01"
        store = {"Authorization": f"Bearer {enrolled.json()['token']}"}
        assert http.post("/v1/enroll", json={"code": code, "device_name": "tablet-2"}).status_code == 401

        order = order_json("P1")
        order["delivery"] = {"method": "pickup", "pickup_location": "S01"}
        routed = http.post("/v1/orders", json=order, headers={"Authorization": f"Bearer {integration}"})
        assert routed.status_code == 201
        (fulfilment,) = routed.json()["fulfilments"]

        events = [
            {
                "id": str(uuid.uuid4()),
                "kind": "movement",
                "occurred_at": NOW.isoformat(),
                "payload": {"location": "S01", "sku": "SKU-3", "qty": -1, "reason": "sale"},
            },
            {
                "id": str(uuid.uuid4()),
                "kind": "fulfilment",
                "occurred_at": NOW.isoformat(),
                "payload": {"fulfilment_id": fulfilment, "action": "picking"},
            },
        ]
        pushed = http.post("/v1/sync/push", json={"events": events}, headers=store).json()
        assert [r["status"] for r in pushed["results"]] == ["applied", "applied"]
        snapshot = http.get("/v1/sync/pull", params={"cursor": 0}, headers=store).json()
        assert snapshot["snapshot"] and snapshot["cursor"] > 0
        assigned = [c["payload"] for c in snapshot["changes"] if c["kind"] == "fulfilment_assigned"]
        assert assigned[0]["fulfilment_id"] == fulfilment and assigned[0]["state"] == "picking"
        cursor = snapshot["cursor"]

    with hub_process(db_path) as url, httpx.Client(base_url=url, timeout=10) as http:
        again = http.post("/v1/sync/push", json={"events": events}, headers=store).json()
        assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
        second = order_json("P2")
        second["delivery"] = {"method": "pickup", "pickup_location": "S01"}
        assert (
            http.post(
                "/v1/orders", json=second, headers={"Authorization": f"Bearer {integration}"}
            ).status_code
            == 201
        )
        page = http.get("/v1/sync/pull", params={"cursor": cursor}, headers=store).json()
        assert not page["snapshot"] and [c["payload"]["order_id"] for c in page["changes"]] == ["P2"]
        stock = http.get("/v1/inventory/SKU-3", headers=store).json()
        assert {row["location"]: row["sellable"] for row in stock["locations"]}["S01"] == 9
