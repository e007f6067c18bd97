"""The planner's fast paths change nothing: lane quotes, exact distances, integer money text.

Each shortcut taken for speed has a slow, obvious twin; these tests route and format the same
things both ways and require identical results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.demo.network import DemoSizes, build_network
from core.demo.orders import order_stream
from core.domain.geo import distance_km
from core.routing.bench_setup import demo_snapshot
from core.routing.candidates import Line, OrderContext
from core.routing.compiled import compile_rules
from core.routing.decision import amount, amount_text
from core.routing.journal import Journal
from core.routing.planner import Planner
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.routing.rules import default_rule_set, validate_rule_set
from core.routing.screening import screen
from core.routing.shipping import RateQuote, ShipmentRequest
from core.routing.snapshot import Destination, LocationSnapshot, NetworkSnapshot
from tests.core.routing.planner_kit import HOME, item, loc, network, order, steep_sheet
from tests.core.routing.test_planner_optimal import scenarios


@dataclass
class PlainQuoter:
    """The broker without its `lanes` fast path: every quote is a full `RateBroker.quote`."""

    broker: RateBroker

    def quote(self, request: ShipmentRequest) -> RateQuote | None:
        return self.broker.quote(request)


@cache
def _demo():
    return build_network(DemoSizes.for_locations(30, 1500))


def test_lane_quotes_route_a_day_exactly_like_plain_quotes() -> None:
    """A stream with pickups, promises and stock running out; decisions must match to the letter."""
    demo = _demo()
    fast_net, plain_net = demo_snapshot(demo), demo_snapshot(demo)
    fast = Planner(default_rule_set(), RateBroker(load_sample_rate_sheet()))
    plain = Planner(default_rule_set(), PlainQuoter(RateBroker(load_sample_rate_sheet())))
    orders = order_stream(demo, 150, start=datetime(2026, 3, 2, 6, 0, tzinfo=UTC), every=timedelta(minutes=9))
    fast_log, plain_log = Journal(fast_net), Journal(plain_net)
    for placed in orders:
        a, b = fast.route(placed, fast_net), plain.route(placed, plain_net)
        fast_dict, plain_dict = a.to_dict(), b.to_dict()
        # The runner-up is the best alternative among the plans each search looked at, and the
        # lane path skips plans that only lose on tie-breaks (see core.routing.twins): the chosen
        # plan and every candidate must match exactly, the runner-up need only be a real one.
        for d in (fast_dict, plain_dict):
            runner_up = d["explanation"].pop("runner_up")
            if runner_up is not None and not runner_up["unplaced"]:  # else it places fewer units
                assert Decimal(runner_up["difference"]) >= 0
            del d["explanation"]["summary"], d["text"]
        assert fast_dict == plain_dict
        fast_log.allocate(a)
        plain_log.allocate(b)


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(-60, 70),
    lon=st.floats(-179, 179),
    dlat=st.floats(-60, 70),
    dlon=st.floats(-179, 179),
)
def test_screened_distance_is_the_geo_distance_to_the_last_bits(
    lat: float, lon: float, dlat: float, dlon: float
) -> None:
    """numpy's sine may round the last bit differently from the C library's, nothing more: a zone
    boundary is never that sharp, and within one order the broker is handed the screened distance."""
    location: LocationSnapshot = loc("L1", 0, latitude=lat, longitude=lon)
    net = NetworkSnapshot.build([location], [("L1", "A", 1, 1, 0.0)], [])
    ctx = OrderContext("ship", "web", Destination(dlat, dlon), None)
    line = Line(0, "A", 1, 0, 1000, "", "")
    screened = screen([line], net, ctx, compile_rules(default_rule_set()), {})
    assert screened.km.tolist() == [pytest.approx(distance_km(lat, lon, dlat, dlon), rel=1e-12, abs=1e-9)]
    assert screened.eligible.distances.tolist() == screened.km.tolist()


def test_money_text_is_the_decimal_text() -> None:
    for ticks in [*range(-20_100, 20_100, 7), 10**15 + 1, -(10**12), 123_456_700, 5, -5, 50, 0]:
        assert amount_text(ticks) == str(amount(ticks))


@given(st.integers(-(10**14), 10**14))
def test_money_text_is_the_decimal_text_for_any_amount(ticks: int) -> None:
    assert amount_text(ticks) == str(amount(ticks))


def test_twin_stores_sharing_an_order_keep_the_canonical_plan() -> None:
    """Two stores alike in every cost both ship, because two light parcels are cheapest.

    S02 is nearer but S01 has the smaller code: skipping S01 because a nearer twin exists would
    lose the plan whose first parcel comes from S01, which the tie-breaks prefer.
    """
    stores = [loc("S01", 12), loc("S02", 10)]
    stock = {(code, sku): 2 for code in ("S01", "S02") for sku in ("A", "B")}
    net = network(stores, stock, [item("A", kg="10"), item("B", kg="10")])
    the_order = order(("A", 1), ("B", 1))
    fast = Planner(default_rule_set(), steep_sheet())
    plain = Planner(default_rule_set(), PlainQuoter(steep_sheet()))
    a = fast.route(the_order, net, destination=HOME)
    b = plain.route(the_order, net, destination=HOME)
    assert [(s.location, s.lines) for s in a.shipments] == [("S01", (("A", 1),)), ("S02", (("B", 1),))]
    assert a.exact and a.shipments == b.shipments and a.total == b.total


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_lanes_and_twins_choose_the_plan_plain_quotes_choose(scenario) -> None:
    """Random small networks (the brute-force property's) priced by the sample rate sheet.

    Locations share a postal code and time zone, so many are twins; the search that skips them must
    still pick exactly the plan of the search that cannot know about them.
    """
    locs, items, qty, stock, rules = scenario
    net = network(locs, stock, items)
    the_order = order(*[(it.sku, q) for it, q in zip(items, qty, strict=True)])
    fast = Planner(validate_rule_set(rules), RateBroker(load_sample_rate_sheet()))
    plain = Planner(validate_rule_set(rules), PlainQuoter(RateBroker(load_sample_rate_sheet())))
    a = fast.route(the_order, net, destination=HOME)
    b = plain.route(the_order, net, destination=HOME)
    assert (a.status, a.shipments, a.total, a.unplaced) == (b.status, b.shipments, b.total, b.unplaced)
