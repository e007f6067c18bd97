"""`oms bench sync` runs end to end on a tiny network (the figures themselves are never asserted)."""

from __future__ import annotations

from app.cli.main import build_parser
from sync.benchmark import SyncBenchConfig, bench_sync


def test_the_sync_benchmark_measures_every_part_on_a_tiny_network() -> None:
    config = SyncBenchConfig(skus=30, stores=2, batch=40, batches=2, feed=30, pull_limit=20, offline_sales=6)
    figures = bench_sync(config)
    assert figures["push"]["first_sight"]["events"] == figures["push"]["retried"]["events"] == 80
    assert figures["catch_up"]["sent"] == 6 and figures["catch_up"]["pending_after"] == 0
    assert figures["pull"]["changes"] == 30 and figures["pull"]["client_pages"] == 2
    assert figures["snapshot"]["entries"]["catalog"] == 1 and figures["snapshot"]["bytes"] > 0


def test_oms_bench_sync_is_registered_with_the_other_benchmarks() -> None:
    args = build_parser().parse_args(["bench", "sync", "--batches", "3", "--loopback"])
    assert (args.batches, args.loopback, args.skus) == (3, True, 2000)
