"""`oms bench sync`, the hub under a fleet: many stores pushing at once through the real API, one
store catching up after a long outage, and what the same database does with the same rows raw.

* `fleet`: every store's device pushes batches of movements (`POST /v1/sync/push`) and pulls its
  feed after each push (`GET /v1/sync/pull`), all stores at once from one asyncio httpx client
  against hub processes of their own (`sync.bench_hub`, uvicorn on loopback): movements accepted
  per second, and push and pull latency under that load. With `pull_processes`, the pulls go to
  hub processes that take no pushes, as a deployment routing pulls apart would;
* `catch_up`: a `SyncClient` on its own SQLite file records movements offline (its outbox), then
  one `sync_once()` pushes them all and pulls; converged means its balances equal the hub's;
* `raw_insert`: the movement rows the fleet wrote, inserted again into a scratch table with the
  ledger's columns and indexes by batched `INSERT … ON CONFLICT DO NOTHING` over as many
  connections as there are hub processes: the floor the hub's overhead is measured against.

CPU is reported per party (load generator, hub processes, PostgreSQL's processes) and for the
whole machine, which other people may share: figures are printed, never asserted.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Column, Index, MetaData, Table, select

from core.domain.inventory import MovementSpec, Reason, utc_now
from core.services.store_ops import record_store_movements
from core.storage.database import Database
from core.storage.models import Movement, StockPosition
from sync.client import SyncClient
from sync.hub.push_gate import PUSH_SLOTS

Log = Callable[[str], None]
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True, slots=True)
class FleetConfig:
    stores: int = 200  # devices pushing at once, one per store
    batch: int = 200  # movements per push of each fleet store
    pushes: int = 5  # pushes per store
    hub_processes: int = 2  # serving the pushes (and the pulls, unless there are pull processes)
    pull_processes: int = 0  # hub processes serving only the fleet's pulls (HUB.md, "Running it")
    push_slots: int = PUSH_SLOTS  # pushes each hub process applies at once
    polls: int = 5  # pulls per store on their own, before the fleet pushes (`bench_polls`)
    poll_interval: float = 5.0  # seconds between a store's polls (a tablet's default is 30)
    offline: int = 20000  # movements the catching-up store recorded offline


@dataclass(frozen=True, slots=True)
class Device:
    store: str
    token: str
    skus: Sequence[str]  # what the store stocks; its movements sell and restock these


def process_cpu(pids: Sequence[int]) -> float:
    """User + system CPU seconds of running processes (0 for one that is gone)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def postgres_pids() -> list[int]:
    """The PostgreSQL server's processes on this machine (every session, not only the hub's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine so far (every user's work)."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in first[:8])
    return (user + nice + system + irq + softirq + steal) / TICKS


class CpuMeter:
    """CPU seconds per party between `start()` and `stop()`.

    PostgreSQL's backends come and go with the hub's pooled connections, so they are sampled
    every `every` seconds while the meter runs: a backend that exits between two samples loses at
    most that much of its time."""

    def __init__(self, hub_pids: Sequence[int], every: float = 0.2) -> None:
        self.hub_pids = list(hub_pids)
        self.every = every
        self._stopped = threading.Event()

    def _sample(self) -> None:
        for pid in postgres_pids():
            self._pg_last[pid] = process_cpu([pid])

    def _sampling(self) -> None:
        while not self._stopped.wait(self.every):
            self._sample()

    def start(self) -> None:
        self._pg_first = {pid: process_cpu([pid]) for pid in postgres_pids()}
        self._pg_last = dict(self._pg_first)
        self._marks = (time.process_time(), process_cpu(self.hub_pids), machine_cpu())
        self._stopped.clear()
        self._sampler = threading.Thread(target=self._sampling, name="oms-bench-cpu", daemon=True)
        self._sampler.start()

    def stop(self) -> dict[str, float]:
        self._stopped.set()
        self._sampler.join()
        self._sample()
        own, hub, machine = self._marks
        pg = sum(last - self._pg_first.get(pid, 0.0) for pid, last in self._pg_last.items())
        return {
            "load_generator_cpu_s": round(time.process_time() - own, 1),
            "hub_processes_cpu_s": round(process_cpu(self.hub_pids) - hub, 1),
            "postgres_cpu_s": round(pg, 1),
            "machine_cpu_s": round(machine_cpu() - machine, 1),
        }


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """While a clock runs: what the load generator holds already (the demo network it loaded, the
    requests it prepared) is kept out of its garbage collections. A full collection walked it for
    150-370 ms, holding the interpreter lock, and every answer that arrived meanwhile was timed
    with that wait: the load generator's own, not the hub's."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class HubProcesses:
    """`count` hub servers (`python -m sync.bench_hub`) on one database, each on its own port."""

    def __init__(self, database_url: str, count: int, push_slots: int = PUSH_SLOTS) -> None:
        self.database_url = database_url
        self.count = count
        self.push_slots = push_slots
        self.urls: list[str] = []
        self._procs: list[subprocess.Popen[bytes]] = []

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._procs]

    def __enter__(self) -> HubProcesses:
        for _ in range(self.count):
            port = _free_port()
            command = [
                sys.executable,
                "-m",
                "sync.bench_hub",
                self.database_url,
                str(port),
                str(self.push_slots),
            ]
            self._procs.append(subprocess.Popen(command))
            self.urls.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 120
        for url, proc in zip(self.urls, self._procs, strict=True):
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"the benchmark hub at {url} did not start")
                try:
                    if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        return self

    def __exit__(self, *_: object) -> None:
        for proc in self._procs:
            proc.terminate()
        for proc in self._procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def percentile_ms(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(int(len(ordered) * share), len(ordered) - 1)] * 1000, 1) if ordered else 0.0


