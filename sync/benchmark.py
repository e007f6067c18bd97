"""`oms bench sync`: how fast events and changes move through the real hub app, and how long a store
takes to catch up after a spell offline.

Everything is the product's own code: the hub is `sync.hub.create_app` over a database holding the
demo retailer (`oms init --demo`: 24 stores, 5 DCs / 3PLs / drop shippers, 2,000 SKUs), reached in
process through `httpx.ASGITransport` or, with `loopback`, served by uvicorn on 127.0.0.1; the
store is a `SyncClient` on its own SQLite file. Figures:

* `push`: batches of 500 movement events from one store (`POST /v1/sync/push`), first sight and
  again as retries (answered `duplicate`);
* `pull`: the store's feed read in pages of `pull_limit` (`GET /v1/sync/pull`), by raw HTTP and by
  the client applying it (a `fulfilment_assigned` per change, each creating a local order);
* `snapshot`: the size of the snapshot a new tablet of the first store receives, and the time to
  build and to apply it;
* `catch_up`: a store records sales offline, one transaction each as a till would, then one
  `sync_once()` pushes them all and pulls what the hub says back.

Like every benchmark here the figures depend on the machine (and on its disk: both ends fsync),
so they are printed, never asserted.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select

from core.demo.network import DemoSizes, build_network
from core.domain.inventory import MovementSpec, Reason, utc_now
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.services.allocation import Router
from core.services.demo_load import load_demo_network
from core.services.hub.access import Role, create_enrolment_code, issue_token
from core.services.hub.feed import emit
from core.services.store_ops import record_store_movements
from core.storage.database import Database
from core.storage.models import StockPosition
from sync.client import SyncClient
from sync.hub import create_app
from sync.protocol import MovementEvent

Log = Callable[[str], None]
HUB = "http://hub.bench"


@dataclass(frozen=True, slots=True)
class SyncBenchConfig:
    skus: int = 2000
    stores: int = 24
    batch: int = 500  # events per push, the protocol's maximum
    batches: int = 20
    feed: int = 5000  # changes put in the store's feed for the pull figures
    pull_limit: int = 1000  # the protocol's maximum page
    offline_sales: int = 1000
    loopback: bool = False
    store: str = "S01"


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def _ms(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(int(len(ordered) * share), len(ordered) - 1)] * 1000, 1) if ordered else 0.0


class _LoopbackHub:
    """The hub app under uvicorn in a thread, on a port the OS picks (as `app.demo_hub` does)."""

    def __init__(self, app: Any) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, name="oms-bench-hub", daemon=True
        )

    def __enter__(self) -> _LoopbackHub:
        self._thread.start()
        deadline = time.monotonic() + 120
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the benchmark hub did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(30)
        self._sock.close()


def bench_sync(
    config: SyncBenchConfig, *, hub_db: str | None = None, log: Log = lambda _: None
) -> dict[str, Any]:
    """Run every measurement; `hub_db` is an empty database URL for the hub (default: SQLite in a
    temporary folder, like the store)."""
    with tempfile.TemporaryDirectory(prefix="oms-bench-sync-") as folder:
        return asyncio.run(_bench(config, Path(folder), hub_db, log))


async def _bench(config: SyncBenchConfig, folder: Path, hub_db: str | None, log: Log) -> dict[str, Any]:
    started = time.perf_counter()
    hub = Database.open(hub_db or str(folder / "hub.db"))
    network = build_network(DemoSizes(stores=config.stores, skus=config.skus))
    log(f"loading the demo retailer into the hub ({config.skus} SKUs, {len(network.locations)} locations)")
    with hub.transaction() as session:
        load_demo_network(session, network)
        token = issue_token(session, Role.STORE_DEVICE, "bench raw", location=config.store)
        code = create_enrolment_code(session, config.store)
        stocked = list(
            session.scalars(
                select(StockPosition.sku)
                .where(StockPosition.location_code == config.store, StockPosition.sellable > 0)
                .order_by(StockPosition.sku)
            )
        )
    app = create_app(hub, Router(RateBroker(load_sample_rate_sheet())))
    setup = time.perf_counter() - started
    figures: dict[str, Any] = {
        "config": asdict(config),
        "hub_database": hub.dialect,
        "transport": "uvicorn on loopback" if config.loopback else "in process (ASGI)",
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": sys.platform,
            "load_average": [round(x, 1) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        },
        "setup_s": round(setup, 1),
    }
    if config.loopback:
        with _LoopbackHub(app) as served:
            async with httpx.AsyncClient(timeout=600) as http:
                figures |= await _measure(config, folder, hub, http, served.url, token, code, stocked, log)
    else:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), timeout=600) as http:
            figures |= await _measure(config, folder, hub, http, HUB, token, code, stocked, log)
    hub.close()
    return figures


async def _measure(
    config: SyncBenchConfig,
    folder: Path,
    hub: Database,
    http: httpx.AsyncClient,
    url: str,
    token: str,
    code: str,
    stocked: list[str],
    log: Log,
) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {token}"}
    out: dict[str, Any] = {}

    log("snapshot: what a new tablet receives")
    began = time.perf_counter()
    response = await http.get(f"{url}/v1/sync/pull", params={"cursor": 0}, headers=auth)
    served = time.perf_counter() - began
    response.raise_for_status()
    body = response.content
    kinds: dict[str, int] = {}
    for change in response.json()["changes"]:
        kinds[change["kind"]] = kinds.get(change["kind"], 0) + 1
    store_db = Database.open(str(folder / "store.db"))
    client = SyncClient(store_db, http, pull_limit=config.pull_limit)
    began = time.perf_counter()
    await client.enroll(url, code, "bench tablet")
    await client.sync_once()
    applied = time.perf_counter() - began
    out["snapshot"] = {
        "bytes": len(body),
        "gzip_bytes": len(gzip.compress(body, 6)),
        "entries": kinds,
        "served_s": round(served, 2),
        "enrol_and_apply_s": round(applied, 2),
    }

    log(f"push: {config.batches} batches of {config.batch} events")
    batches = [_events(config, stocked, i) for i in range(config.batches)]
    out["push"] = {
        "first_sight": await _push(http, url, auth, batches, "applied"),
        "retried": await _push(http, url, auth, batches, "duplicate"),
    }

    log(f"catch-up: {config.offline_sales} sales recorded offline, then one sync")
    began = time.perf_counter()
    for i in range(config.offline_sales):
        sku = stocked[i % len(stocked)]
        qty = -1 if (i // len(stocked)) % 2 == 0 else 1  # sell, then put back: stock stays positive
        with store_db.transaction() as session:
            record_store_movements(
                session, [MovementSpec(config.store, sku, qty, Reason.SALE if qty < 0 else Reason.RETURN)]
            )
    recorded = time.perf_counter() - began
    began, cpu = time.perf_counter(), time.process_time()
    pushed, pulled = await client.sync_once()
    caught_up, cpu = time.perf_counter() - began, time.process_time() - cpu
    status = await client.status()
    out["catch_up"] = {
        "offline_sales": config.offline_sales,
        "recording_ms_per_sale": round(recorded / max(config.offline_sales, 1) * 1000, 2),
        "sync_s": round(caught_up, 2),
        "sync_cpu_s": round(cpu, 2),
        "events_per_s": _rate(pushed.sent, caught_up),
        "sent": pushed.sent,
        "pending_after": status.pending,
        "changes_pulled": pulled.changes,
    }

    log(f"pull: {config.feed} changes in the store's feed")
    cursor, epoch = await _position(http, url, auth)
    with hub.transaction() as session:
        for i in range(config.feed):
            payload = _assigned(config.store, stocked[i % len(stocked)], i)
            emit(session, config.store, "fulfilment_assigned", payload)
    times: list[float] = []
    total = size = 0
    began = time.perf_counter()
    while True:
        page_began = time.perf_counter()
        params: dict[str, Any] = {"cursor": cursor, "limit": config.pull_limit, "epoch": epoch}
        response = await http.get(f"{url}/v1/sync/pull", params=params, headers=auth)
        response.raise_for_status()
        page = response.json()
        times.append(time.perf_counter() - page_began)
        total, size, cursor = total + len(page["changes"]), size + len(response.content), page["cursor"]
        if not page["more"]:
            break
    raw = time.perf_counter() - began
    began, cpu = time.perf_counter(), time.process_time()
    report = await client.pull_once()
    applied, cpu = time.perf_counter() - began, time.process_time() - cpu
    out["pull"] = {
        "changes": total,
        "page_limit": config.pull_limit,
        "http_changes_per_s": _rate(total, raw),
        "http_mb_per_s": round(size / raw / 1e6, 2) if raw else 0.0,
        "page_ms_p50": _ms(times, 0.5),
        "page_ms_max": _ms(times, 1.0),
        "client_apply_changes_per_s": _rate(report.changes, applied),
        "client_apply_changes_per_cpu_s": _rate(report.changes, cpu),
        "client_pages": report.pages,
    }
    client.close()
    store_db.close()
    return out


def _events(config: SyncBenchConfig, stocked: list[str], batch: int) -> list[dict[str, Any]]:
    """A store's movements: each SKU sold once and received once in turn, so stock stays where it was."""
    events = []
    for i in range(config.batch):
        n = batch * config.batch + i
        sku = stocked[(n // 2) % len(stocked)]
        sale = n % 2 == 0
        event = MovementEvent(
            id=uuid.uuid4(),
            occurred_at=utc_now(),
            payload={
                "location": config.store,
                "sku": sku,
                "qty": -1 if sale else 1,
                "reason": "sale" if sale else "receipt",
                "reference": f"bench {n}",
                "device": "bench",
            },
        )
        events.append(event.model_dump(mode="json"))
    return events


async def _push(
    http: httpx.AsyncClient, url: str, auth: dict[str, str], batches: list[list[dict[str, Any]]], expect: str
) -> dict[str, Any]:
    times = []
    began, cpu = time.perf_counter(), time.process_time()
    for events in batches:
        start = time.perf_counter()
        response = await http.post(f"{url}/v1/sync/push", json={"events": events}, headers=auth)
        response.raise_for_status()
        statuses = {r["status"] for r in response.json()["results"]}
        if statuses != {expect}:
            raise RuntimeError(f"the hub answered {statuses}, expected {expect}")
        times.append(time.perf_counter() - start)
    total, cpu = time.perf_counter() - began, time.process_time() - cpu
    count = sum(len(b) for b in batches)
    return {
        "events": count,
        "events_per_s": _rate(count, total),
        "events_per_cpu_s": _rate(count, cpu),  # hub and client share this process: less load-bound
        "batch_ms_p50": _ms(times, 0.5),
        "batch_ms_p95": _ms(times, 0.95),
        "batch_ms_mean": round(statistics.fmean(times) * 1000, 1) if times else 0.0,
    }


async def _position(http: httpx.AsyncClient, url: str, auth: dict[str, str]) -> tuple[int, str]:
    """The cursor a tablet has after its snapshot (the head, before the changes just emitted)."""
    response = await http.get(f"{url}/v1/sync/pull", params={"cursor": 0}, headers=auth)
    response.raise_for_status()
    page = response.json()
    return int(page["cursor"]), str(page["epoch"])


def _assigned(store: str, sku: str, n: int) -> dict[str, Any]:
    now = utc_now().isoformat()
    return {
        "fulfilment_id": f"BENCH{n}-{store}",
        "order_id": f"BENCH{n}",
        "location": store,
        "state": "assigned",
        "customer_name": "Bench Customer",
        "customer_phone": "",
        "delivery_method": "ship",
        "ship_postal_code": "60601",
        "ship_country": "US",
        "promise_by": None,
        "lines": [{"sku": sku, "qty": 1, "name": sku}],
        "carrier": "",
        "service": "",
        "eta": None,
        "explanation": "bench",
        "created_at": now,
    }
