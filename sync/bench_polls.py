"""`oms bench sync`, pulls on their own: a fleet of stores polling their feeds, no pushes running.

This is a store's steady state: its tablet asks the hub for news every few seconds, and usually
there is none (the device is up to date) or a page of a few changes (new fulfilments). Each store
pulls `polls` times, one pull every `interval` seconds, the stores' first pulls spread evenly over
the first interval: an open loop offering `stores / interval` pulls a second, so a latency is a
pull's own time plus whatever queue the hub lets build, never the queue the load generator makes
by sending everything at once. The pulls under the push fleet are measured by `bench_fleet`.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Sequence
from typing import Any

import httpx

from sync.bench_fleet import CpuMeter, Device, frozen_heap, percentile_ms


async def run_polls(
    urls: Sequence[str],
    devices: Sequence[Device],
    cursor: int,
    epoch: str,
    *,
    polls: int,
    interval: float,
    meter: CpuMeter,
) -> dict[str, Any]:
    """Every device pulls its feed after `cursor` `polls` times (the cursor is not advanced, so a
    store with changes after it gets the same page each time)."""
    times: list[float] = []
    changes = 0
    limits = httpx.Limits(
        max_connections=len(devices), max_keepalive_connections=len(devices), keepalive_expiry=2.0
    )

    async def device_loop(http: httpx.AsyncClient, url: str, device: Device, start: float) -> None:
        nonlocal changes
        headers = {"Authorization": f"Bearer {device.token}"}
        params: dict[str, Any] = {"cursor": cursor, "epoch": epoch, "limit": 500}
        for n in range(polls):
            await asyncio.sleep(max(0.0, start + n * interval - time.perf_counter()))
            began = time.perf_counter()
            response = await http.get(f"{url}/v1/sync/pull", params=params, headers=headers)
            times.append(time.perf_counter() - began)
            response.raise_for_status()
            changes += len(response.json()["changes"])

    async with httpx.AsyncClient(timeout=600, limits=limits) as http:
        loads = [round(x, 1) for x in os.getloadavg()]
        with frozen_heap():
            meter.start()
            began = time.perf_counter()
            step = interval / len(devices)
            await asyncio.gather(
                *(device_loop(http, urls[i % len(urls)], d, began + i * step) for i, d in enumerate(devices))
            )
            wall = time.perf_counter() - began
            cpu = meter.stop()
    return {
        "stores": len(devices),
        "pulls": len(times),
        "changes_per_pull": round(changes / len(times), 1) if times else 0.0,
        "offered_per_s": round(len(devices) / interval, 1),
        "wall_s": round(wall, 1),
        "pull_ms_p50": percentile_ms(times, 0.5),
        "pull_ms_p99": percentile_ms(times, 0.99),
        "pull_ms_max": percentile_ms(times, 1.0),
        "load_average_before": loads,
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        **cpu,
    }
