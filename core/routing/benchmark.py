"""`oms bench routing`: the planner against a naive router and the exact optimum, on the demo retailer.

One day of orders (`core.demo.orders.order_stream`, spread over 24 hours so daily capacity means
what it says) is routed order by order with explanations built as the hub stores them
(`decision.to_stored()`: text included, the candidates as columns); expanding that to the public
decision JSON (`to_dict()`, one row per considered location) is timed apart. Each decision is applied to the network (a fulfilment
per shipment, ATP reserved per line) so later orders meet real stock-outs and full stores. The
naive baseline then routes the same stream from the same starting state. Last, untimed, the
planner's run is replayed and on an evenly spread sample the exact optimum (a MILP,
`core.routing.optimum`) and the baseline are computed on the very state the planner saw, so their
gaps compare like with like.
"""

from __future__ import annotations

import gc
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from core.demo.network import DemoSizes, build_network
from core.demo.orders import order_stream
from core.domain.orders import DeliveryMethod, OrderRequest
from core.routing import kernels
from core.routing.baseline import BaselineRouter
from core.routing.bench_setup import demo_snapshot
from core.routing.decision import RoutingDecision
from core.routing.journal import Journal
from core.routing.optimum import OptimumTooLargeError, exact_optimum
from core.routing.planner import Planner
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.routing.rules import default_rule_set
from core.routing.snapshot import NetworkSnapshot

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # Monday, midnight in Chicago: one business day follows
Router = Callable[[OrderRequest, NetworkSnapshot], RoutingDecision]
Hook = Callable[[int, OrderRequest, RoutingDecision], None]


def _units(d: RoutingDecision) -> int:
    return sum(q for s in d.shipments for _, q in s.lines)


def _ms(seconds: list[float], share: float) -> float:
    return round(seconds[min(int(len(seconds) * share), len(seconds) - 1)] * 1000, 3) if seconds else 0.0


