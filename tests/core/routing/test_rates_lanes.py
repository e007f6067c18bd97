"""Lane quotes (the planner's cached path) equal the broker's own quote, and never cross dates.

A cache that answered for the wrong ready day, the wrong side of a cut-off or another promise would
silently route orders on stale prices; these tests pin that down against `RateBroker.quote`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.errors import ValidationError
from core.domain.geo import distance_km
from core.routing.quote_table import QuoteTable
from core.routing.rates import RateBroker, load_sample_rate_sheet, parse_rate_sheet
from core.routing.rates import lanes as lanes_module
from core.routing.shipping import Address, RateQuote, ShipmentRequest
from tests.core.routing.test_rates_broker import (
    BROOKLYN,
    CHICAGO,
    NEWARK,
    NYC,
    PHILADELPHIA,
    at,
    sheet_data,
)

LA = Address("90012", "US", 34.0614, -118.2385, "America/Los_Angeles", residential=True)
ORIGINS = [NYC, BROOKLYN, NEWARK, PHILADELPHIA, CHICAGO, LA]


def via_lane(
    broker: RateBroker,
    origin: Address,
    dest: Address,
    grams: int,
    ready: datetime,
    promise: datetime | None,
) -> RateQuote | None:
    view = broker.lanes(dest, ready, promise)
    return view.quote(view.lane(origin), view.weight_class(grams))


def direct(
    broker: RateBroker,
    origin: Address,
    dest: Address,
    grams: int,
    ready: datetime,
    promise: datetime | None,
) -> RateQuote | None:
    return broker.quote(ShipmentRequest(origin, dest, Decimal(grams) / 1000, ready, promise))


_TEST_BROKER = RateBroker(parse_rate_sheet(sheet_data()))
_SAMPLE_BROKER = RateBroker(load_sample_rate_sheet())


@settings(max_examples=300, deadline=None)
@given(
    sample=st.booleans(),
    origin=st.sampled_from(ORIGINS),
    dest=st.sampled_from(ORIGINS),
    minutes=st.integers(0, 14 * 24 * 60),
    grams=st.integers(0, 35_000),
    promise_hours=st.none() | st.integers(0, 200),
)
def test_lane_quote_equals_the_broker_quote(
    sample: bool,
    origin: Address,
    dest: Address,
    minutes: int,
    grams: int,
    promise_hours: int | None,
) -> None:
    """Same broker, shared tables, many requests: every cached answer is the uncached one."""
    broker = _SAMPLE_BROKER if sample else _TEST_BROKER
    ready = at(2, 0) + timedelta(minutes=minutes)
    promise = None if promise_hours is None else ready + timedelta(hours=promise_hours)
    assert via_lane(broker, origin, dest, grams, ready, promise) == direct(
        broker, origin, dest, grams, ready, promise
    )


def test_a_cached_quote_is_not_reused_across_the_cut_off() -> None:
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    before = via_lane(broker, NYC, BROOKLYN, 500, at(2, 16, 59), None)
    after = via_lane(broker, NYC, BROOKLYN, 500, at(2, 17, 1), None)
    assert before is not None and after is not None
    assert (before.ship_date, after.ship_date) == (at(2, 0).date(), at(3, 0).date())


def test_a_cached_quote_is_not_reused_for_another_ready_day() -> None:
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    monday = via_lane(broker, NYC, BROOKLYN, 500, at(2, 10), None)
    tuesday = via_lane(broker, NYC, BROOKLYN, 500, at(3, 10), None)
    assert monday is not None and tuesday is not None
    assert tuesday.ship_date - monday.ship_date == timedelta(days=1)


def test_a_cached_quote_is_not_reused_for_another_promise() -> None:
    """Philadelphia is band B: ground takes 3 days, express 1; the promise decides which wins."""
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    ready = at(2, 10)
    loose = via_lane(broker, NYC, PHILADELPHIA, 500, ready, ready + timedelta(days=5))
    tight = via_lane(broker, NYC, PHILADELPHIA, 500, ready, ready + timedelta(days=1))
    none = via_lane(broker, NYC, PHILADELPHIA, 500, ready, None)
    assert loose is not None and tight is not None and none is not None
    assert (loose.service, tight.service, none.service) == ("GROUND", "EXPRESS", "GROUND")
    assert loose.meets_promise and tight.meets_promise


def test_weight_classes_follow_tier_bounds_inclusively() -> None:
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    ready = at(2, 10)
    at_bound = via_lane(broker, NYC, BROOKLYN, 1000, ready, None)
    over = via_lane(broker, NYC, BROOKLYN, 1001, ready, None)
    too_heavy = via_lane(broker, NYC, BROOKLYN, 10_001, ready, None)
    assert at_bound is not None and over is not None
    assert (at_bound.cost, over.cost, too_heavy) == (Decimal("5.50"), Decimal("8.80"), None)


def test_residential_destinations_get_their_own_lane() -> None:
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    business = via_lane(broker, NYC, BROOKLYN, 500, at(2, 10), None)
    residential = via_lane(broker, NYC, replace(BROOKLYN, residential=True), 500, at(2, 10), None)
    assert residential is not None and business is not None
    assert residential.cost - business.cost == Decimal("4.00")


def test_tables_start_afresh_when_full_and_ids_are_never_reused(monkeypatch) -> None:
    monkeypatch.setattr(lanes_module, "MAX_LANES", 2)
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    seen = []
    for day in range(2, 7):
        view = broker.lanes(BROOKLYN, at(day, 10), None)
        seen.append(view.lane(NYC))
        got = view.quote(seen[-1], view.weight_class(500))
        assert got == direct(broker, NYC, BROOKLYN, 500, at(day, 10), None)
    assert len(set(seen)) == len(seen)
    assert len(broker.lane_table().ids) <= 3


@settings(max_examples=100, deadline=None)
@given(
    dest=st.sampled_from(ORIGINS),
    minutes=st.integers(0, 7 * 24 * 60),
    grams=st.lists(st.integers(0, 25_000), min_size=1, max_size=4),
    promise_hours=st.none() | st.integers(0, 120),
)
def test_one_view_prices_many_origins_like_the_broker(
    dest: Address, minutes: int, grams: list[int], promise_hours: int | None
) -> None:
    """One order's view is asked about every origin in turn, as the planner does."""
    ready = at(2, 0) + timedelta(minutes=minutes)
    promise = None if promise_hours is None else ready + timedelta(hours=promise_hours)
    view = _SAMPLE_BROKER.lanes(dest, ready, promise)
    for origin in ORIGINS + ORIGINS:
        lane = view.lane(origin)
        for g in grams:
            expected = direct(_SAMPLE_BROKER, origin, dest, g, ready, promise)
            assert view.quote(lane, view.weight_class(g)) == expected


