"""`oms bench sync` runs end to end on a tiny network (the figures themselves are never asserted)."""

from __future__ import annotations

import pytest

from app.cli.main import build_parser
from core.domain.errors import ValidationError
from sync.bench_fleet import FleetConfig
from sync.benchmark import SyncBenchConfig, bench_sync


def test_the_sync_benchmark_measures_every_part_on_a_tiny_network() -> None:
    fleet = FleetConfig(
        stores=3,
        batch=10,
        pushes=2,
        hub_processes=1,
        pull_processes=1,
        polls=2,
        poll_interval=0.1,
        offline=25,
    )
    config = SyncBenchConfig(skus=30, stores=2, batch=40, batches=2, feed=30, pull_limit=20, fleet=fleet)
    figures = bench_sync(config)
    assert figures["push"]["first_sight"]["events"] == figures["push"]["retried"]["events"] == 80
    assert figures["pull"]["changes"] == 30 and figures["pull"]["client_pages"] == 2
    assert figures["snapshot"]["entries"]["catalog"] == 1 and figures["snapshot"]["bytes"] > 0
    polls = figures["polls"]
    assert (polls["up_to_date"]["pulls"], polls["up_to_date"]["changes_per_pull"]) == (3 * 2, 0)
    assert (polls["page"]["pulls"], polls["page"]["changes_per_pull"]) == (3 * 2, 20)
    run = figures["fleet"]
    assert (run["stores"], run["movements"], run["pulls"]) == (3, 3 * 2 * 10, 3 * 2)
    assert (run["hub_processes"], run["pull_processes"]) == (1, 1)
    assert run["accepted_per_s"] > 0 and run["pull_ms_p99"] >= run["pull_ms_p50"] > 0
    assert {"load_generator_cpu_s", "hub_processes_cpu_s", "postgres_cpu_s", "machine_cpu_s"} <= set(run)
    back = figures["catch_up"]
    assert (back["sent"], back["pending_after"], back["converged"]) == (25, 0, True)
    assert figures["raw_insert"]["rows"] == 60 and figures["hub_vs_raw"] > 0


def test_oms_bench_sync_is_registered_with_the_other_benchmarks() -> None:
    args = build_parser().parse_args(["bench", "sync", "--batches", "3", "--loopback", "--fleet", "20"])
    assert (args.batches, args.loopback, args.skus, args.fleet, args.offline) == (3, True, 2000, 20, 20000)


@pytest.mark.parametrize(
    ("option", "field"), [("--fleet-batch=501", "--fleet-batch"), ("--offline=0", "--offline")]
)
def test_oms_bench_sync_names_a_bad_size(option: str, field: str) -> None:
    args = build_parser().parse_args(["bench", "sync", option])
    with pytest.raises(ValidationError) as refused:
        args.run(args)
    assert refused.value.field == field
