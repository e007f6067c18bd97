"""`oms bench routing` on a tiny network: every figure present, the planner never behind, state rewound.

No timing is asserted (DESIGN.md: benchmarks print figures, tests check behaviour).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.demo.network import DemoSizes, build_network
from core.demo.orders import order_stream
from core.routing.bench_setup import demo_snapshot
from core.routing.benchmark import bench_routing
from core.routing.journal import Journal
from core.routing.planner import Planner
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.routing.rules import default_rule_set


def test_small_benchmark_reports_every_figure_and_the_planner_is_never_behind() -> None:
    out = bench_routing(8, 300, 60, seed=3, sample=12)
    planner, baseline, sample = out["planner"], out["baseline"], out["optimum_sample"]
    assert planner["orders"] == baseline["orders"] == 60
    assert sum(planner["statuses"].values()) == sum(baseline["statuses"].values()) == 60
    for figures in (planner, baseline):
        assert (
            set(figures["latency_ms"]) == set(figures["cpu_ms"]) == {"p50", "p99", "max", "p99_1_to_5_lines"}
        )
        assert figures["orders_per_s"] > 0 and figures["orders_per_cpu_s"] > 0
        assert set(figures["expand_to_json_cpu_ms"]) == {"mean", "p50", "p99"}
        assert 0 <= figures["split_rate"] <= 1
    assert planner["exact_share"] == 1.0 and baseline["exact_share"] == 0.0
    assert sample["orders"] + sample["optimum_too_large"] > 0
    assert sample["planner_gap_pct_exact"] in (0.0, None)
    assert sample["planner_orders_off_optimum"] == 0
    assert sample["planner_worse_than_baseline"] == 0
    assert out["network"]["locations"] == 8 and out["network"]["skus"] == 300
    assert out["peak_memory_mb"] is None or out["peak_memory_mb"] > 0


def test_journal_rewinds_stock_and_capacity_to_the_start() -> None:
    demo = build_network(DemoSizes.for_locations(10, 400))
    net, fresh = demo_snapshot(demo), demo_snapshot(demo)
    planner = Planner(default_rule_set(), RateBroker(load_sample_rate_sheet()))
    journal = Journal(net)
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    placed = 0
    for order in order_stream(demo, 80, start=start, every=timedelta(minutes=5)):
        decision = planner.route(order, net)
        journal.allocate(decision)
        placed += len(decision.shipments)
    assert placed > 0 and net.stock != fresh.stock
    journal.rewind()
    assert net.locations == fresh.locations
    assert {sku: dict(held) for sku, held in net.stock.items()} == fresh.stock


def test_several_passes_route_the_same_decisions() -> None:
    once = bench_routing(8, 300, 40, seed=5, sample=0)
    twice = bench_routing(8, 300, 40, seed=5, sample=0, passes=2)
    assert (once["planner"]["passes"], twice["planner"]["passes"]) == (1, 2)
    for key in ("statuses", "units_placed", "avg_cost_usd", "split_rate"):
        assert once["planner"][key] == twice["planner"][key]
        assert once["baseline"][key] == twice["baseline"][key]
    assert twice["optimum_sample"]["orders"] == 0