def _peak_mb() -> float | None:
    """The process's peak resident memory (None where the platform does not tell)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)  # bytes on macOS


class Tally:
    """The figures of one router over the stream.

    Latency is measured twice: wall clock (what a caller waits) and this thread's CPU time (what
    routing costs on one core, unaffected by other processes sharing the machine).
    """

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.expand: list[float] = []  # CPU time of expanding the stored form to the public JSON
        self.small: list[int] = []  # indexes of 1- to 5-line orders: the latency target's scope
        self.orders = 0
        self.statuses: dict[str, int] = {}
        self.costs: list[int] = []
        self.shipped = self.split = self.exact = self.placed = self.unplaced = 0
        self.km: list[float] = []

    def add(self, order: OrderRequest, d: RoutingDecision) -> None:
        """Count one decision; its times are set for the whole stream at the end (`wall`, `cpu`)."""
        if len(order.lines) <= 5:
            self.small.append(self.orders)
        self.orders += 1
        self.statuses[str(d.status)] = self.statuses.get(str(d.status), 0) + 1
        if d.total is not None:
            self.costs.append(d.total)
        if d.shipments:
            self.shipped += 1
            self.split += len(d.shipments) > 1
        if order.delivery.method == DeliveryMethod.SHIP:
            self.km += [s.distance_km for s in d.shipments]
        self.exact += d.exact
        self.placed += _units(d)
        self.unplaced += sum(u.qty for u in d.unplaced)

    def _latency(self, seconds: list[float]) -> dict[str, float]:
        every, small = sorted(seconds), sorted(seconds[i] for i in self.small)
        return {
            "p50": _ms(every, 0.5),
            "p99": _ms(every, 0.99),
            "max": _ms(every, 1.0),
            "p99_1_to_5_lines": _ms(small, 0.99),
        }

    def figures(self, elapsed: float) -> dict[str, Any]:
        """`elapsed`: the wall time the orders took (routing and explaining them)."""
        n, cpu = len(self.wall), sum(self.cpu)
        return {
            "orders": n,
            "orders_per_s": round(n / elapsed, 1) if elapsed else 0.0,
            "orders_per_cpu_s": round(n / cpu, 1) if cpu else 0.0,
            "latency_ms": self._latency(self.wall),
            "cpu_ms": self._latency(self.cpu),
            "expand_to_json_cpu_ms": {
                "mean": round(sum(self.expand) / n * 1000, 3) if n else 0.0,
                "p50": _ms(sorted(self.expand), 0.5),
                "p99": _ms(sorted(self.expand), 0.99),
            },
            "avg_cost_usd": round(sum(self.costs) / len(self.costs) / 10_000, 2) if self.costs else None,
            "split_rate": round(self.split / self.shipped, 4) if self.shipped else 0.0,
            "avg_shipment_km": round(sum(self.km) / len(self.km), 1) if self.km else 0.0,
            "units_placed": self.placed,
            "units_unplaced": self.unplaced,
            "exact_share": round(self.exact / n, 4) if n else 0.0,
            "statuses": dict(sorted(self.statuses.items())),
        }


def run(
    route: Router, journal: Journal, orders: list[OrderRequest], hook: Hook | None = None, passes: int = 1
) -> dict[str, Any]:
    """Route, explain and apply every order in turn; the hook runs untimed before each is applied.

    With several passes (the network rewound in between, caches kept warm as on a long-running
    hub) each order's time is its best pass: on a machine shared with other work that filters out
    the moments another process had the CPU. Decisions are the same in every pass.
    """
    wall, cpu, n = time.perf_counter, time.thread_time, len(orders)
    best_wall, best_cpu, best_expand = [float("inf")] * n, [float("inf")] * n, [float("inf")] * n
    tally = Tally()
    for done in range(passes):
        tally = Tally()
        for i, order in enumerate(orders):
            t0, c0 = wall(), cpu()
            decision = route(order, journal.network)
            decision.to_stored()  # the stored decision: explanation and text
            t1, c1 = wall(), cpu()
            decision.to_dict()  # the public JSON, expanded from the same columns: timed apart
            best_expand[i] = min(best_expand[i], cpu() - c1)
            if hook is not None:
                hook(i, order, decision)
            journal.allocate(decision)
            best_wall[i], best_cpu[i] = min(best_wall[i], t1 - t0), min(best_cpu[i], c1 - c0)
            tally.add(order, decision)
        if done < passes - 1:
            journal.rewind()
    tally.wall, tally.cpu, tally.expand = best_wall, best_cpu, best_expand
    return {"passes": passes, **tally.figures(sum(best_wall))}


Summary = tuple[int, int | None, bool]  # (units placed, objective in ticks, exact)


def _summary(d: RoutingDecision) -> Summary:
    return _units(d), d.total, d.exact


class Sampler:
    """On every `step`-th order: the optimum and the baseline on the state the planner routed from."""

    def __init__(self, network: NetworkSnapshot, step: int, limit: int) -> None:
        self.network, self.step, self.limit = network, step, limit
        self.rule_set = default_rule_set()
        self.quoter = RateBroker(load_sample_rate_sheet())  # its own caches: the timed runs get no help
        self.baseline = BaselineRouter(self.rule_set, self.quoter)
        self.rows: list[tuple[Summary, Summary, int | None]] = []
        self.too_large = 0

    def __call__(self, i: int, order: OrderRequest, decision: RoutingDecision) -> None:
        if i % self.step or len(self.rows) + self.too_large >= self.limit:
            return
        try:
            best = exact_optimum(order, self.network, self.rule_set, self.quoter)
        except OptimumTooLargeError:
            self.too_large += 1
            return
        naive = self.baseline.route(order, self.network)
        self.rows.append((_summary(decision), _summary(naive), best))

    def figures(self) -> dict[str, Any]:
        """Gaps to the optimum in % of its total; the three averages over the same orders."""

        def gap(pairs: list[tuple[int, int]]) -> float | None:
            optimum = sum(o for _, o in pairs)
            return round(100 * (sum(c for c, _ in pairs) - optimum) / optimum, 3) if optimum else None

        exact: list[tuple[int, int]] = []
        every: list[tuple[int, int]] = []
        base: list[tuple[int, int]] = []
        alike: list[tuple[int, int, int]] = []  # planner, baseline, optimum where all place as much
        fewer = worse = 0
        for (units, total, is_exact), (naive_units, naive_total, _), best in self.rows:
            if best is None or total is None:
                continue
            every.append((total, best))
            if is_exact:
                exact.append((total, best))
            if naive_units < units or naive_total is None:
                fewer += 1  # the baseline left units unplaced that the planner placed: worse by rank
            else:
                base.append((naive_total, best))
                if naive_units == units:
                    alike.append((total, naive_total, best))
            worse += (-units, total) > (-naive_units, naive_total if naive_total is not None else 0)
        n = len(alike)
        return {
            "orders": len(self.rows),
            "optimum_too_large": self.too_large,
            "compared": len(every),  # orders with a plan and an optimum (something could be placed)
            "planner_exact": len(exact),
            "planner_gap_pct_exact": gap(exact),
            "planner_gap_pct": gap(every),
            "planner_orders_off_optimum": sum(c != o for c, o in every),
            "baseline_gap_pct": gap(base),
            "baseline_orders_off_optimum": sum(c != o for c, o in base),
            "baseline_placed_fewer_units": fewer,
            "planner_worse_than_baseline": worse,
            "avg_cost_usd": {
                "orders": n,
                "planner": round(sum(a for a, _, _ in alike) / n / 10_000, 2) if n else None,
                "baseline": round(sum(b for _, b, _ in alike) / n / 10_000, 2) if n else None,
                "optimum": round(sum(o for _, _, o in alike) / n / 10_000, 2) if n else None,
            },
        }


def route_small_day() -> None:
    """Route a 300-order day on a 30-location demo network: every compiled loop of routing runs,
    with the argument types real routing gives it."""
    demo = build_network(DemoSizes.for_locations(30, 300, 1))
    planner = Planner(default_rule_set(), RateBroker(load_sample_rate_sheet()))
    every = timedelta(days=1) / 300
    run(planner.route, Journal(demo_snapshot(demo)), list(order_stream(demo, 300, start=START, every=every)))


def _compile_apart(say: Callable[[str], None]) -> None:
    """Have a child process compile routing's loops into numba's cache on disk, unless this one has them.

    The process that compiles keeps about 80 MB of the compiler's memory: the first run after an
    installation went to 527 MB, and to 560 MB with the loops compiled in-process before the
    network, over the 500 MB target, against 478 MB when this process loads them from the cache.
    """
    if kernels.loaded():
        return
    say("routing a small day in a child process: on a new installation it compiles routing's loops")
    child = "from core.routing.benchmark import route_small_day; route_small_day()"
    subprocess.run([sys.executable, "-c", child], check=True, stdout=subprocess.DEVNULL)


def bench_routing(
    locations: int,
    skus: int,
    orders: int,
    *,
    seed: int = 7,
    sample: int = 200,
    passes: int = 1,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Everything `oms bench routing` prints, as a dictionary."""
    say = log or (lambda _: None)
    _compile_apart(say)
    t0 = time.perf_counter()
    say(f"building the demo network: {locations} locations, {skus} SKUs")
    demo = build_network(DemoSizes.for_locations(locations, skus, seed))
    network = demo_snapshot(demo)
    every = timedelta(days=1) / max(orders, 1)
    stream = list(order_stream(demo, orders, start=START, seed=seed + 4, every=every))
    positions = sum(len(held) for held in network.stock.values())
    del demo
    gc.collect()
    gc.freeze()  # the network lives for the whole run: keep it out of every collection, as a server would
    setup = time.perf_counter() - t0
    journal = Journal(network)
    rule_set = default_rule_set()
    say(f"routing {orders} orders with the planner")
    planner = Planner(rule_set, RateBroker(load_sample_rate_sheet()))
    planned = run(lambda o, n: planner.route(o, n), journal, stream, passes=passes)
    journal.rewind()
    say("routing the same orders with the baseline")
    naive = BaselineRouter(rule_set, RateBroker(load_sample_rate_sheet()))
    baseline = run(lambda o, n: naive.route(o, n), journal, stream, passes=passes)
    journal.rewind()
    routing_peak = _peak_mb()
    # The optimum needs the state each sampled order was routed from: replay the planner (it is
    # deterministic) with the solver in between, after the timed runs so it disturbs none of them.
    sampler = Sampler(network, max(orders // max(sample, 1), 1), sample)
    if sample:
        say(f"replaying the planner with the exact optimum on {sample} orders")
        replay = Planner(rule_set, RateBroker(load_sample_rate_sheet()))
        run(lambda o, n: replay.route(o, n), journal, stream, sampler)
        journal.rewind()
    gc.unfreeze()
    return {
        "network": {
            "locations": len(network.locations),
            "skus": len(network.items),
            "stock_positions": positions,
            "orders": orders,
            "seed": seed,
            "setup_s": round(setup, 1),
        },
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": sys.platform},
        "rule_set": {"id": rule_set.id, "version": rule_set.version},
        "planner": planned,
        "baseline": baseline,
        "optimum_sample": sampler.figures(),
        "peak_memory_mb": routing_peak,  # building the network and both routed runs
        "peak_memory_mb_with_optimum": _peak_mb(),  # the MILP solver's own tables included
    }
