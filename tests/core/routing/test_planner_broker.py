"""Scenarios against the real RateBroker with a tiny sheet: carrier, service, ETA and promises."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from core.routing.rates import RateBroker, parse_rate_sheet
from tests.core.routing.planner_kit import PLACED, item, loc, network, order, route

TINY = {
    "carriers": [
        {
            "name": "Tiny",
            "cutoff": "17:00",
            "distance_bands": [
                {"zone": "1", "min_km": 0, "max_km": 100},
                {"zone": "2", "min_km": 100, "max_km": 1000},
            ],
            "services": [
                {
                    "code": "GROUND",
                    "name": "Tiny Ground",
                    "transit_days": {"1": 1, "2": 3},
                    "tiers": [
                        {"max_kg": "2", "prices": {"1": "5.00", "2": "8.00"}},
                        {"max_kg": "10", "prices": {"1": "7.00", "2": "12.00"}},
                    ],
                },
                {
                    "code": "EXPRESS",
                    "name": "Tiny Express",
                    "transit_days": {"1": 1, "2": 1},
                    "tiers": [
                        {"max_kg": "2", "prices": {"1": "15.00", "2": "20.00"}},
                        {"max_kg": "10", "prices": {"1": "20.00", "2": "30.00"}},
                    ],
                },
            ],
        }
    ],
}


def _net(store_enabled: bool = True):
    locs = [loc("S01", 50, enabled=store_enabled), loc("DC1", 300, "dc")]
    return network(locs, {("S01", "A"): 5, ("DC1", "A"): 50}, [item("A")])


def _broker() -> RateBroker:
    return RateBroker(parse_rate_sheet(TINY, source="tiny"))


def test_cheapest_service_from_the_nearest_location() -> None:
    d = route({}, _net(), order(("A", 3)), _broker())  # 3 kg: the 10 kg tier
    [s] = d.shipments
    assert (s.location, s.carrier, s.service, s.cost, s.eta) == (
        "S01",
        "Tiny",
        "GROUND",
        Decimal("7.00"),
        date(2026, 3, 3),
    )
    assert d.runner_up.locations == ("DC1",) and d.runner_up.difference == 50_000  # 12.00 - 7.00


def test_promise_picks_the_service_that_meets_it() -> None:
    tomorrow = PLACED + timedelta(days=1)
    d = route({}, _net(store_enabled=False), order(("A", 3)), _broker())
    assert (d.shipments[0].service, d.shipments[0].eta) == ("GROUND", date(2026, 3, 5))
    d = route({}, _net(store_enabled=False), order(("A", 3), promise_by=tomorrow), _broker())
    s = d.shipments[0]
    assert (s.location, s.service, s.cost, s.eta) == ("DC1", "EXPRESS", Decimal("30.00"), date(2026, 3, 3))


def test_a_missed_promise_costs_the_penalty() -> None:
    today = PLACED  # nothing arrives today: every quote misses, so each plan pays the penalty once
    d = route({"costs": {"promise_miss_penalty": "10"}}, _net(), order(("A", 1), promise_by=today), _broker())
    assert d.scores["promise_miss"] == 100_000
    assert d.candidate("DC1").scores["promise_miss"] == 100_000
