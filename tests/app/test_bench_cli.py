"""`oms bench routing` from the command line: JSON on stdout, progress on stderr, bad sizes refused."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main


def test_bench_routing_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "routing", "--locations", "8", "--skus", "200", "--orders", "25", "--sample", "3"])
    out = capsys.readouterr()
    assert code == 0
    figures = json.loads(out.out)
    assert {"network", "machine", "planner", "baseline", "optimum_sample", "peak_memory_mb"} <= set(figures)
    assert figures["planner"]["orders"] == 25
    assert "routing 25 orders" in out.err


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--orders", "0"], "--orders"),
        (["--locations", "5"], "--locations"),
        (["--sample", "-1"], "--sample"),
    ],
)
def test_bad_sizes_exit_2_naming_the_option(
    capsys: pytest.CaptureFixture[str], args: list[str], field: str
) -> None:
    assert main(["bench", "routing", *args]) == 2
    assert field in capsys.readouterr().err
