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
* then, against hub processes of their own on the same database: a fleet of stores polling their
  feeds, up to date and with a page of changes waiting (`sync.bench_polls`); the same stores
  pushing and pulling at once, a store catching up after a long outage, and the raw insert rate of
  the same rows into the same database (`sync.bench_fleet`).

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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.demo.network import DemoSizes, build_network
from core.domain.inventory import utc_now
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.services.allocation import Router
from core.services.demo_load import load_demo_network
from core.services.hub.access import Role, create_enrolment_code, issue_token
from core.services.hub.feed import emit, feed_epoch, feed_head
from core.storage.database import Database
from core.storage.models import StockPosition
from sync.bench_fleet import (
    CpuMeter,
    Device,
    FleetConfig,
    HubProcesses,
    catch_up,
    movement_events,
    percentile_ms,
    raw_insert,
    run_fleet,
)
from sync.bench_polls import run_polls
from sync.client import SyncClient
from sync.hub import create_app

Log = Callable[[str], None]
HUB = "http://hub.bench"
POLL_PAGE = 20  # changes waiting in each fleet store's feed for the polls that find a page


@dataclass(frozen=True, slots=True)
class SyncBenchConfig:
    skus: int = 2000
    stores: int = 24
    batch: int = 500  # events per push, the protocol's maximum
    batches: int = 20
    feed: int = 5000  # changes put in the store's feed for the pull figures
    pull_limit: int = 1000  # the protocol's maximum page
    loopback: bool = False
    store: str = "S01"  # the store measured alone: the network's first
    fleet: FleetConfig = field(default_factory=FleetConfig)


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


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
    hub_url = hub_db or str(folder / "hub.db")
    hub = Database.open(hub_url)
    stores = max(config.stores, config.fleet.stores + 2)  # one for these figures, one to catch up
    network = build_network(DemoSizes(stores=stores, skus=config.skus))
    log(f"loading the demo retailer into the hub ({config.skus} SKUs, {len(network.locations)} locations)")
    codes = [loc.code for loc in network.locations if loc.type == "store"]
    config = replace(config, store=codes[0])  # S01, or S001 in a network of 100 stores or more
    returning, fleet_stores = codes[1], codes[2 : 2 + config.fleet.stores]
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
        devices = _fleet_devices(session, fleet_stores)
        returning_code = create_enrolment_code(session, returning)
        before_page = feed_head(session)
        for device in devices:
            for n in range(POLL_PAGE):
                payload = _assigned(device.store, device.skus[n % len(device.skus)], n)
                emit(session, device.store, "fulfilment_assigned", payload)
        feed = (feed_head(session), feed_epoch(session))
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
    fleet = config.fleet
    with HubProcesses(hub_url, fleet.hub_processes + fleet.pull_processes, fleet.push_slots) as servers:
        meter = CpuMeter(servers.pids)
        push_urls = servers.urls[: fleet.hub_processes]
        pull_urls = servers.urls[fleet.hub_processes :] or push_urls
        log(f"polls: {len(devices)} stores pulling {fleet.polls} times each, up to date and with a page")
        figures["polls"] = {
            name: await run_polls(
                pull_urls,
                devices,
                cursor,
                feed[1],
                polls=fleet.polls,
                interval=fleet.poll_interval,
                meter=meter,
            )
            for name, cursor in (("up_to_date", feed[0]), ("page", before_page))
        }
        log(f"fleet: {len(devices)} stores pushing {fleet.pushes} x {fleet.batch} movements and pulling")
        figures["fleet"] = await run_fleet(push_urls, pull_urls, devices, feed, fleet, meter)
        figures["catch_up"] = await catch_up(
            servers.urls[0], hub, returning, returning_code, folder, fleet, meter, log
        )
    log("raw: the fleet's rows by batched INSERT ... ON CONFLICT DO NOTHING")
    raw = raw_insert(hub, fleet_stores, fleet.batch, fleet.hub_processes)
    figures["raw_insert"] = raw
    figures["hub_vs_raw"] = (
        round(figures["fleet"]["accepted_per_s"] / raw["rows_per_s"], 3) if raw["rows_per_s"] else None
    )
    hub.close()
    return figures


def _fleet_devices(session: Session, stores: list[str]) -> list[Device]:
    """A device token per store, and the SKUs each stocks."""
    stocked: dict[str, list[str]] = {store: [] for store in stores}
    rows = session.execute(
        select(StockPosition.location_code, StockPosition.sku)
        .where(StockPosition.location_code.in_(stores), StockPosition.sellable > 0)
        .order_by(StockPosition.location_code, StockPosition.sku)
    )
    for store, sku in rows:
        stocked[store].append(sku)
    return [
        Device(store, issue_token(session, Role.STORE_DEVICE, f"bench {store}", location=store), skus)
        for store, skus in stocked.items()
        if skus
    ]


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
    batches = [
        movement_events(config.store, stocked, i * config.batch, config.batch) for i in range(config.batches)
    ]
    out["push"] = {
        "first_sight": await _push(http, url, auth, batches, "applied"),
        "retried": await _push(http, url, auth, batches, "duplicate"),
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
        "page_ms_p50": percentile_ms(times, 0.5),
        "page_ms_max": percentile_ms(times, 1.0),
        "client_apply_changes_per_s": _rate(report.changes, applied),
        "client_apply_changes_per_cpu_s": _rate(report.changes, cpu),
        "client_pages": report.pages,
    }
    client.close()
    store_db.close()
    return out


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
        "batch_ms_p50": percentile_ms(times, 0.5),
        "batch_ms_p95": percentile_ms(times, 0.95),
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