@settings(max_examples=100, deadline=None)
@given(
    dest=st.sampled_from(ORIGINS),
    picks=st.lists(st.sampled_from(range(len(ORIGINS))), min_size=2, max_size=12),
    minutes=st.lists(st.integers(0, 7 * 24 * 60), min_size=1, max_size=3),
    seconds=st.sampled_from([0, 1, 30, 59]),
    broker=st.sampled_from([_TEST_BROKER, _SAMPLE_BROKER]),
)
def test_lanes_read_from_the_context_are_the_lanes_of_one_by_one(
    dest: Address, picks: list[int], minutes: list[int], seconds: int, broker: RateBroker
) -> None:
    """The planner's lookup (lanes kept per context across orders, ready classes per period)
    agrees with asking each origin, whichever orders came before; the test sheet's zone charts
    pair some origins with the destination, so they are looked up on their own."""
    origins = [ORIGINS[i] for i in picks]
    km = np.array([distance_km(o.latitude, o.longitude, dest.latitude, dest.longitude) for o in origins])
    numbers: dict[tuple[str, str], int] = {}
    groups = np.array([numbers.setdefault((o.country, o.timezone), len(numbers)) for o in origins])
    zones = tuple(tz for _, tz in numbers)
    for m in minutes:  # several orders, their contexts kept between them
        ready = at(2, 0) + timedelta(minutes=m, seconds=seconds)
        read = broker.lanes(dest, ready, None).lanes_at(origins, km, np.arange(len(origins)), groups, zones)
        one_by_one = broker.lanes(dest, ready, None)
        assert read.tolist() == [one_by_one.lane(o, d) for o, d in zip(origins, km.tolist(), strict=True)]


