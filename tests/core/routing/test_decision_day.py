"""A day of demo orders routed and applied: its decision JSON is pinned, and the stored form gives it back.

The hash was taken from the decisions of the code that wrote every candidate as a JSON row while
routing; the planner now keeps the candidates as columns and expands them when asked, and any
change to a plan, a cost, an explanation or its text changes the hash. When a change of decisions
is intended, say so in the commit and pin the new hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from core.demo.network import DemoSizes, build_network
from core.demo.orders import order_stream
from core.routing.bench_setup import demo_snapshot
from core.routing.benchmark import START
from core.routing.decision import RoutingDecision, expand_stored
from core.routing.journal import Journal
from core.routing.planner import Planner
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.routing.rules import default_rule_set

ORDERS = 2_000
DAY_SHA256 = "3d1c5d16b117a315762259ce5668764a3857b577f8cb13f6095e895e25b474fa"


def test_a_day_of_decisions_is_unchanged_and_its_stored_form_expands_to_the_same_json() -> None:
    demo = build_network(DemoSizes.for_locations(40, 3_000, seed=7))
    net = demo_snapshot(demo)
    journal = Journal(net)
    planner = Planner(default_rule_set(), RateBroker(load_sample_rate_sheet()))
    day = hashlib.sha256()
    for order in order_stream(demo, ORDERS, start=START, seed=11, every=timedelta(days=1) / ORDERS):
        decision = planner.route(order, net)
        text = decision.to_json()
        day.update(text.encode())
        stored = json.loads(json.dumps(decision.to_stored(), ensure_ascii=False, default=str))
        assert json.dumps(expand_stored(stored), ensure_ascii=False, default=str) == text
        assert RoutingDecision.from_dict(stored).to_json() == text
        journal.allocate(decision)
    assert day.hexdigest() == DAY_SHA256