def movement_events(store: str, skus: Sequence[str], start: int, count: int) -> list[dict[str, Any]]:
    """Wire events selling and restocking the store's SKUs in turn, so its stock stays where it was."""
    at = utc_now().isoformat()
    events = []
    for n in range(start, start + count):
        sale = n % 2 == 0
        payload = {
            "location": store,
            "sku": skus[(n // 2) % len(skus)],
            "qty": -1 if sale else 1,
            "reason": "sale" if sale else "receipt",
            "reference": f"bench {n}",
            "device": "bench",
        }
        events.append({"id": str(uuid.uuid4()), "kind": "movement", "occurred_at": at, "payload": payload})
    return events


async def run_fleet(
    urls: Sequence[str],
    pull_urls: Sequence[str],
    devices: Sequence[Device],
    feed: tuple[int, str],
    config: FleetConfig,
    meter: CpuMeter,
) -> dict[str, Any]:
    """Every device pushes `pushes` batches to `urls` and pulls from `pull_urls` after each, all
    devices at once (device i of the fleet uses the i-th server of each, round robin)."""
    push_times: list[float] = []
    pull_times: list[float] = []
    accepted = 0
    # idle connections are let go well before the hub's keep-alive timeout closes them (a request
    # sent on a connection the server is closing at that moment fails with a ReadError)
    limits = httpx.Limits(
        max_connections=len(devices), max_keepalive_connections=len(devices), keepalive_expiry=2.0
    )

    def bodies(device: Device) -> list[bytes]:
        """Every push of a device as the bytes it sends, made before the clock starts."""
        return [
            json.dumps(
                {"events": movement_events(device.store, device.skus, n * config.batch, config.batch)}
            ).encode()
            for n in range(config.pushes)
        ]

    async def device_loop(
        http: httpx.AsyncClient, url: str, pull_url: str, device: Device, pushes: list[bytes]
    ) -> None:
        nonlocal accepted
        headers = {"Authorization": f"Bearer {device.token}", "Content-Type": "application/json"}
        cursor, epoch = feed
        for body in pushes:
            began = time.perf_counter()
            response = await http.post(f"{url}/v1/sync/push", content=body, headers=headers)
            push_times.append(time.perf_counter() - began)
            response.raise_for_status()
            statuses = {r["status"] for r in response.json()["results"]}
            if statuses != {"applied"}:
                raise RuntimeError(f"the hub answered {statuses} to {device.store}'s push")
            accepted += config.batch
            began = time.perf_counter()
            params: dict[str, Any] = {"cursor": cursor, "epoch": epoch, "limit": 500}
            response = await http.get(f"{pull_url}/v1/sync/pull", params=params, headers=headers)
            pull_times.append(time.perf_counter() - began)
            response.raise_for_status()
            cursor = response.json()["cursor"]

    prepared = [bodies(d) for d in devices]
    async with httpx.AsyncClient(timeout=600, limits=limits) as http:
        loads = [round(x, 1) for x in os.getloadavg()]
        with frozen_heap():
            meter.start()
            began = time.perf_counter()
            await asyncio.gather(
                *(
                    device_loop(http, urls[i % len(urls)], pull_urls[i % len(pull_urls)], d, prepared[i])
                    for i, d in enumerate(devices)
                )
            )
            wall = time.perf_counter() - began
            cpu = meter.stop()
    return {
        "stores": len(devices),
        "batch": config.batch,
        "pushes_per_store": config.pushes,
        "hub_processes": len(urls),
        "pull_processes": len(set(pull_urls) - set(urls)),
        "movements": accepted,
        "wall_s": round(wall, 1),
        "accepted_per_s": round(accepted / wall, 1),
        "push_ms_p50": percentile_ms(push_times, 0.5),
        "push_ms_p99": percentile_ms(push_times, 0.99),
        "pulls": len(pull_times),
        "pull_ms_p50": percentile_ms(pull_times, 0.5),
        "pull_ms_p99": percentile_ms(pull_times, 0.99),
        "load_average_before": loads,
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        **cpu,
    }


def _balances(database: Database, store: str) -> dict[str, int]:
    with database.transaction() as session:
        rows = session.execute(
            select(StockPosition.sku, StockPosition.sellable).where(StockPosition.location_code == store)
        )
        return {sku: sellable for sku, sellable in rows if sellable}


async def catch_up(
    url: str,
    hub: Database,
    store: str,
    code: str,
    folder: Path,
    config: FleetConfig,
    meter: CpuMeter,
    log: Log,
) -> dict[str, Any]:
    """A new tablet enrols and syncs, records `offline` movements with the hub away, then comes back."""
    store_db = Database.open(str(folder / "catch_up_store.db"))
    async with httpx.AsyncClient(timeout=600) as http:
        client = SyncClient(store_db, http)
        await client.enroll(url, code, "catch-up tablet")
        await client.sync_once()
        skus = sorted(sku for sku, units in _balances(store_db, store).items() if units > 0)
        log(f"catch-up: {config.offline} movements recorded offline at {store}, then one sync")
        for start in range(0, config.offline, 100):  # 100 per transaction: the setup, not the figure
            with store_db.transaction() as session:
                specs = [
                    MovementSpec(
                        store, e["payload"]["sku"], e["payload"]["qty"], Reason(e["payload"]["reason"])
                    )
                    for e in movement_events(store, skus, start, min(100, config.offline - start))
                ]
                record_store_movements(session, specs)
        with frozen_heap():
            meter.start()
            began = time.perf_counter()
            pushed, pulled = await client.sync_once()
            elapsed = time.perf_counter() - began
            cpu = meter.stop()
        status = await client.status()
        client.close()
    converged = _balances(store_db, store) == _balances(hub, store)
    store_db.close()
    return {
        "offline_movements": config.offline,
        "client_batch": client.batch_size,
        "sync_s": round(elapsed, 2),
        "sent": pushed.sent,
        "pending_after": status.pending,
        "changes_pulled": pulled.changes,
        "converged": converged,
        **cpu,
    }


def _scratch_table(metadata: MetaData) -> Table:
    """The ledger's columns, key and indexes under another name (no foreign keys, no triggers)."""
    source = Movement.__table__
    table = Table(
        "bench_raw_movements",
        metadata,
        *(Column(c.name, c.type, primary_key=c.primary_key) for c in source.columns),
    )
    for index in source.indexes:
        Index(f"bench_raw_{index.name}", *(table.c[c.name] for c in index.columns))
    return table


def _batches(rows: Sequence[tuple[Any, ...]], size: int) -> Iterator[Sequence[tuple[Any, ...]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def raw_insert(hub: Database, stores: Sequence[str], batch: int, connections: int) -> dict[str, Any]:
    """The fleet's movement rows again, by batched INSERT … ON CONFLICT DO NOTHING, no hub in between."""
    columns = list(Movement.__table__.columns)
    with hub.transaction() as session:
        rows = session.execute(
            select(*columns).where(
                Movement.location_code.in_(list(stores)), Movement.reason.in_(["sale", "receipt"])
            )
        ).all()
    metadata = MetaData()
    table = _scratch_table(metadata)
    metadata.drop_all(hub.engine)
    metadata.create_all(hub.engine)
    postgres = hub.dialect == "postgresql"
    connections = connections if postgres else 1  # SQLite has one writer
    mark = "%s" if postgres else "?"
    names = ", ".join(c.name for c in columns)
    one = "(" + ", ".join([mark] * len(columns)) + ")"
    work = list(_batches([tuple(r) for r in rows], batch))
    errors: list[BaseException] = []

    def insert_share(share: Sequence[Sequence[tuple[Any, ...]]]) -> None:
        connection = hub.engine.raw_connection()
        try:
            cursor = connection.cursor()
            for chunk in share:
                values = ", ".join([one] * len(chunk))
                statement = f"INSERT INTO {table.name} ({names}) VALUES {values} ON CONFLICT DO NOTHING"
                cursor.execute(statement, [_raw(v, postgres) for row in chunk for v in row])
                connection.commit()
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=insert_share, args=(work[i::connections],)) for i in range(connections)
    ]
    meter = CpuMeter([])
    meter.start()
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    cpu = meter.stop()
    metadata.drop_all(hub.engine)
    if errors:
        raise errors[0]
    return {
        "rows": len(rows),
        "batch": batch,
        "connections": connections,
        "wall_s": round(wall, 2),
        "rows_per_s": round(len(rows) / wall, 1) if wall else 0.0,
        "client_cpu_s": cpu["load_generator_cpu_s"],
        "postgres_cpu_s": cpu["postgres_cpu_s"],
        "machine_cpu_s": cpu["machine_cpu_s"],
    }


def _raw(value: Any, postgres: bool) -> Any:
    """SQLite's driver takes no UUID or aware datetime objects; the ledger stores them as text."""
    if postgres:
        return value
    if isinstance(value, uuid.UUID):
        return value.hex
    return value.isoformat(sep=" ") if hasattr(value, "isoformat") else value