def test_ready_classes_are_kept_per_period_and_split_at_a_cut_off() -> None:
    """Just after a period's start shares the period's class; the instant itself is apart."""
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    table = broker.lane_table()
    assert table.period_s == 3600  # the cut-offs are whole hours
    cutoff = table.cutoffs[0]
    on = at(2, cutoff.hour, cutoff.minute)
    exactly, inside = (
        broker.lanes(BROOKLYN, on, None),
        broker.lanes(BROOKLYN, on + timedelta(seconds=1), None),
    )
    assert exactly.lane(NYC) != inside.lane(NYC)  # the cut-off is past only after it
    later = broker.lanes(BROOKLYN, on + timedelta(minutes=59, seconds=59), None)
    kept = len(table.ready_by_period)
    assert later.lane(NYC) == inside.lane(NYC) and len(table.ready_by_period) == kept


def test_a_cut_off_off_the_hour_makes_the_period_shorter() -> None:
    data = sheet_data()
    data["carriers"][0]["services"][0]["cutoff"] = "16:45"
    table = RateBroker(parse_rate_sheet(data)).lane_table()
    assert table.period_s == 15 * 60


def test_quote_table_gives_each_lane_one_slot_whatever_its_id() -> None:
    """Lane ids count up for a broker's life: ids beyond the table's array grow it, and a lane met
    twice in one call gets one slot."""
    table = QuoteTable(3)
    first = table.slots(np.array([5, 5_000, 5], np.int64))
    assert first.tolist() == [1, 2, 1] and len(table) == 2
    again = table.slots(np.array([5_000, 7, 5], np.int64))
    assert again.tolist() == [2, 3, 1] and len(table) == 3
    assert len(table.rows) == 4 and table.ticks.shape[1] == 3


def test_context_lanes_follow_the_clock_across_daylight_saving_changes() -> None:
    """Every 20 minutes through the nights the clocks change (New York and Los Angeles origins):
    lanes read from the kept contexts and ready classes are the lanes of one-by-one lookups."""
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    origins = [NYC, PHILADELPHIA, CHICAGO, LA]
    km = np.array(
        [distance_km(o.latitude, o.longitude, CHICAGO.latitude, CHICAGO.longitude) for o in origins]
    )
    numbers: dict[str, int] = {}
    groups = np.array([numbers.setdefault(o.timezone, len(numbers)) for o in origins])
    for night in (datetime(2025, 3, 9, 4, tzinfo=UTC), datetime(2025, 11, 2, 4, tzinfo=UTC)):
        for step in range(36):
            ready = night + timedelta(minutes=20 * step)
            read = broker.lanes(CHICAGO, ready, None).lanes_at(
                origins, km, np.arange(len(origins)), groups, tuple(numbers)
            )
            one_by_one = broker.lanes(CHICAGO, ready, None)
            assert read.tolist() == [one_by_one.lane(o, d) for o, d in zip(origins, km.tolist(), strict=True)]


def test_promise_days_are_kept_per_period_and_naive_times_are_still_refused() -> None:
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    table = broker.lane_table()
    midnight = at(3, 0)  # New York, as the destination's clock
    before, on = midnight - timedelta(seconds=1), midnight
    assert table.promise(broker, BROOKLYN, before) == before.date()
    assert table.promise(broker, BROOKLYN, on) == on.date()  # a period's start is kept apart
    assert table.promise(broker, BROOKLYN, before - timedelta(minutes=30)) == before.date()
    assert len(table.promise_by_period) == 2
    naive = before.replace(tzinfo=None)
    with pytest.raises(ValidationError, match="promise_by"):
        broker.lanes(BROOKLYN, at(2, 10), naive)
    with pytest.raises(ValidationError, match="ready_at"):
        broker.lanes(BROOKLYN, at(2, 10).replace(tzinfo=None), None).lane(NYC)


def test_contexts_start_afresh_when_too_many_and_lanes_stay_right(monkeypatch) -> None:
    monkeypatch.setattr(lanes_module, "MAX_CONTEXTS", 1)
    broker = RateBroker(parse_rate_sheet(sheet_data()))
    origins = [CHICAGO, LA]
    km = np.array([distance_km(o.latitude, o.longitude, NYC.latitude, NYC.longitude) for o in origins])
    groups, zones = np.array([0, 1]), (CHICAGO.timezone, LA.timezone)
    for day in range(2, 6):
        view = broker.lanes(NYC, at(day, 10), None)
        read = view.lanes_at(origins, km, np.arange(2), groups, zones)
        assert len(broker.lane_table().contexts) <= 2
        for lane, origin in zip(read.tolist(), origins, strict=True):
            assert view.quote(lane, view.weight_class(500)) == direct(
                broker, origin, NYC, 500, at(day, 10), None
            )
