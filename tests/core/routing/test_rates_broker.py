"""RateBroker: ship dates around cut-offs, promises, surcharges, zones and tiers, with hand-computed money.

Times are in June/July 2025, New York (UTC-4). 2025-06-02 is a Monday; 2025-07-04 is a Friday holiday.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.errors import ValidationError
from core.routing.rates import RateBroker, load_sample_rate_sheet, parse_rate_sheet
from core.routing.shipping import Address, ShipmentRequest, ShippingQuoter

NY = ZoneInfo("America/New_York")
NYC = Address("10001", "US", 40.7506, -73.9972, "America/New_York")
BROOKLYN = Address("11201", "US", 40.6943, -73.9918, "America/New_York")  # 6 km: band A
NEWARK = Address("07102", "US", 40.7357, -74.1724, "America/New_York")  # 15 km: band A, postal table C
PHILADELPHIA = Address("19103", "US", 39.9522, -75.1740, "America/New_York")  # 134 km: band B
CHICAGO = Address("60601", "US", 41.8858, -87.6181, "America/Chicago")  # 1143 km: beyond every band


def sheet_data() -> dict[str, Any]:
    alpha_ground = {
        "code": "GROUND",
        "name": "Alpha Ground",
        "transit_days": {"A": 1, "B": 3, "C": 5},
        "tiers": [
            {"max_kg": "1", "prices": {"A": "5.00", "B": "7.00", "C": "9.00"}},
            {"max_kg": "5", "prices": {"A": "8.00", "B": "11.00", "C": "15.00"}},
        ],
    }
    alpha_express = {
        "code": "EXPRESS",
        "name": "Alpha Express",
        "guaranteed": True,
        "transit_days": {"A": 1, "B": 1, "C": 2},
        "tiers": [
            {"max_kg": "1", "prices": {"A": "12.00", "B": "20.00", "C": "30.00"}},
            {"max_kg": "5", "prices": {"A": "18.00", "B": "28.00", "C": "40.00"}},
        ],
    }
    alpha = {
        "name": "Alpha",
        "fuel_surcharge_pct": "10",
        "residential_surcharge": "4.00",
        "pickup_days": ["mon", "tue", "wed", "thu", "fri"],
        "cutoff": "17:00",
        "holidays": ["2025-07-04"],
        "distance_bands": [
            {"zone": "A", "min_km": 0, "max_km": 100},
            {"zone": "B", "min_km": 100, "max_km": 500},
            {"zone": "C", "min_km": 500, "max_km": 1000},
        ],
        "postal_zones": [{"origin": "100-104", "destination": "070-079", "zone": "C"}],
        "services": [alpha_ground, alpha_express],
    }
    beta = {
        "name": "Beta",
        "pickup_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
        "cutoff": "12:00",
        "distance_bands": [{"zone": "1", "min_km": 0, "max_km": 300}],
        "services": [
            {
                "code": "SAT",
                "name": "Beta Saturday",
                "saturday_delivery": True,
                "transit_days": {"1": 2},
                "tiers": [{"max_kg": "10", "prices": {"1": "30.00"}}],
            }
        ],
    }
    return {"carriers": [alpha, beta]}


def alpha_only(**changes: Any) -> RateBroker:
    data = sheet_data()
    data["carriers"] = data["carriers"][:1]
    data["carriers"][0].update(changes)
    return RateBroker(parse_rate_sheet(data))


def at(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=NY)


def request(
    dest: Address = BROOKLYN,
    ready: datetime | None = None,
    kg: str = "1",
    promise: datetime | None = None,
    origin: Address = NYC,
) -> ShipmentRequest:
    return ShipmentRequest(origin, dest, Decimal(kg), ready or at(2, 10), promise)


def test_broker_is_a_shipping_quoter() -> None:
    quoter: ShippingQuoter = alpha_only()
    assert quoter.quote(request()) is not None


@pytest.mark.parametrize(
    ("ready", "ship", "eta"),
    [
        (at(2, 16, 59), date(2025, 6, 2), date(2025, 6, 3)),  # Monday before cut-off
        (at(2, 17, 0), date(2025, 6, 2), date(2025, 6, 3)),  # exactly at cut-off still ships
        (at(2, 17, 1), date(2025, 6, 3), date(2025, 6, 4)),  # after cut-off: Tuesday
        (at(6, 18, 0), date(2025, 6, 9), date(2025, 6, 10)),  # Friday after cut-off: Monday
        (at(7, 9, 0), date(2025, 6, 9), date(2025, 6, 10)),  # Saturday is not a pickup day
        (at(8, 9, 0), date(2025, 6, 9), date(2025, 6, 10)),  # nor Sunday
        (at(3, 18, 0, month=7), date(2025, 7, 7), date(2025, 7, 8)),  # Thursday late, Friday holiday
    ],
)
def test_ship_date_follows_cutoff_and_pickup_days(ready: datetime, ship: date, eta: date) -> None:
    quote = alpha_only().quote(request(ready=ready))
    assert quote is not None
    assert (quote.service, quote.ship_date, quote.eta) == ("GROUND", ship, eta)


def test_ready_time_is_read_in_the_origin_time_zone() -> None:
    broker = alpha_only()
    utc = ZoneInfo("UTC")
    before = broker.quote(request(ready=datetime(2025, 6, 2, 20, 30, tzinfo=utc)))  # 16:30 in New York
    after = broker.quote(request(ready=datetime(2025, 6, 2, 21, 30, tzinfo=utc)))  # 17:30 in New York
    assert before is not None and after is not None
    assert (before.ship_date, after.ship_date) == (date(2025, 6, 2), date(2025, 6, 3))


def test_transit_skips_weekends_and_holidays() -> None:
    # zone B ground, 3 delivery days from Thursday 3 July: Fri 4 (holiday), Sat, Sun skipped -> Mon, Tue, Wed
    quote = alpha_only().quote(request(PHILADELPHIA, ready=at(3, 9, month=7)))
    assert quote is not None
    assert (quote.ship_date, quote.eta, quote.transit_days) == (date(2025, 7, 3), date(2025, 7, 9), 3)


def test_saturday_delivery_and_saturday_pickup() -> None:
    data = sheet_data()
    data["carriers"] = data["carriers"][1:]
    broker = RateBroker(parse_rate_sheet(data))
    friday = broker.quote(request(ready=at(6, 11)))
    saturday = broker.quote(request(ready=at(7, 11)))
    late_saturday = broker.quote(request(ready=at(7, 12, 30)))
    assert friday is not None and saturday is not None and late_saturday is not None
    assert (friday.ship_date, friday.eta) == (date(2025, 6, 6), date(2025, 6, 9))  # Sat, (Sun), Mon
    assert (saturday.ship_date, saturday.eta) == (date(2025, 6, 7), date(2025, 6, 10))
    assert late_saturday.ship_date == date(2025, 6, 9)  # no Sunday pickup
    data["carriers"][0]["services"][0]["saturday_delivery"] = False
    weekdays_only = RateBroker(parse_rate_sheet(data)).quote(request(ready=at(6, 11)))
    assert weekdays_only is not None and weekdays_only.eta == date(2025, 6, 10)


def test_service_cutoff_overrides_the_carrier() -> None:
    data = sheet_data()
    data["carriers"][0]["services"][0]["cutoff"] = "11:00"
    broker = RateBroker(parse_rate_sheet(data))
    quotes = {q.service: q for q in broker.quotes(request(ready=at(2, 11, 30)))}
    assert quotes["GROUND"].ship_date == date(2025, 6, 3)
    assert quotes["EXPRESS"].ship_date == date(2025, 6, 2)


def test_same_day_service_delivers_on_the_ship_date() -> None:
    data = sheet_data()
    data["carriers"][0]["services"][1]["transit_days"] = {"A": 0, "B": 1, "C": 2}
    quotes = {q.service: q for q in RateBroker(parse_rate_sheet(data)).quotes(request(ready=at(2, 9)))}
    assert quotes["EXPRESS"].eta == quotes["EXPRESS"].ship_date == date(2025, 6, 2)


# Philadelphia (zone B), ready Monday 10:00: GROUND arrives Thu 5 June for 7.00 + 0.70 fuel,
# EXPRESS arrives Tue 3 June for 20.00 + 2.00 fuel.
@pytest.mark.parametrize(
    ("promise", "service", "cost", "meets"),
    [
        (None, "GROUND", "7.70", True),
        (at(6, 20), "GROUND", "7.70", True),  # both meet: the cheapest
        (at(5, 0, 1), "GROUND", "7.70", True),  # promise on the ETA day itself is met
        (at(4, 20), "EXPRESS", "22.00", True),  # only express arrives in time
        (at(2, 20), "EXPRESS", "22.00", False),  # none can: the fastest, flagged
    ],
)
def test_cheapest_service_meeting_the_promise(
    promise: datetime | None, service: str, cost: str, meets: bool
) -> None:
    quote = alpha_only().quote(request(PHILADELPHIA, promise=promise))
    assert quote is not None
    assert (quote.service, quote.cost, quote.meets_promise) == (service, Decimal(cost), meets)


def test_promise_date_is_read_in_the_destination_time_zone() -> None:
    # 02:00 UTC on 5 June is still 4 June in Philadelphia, so ground (ETA 5 June) misses it
    promise = datetime(2025, 6, 5, 2, 0, tzinfo=ZoneInfo("UTC"))
    quote = alpha_only().quote(request(PHILADELPHIA, promise=promise))
    assert quote is not None and (quote.service, quote.meets_promise) == ("EXPRESS", True)


def test_guaranteed_only_refuses_unguaranteed_services_for_promises() -> None:
    data = sheet_data()
    data["carriers"] = data["carriers"][:1]
    broker = RateBroker(parse_rate_sheet(data), guaranteed_only=True)
    quote = broker.quote(request(PHILADELPHIA, promise=at(6, 20)))
    assert quote is not None and quote.service == "EXPRESS"


def test_fastest_fallback_prefers_the_cheaper_of_equal_etas() -> None:
    data = sheet_data()
    data["carriers"] = data["carriers"][:1]
    data["carriers"][0]["services"][0]["transit_days"] = {"A": 1, "B": 1, "C": 5}
    quote = RateBroker(parse_rate_sheet(data)).quote(request(PHILADELPHIA, promise=at(2, 20)))
    assert quote is not None and (quote.service, quote.meets_promise) == ("GROUND", False)


def test_fuel_and_residential_surcharges() -> None:
    business = alpha_only().quote(request(PHILADELPHIA))
    home = alpha_only().quote(request(replace(PHILADELPHIA, residential=True)))
    assert business is not None and home is not None
    assert business.breakdown == (
        ("base", Decimal("7.00")),
        ("fuel", Decimal("0.70")),
        ("residential", Decimal("0.00")),
    )
    assert home.cost == Decimal("11.70")  # 7.00 + 10% fuel on the base only + 4.00 residential
    assert home.breakdown[2] == ("residential", Decimal("4.00"))


def test_fuel_is_rounded_half_up_to_cents() -> None:
    # 12.5% of 7.00 = 0.875 -> 0.88; 15.5% of 9.00 (postal zone C) = 1.395 -> 1.40
    broker = alpha_only(fuel_surcharge_pct="12.5")
    phl = broker.quote(request(PHILADELPHIA))
    newark = alpha_only(fuel_surcharge_pct="15.5").quote(request(NEWARK))
    assert phl is not None and newark is not None
    assert (phl.breakdown[1], phl.cost) == (("fuel", Decimal("0.88")), Decimal("7.88"))
    assert (newark.breakdown[1], newark.cost) == (("fuel", Decimal("1.40")), Decimal("10.40"))
    assert phl.cost.as_tuple().exponent == -2


def test_postal_prefix_table_beats_the_distance_band() -> None:
    broker = alpha_only()
    newark = broker.quote(request(NEWARK))  # 15 km would be band A (5.00), the table says zone C
    brooklyn = broker.quote(request(BROOKLYN))  # no table row for 112: band A
    assert newark is not None and brooklyn is not None
    assert (newark.breakdown[0], newark.transit_days) == (("base", Decimal("9.00")), 5)
    assert brooklyn.breakdown[0] == ("base", Decimal("5.00"))


def test_postal_table_applies_only_to_us_addresses() -> None:
    abroad = Address("07102", "CA", NEWARK.latitude, NEWARK.longitude, "America/Toronto")
    quote = alpha_only().quote(request(abroad))
    assert quote is not None and quote.breakdown[0] == ("base", Decimal("5.00"))


@pytest.mark.parametrize(
    ("kg", "base"),
    [("0", "5.00"), ("0.01", "5.00"), ("1", "5.00"), ("1.000", "5.00"), ("1.001", "8.00"), ("5", "8.00")],
)
def test_weight_tiers_include_their_upper_bound(kg: str, base: str) -> None:
    quote = alpha_only().quote(request(kg=kg))
    assert quote is not None and quote.breakdown[0] == ("base", Decimal(base))


def test_too_heavy_for_every_service_is_none() -> None:
    assert alpha_only().quote(request(kg="5.01")) is None


def test_beyond_the_last_distance_band_is_none() -> None:
    assert RateBroker(parse_rate_sheet(sheet_data())).quote(request(CHICAGO)) is None


def test_ties_break_by_carrier_then_service_code_whatever_the_sheet_order() -> None:
    data = sheet_data()
    alpha = data["carriers"][0]
    twin = copy.deepcopy(alpha) | {"name": "Aardvark"}
    for order in ([alpha, twin], [twin, alpha]):
        data["carriers"] = order
        quote = RateBroker(parse_rate_sheet(data)).quote(request(PHILADELPHIA))
        assert quote is not None and (quote.carrier, quote.service) == ("Aardvark", "GROUND")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kg": "Infinity"}, "weight_kg"),
        ({"kg": "-1"}, "weight_kg"),
        ({"kg": "NaN"}, "weight_kg"),
        ({"ready": datetime(2025, 6, 2, 10)}, "ready_at"),
        ({"promise": datetime(2025, 6, 5, 10)}, "promise_by"),
        ({"origin": Address("10001", "US", 40.75, -74.0, "Mars/Olympus")}, "origin.timezone"),
    ],
)
def test_bad_requests_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        alpha_only().quote(request(**changes))
    assert caught.value.field == field


def test_sample_sheet_quotes_coast_to_coast_and_keeps_couriers_local() -> None:
    broker = RateBroker(load_sample_rate_sheet())
    la = Address("90012", "US", 34.0614, -118.2385, "America/Los_Angeles", residential=True)
    quote = broker.quote(request(la, kg="2"))
    assert quote is not None and quote.meets_promise
    assert all(q.carrier != "Metro Courier" for q in broker.quotes(request(PHILADELPHIA)))
    assert any(q.service == "SAMEDAY" for q in broker.quotes(request(BROOKLYN, ready=at(2, 9))))


def test_sample_sheet_swiftpost_zone_chart_beats_distance() -> None:
    sheet = load_sample_rate_sheet()
    montauk = Address("11954", "US", 41.0459, -71.944, "America/New_York")  # 175 km: band 2
    quotes = {(q.carrier, q.service): q for q in RateBroker(sheet).quotes(request(montauk))}
    swiftpost = next(c for c in sheet.carriers if c.name == "SwiftPost")
    economy_1kg = swiftpost.services[0].tiers[1]
    assert economy_1kg.max_kg == 1
    assert quotes["SwiftPost", "ECONOMY"].breakdown[0] == ("base", economy_1kg.prices["1"])
    assert quotes["Parcelway", "GROUND"].transit_days == 1  # Parcelway has no table: band 2


_BROKER = RateBroker(parse_rate_sheet(sheet_data()))


@settings(max_examples=200, deadline=None)
@given(
    dest=st.sampled_from([BROOKLYN, NEWARK, PHILADELPHIA, CHICAGO]),
    minutes=st.integers(0, 14 * 24 * 60),
    grams=st.integers(1, 12000),
    promise_days=st.none() | st.integers(0, 8),
)
def test_quote_is_the_best_of_all_quotes(
    dest: Address, minutes: int, grams: int, promise_days: int | None
) -> None:
    ready = at(2, 0) + timedelta(minutes=minutes)
    promise = None if promise_days is None else ready + timedelta(days=promise_days)
    req = request(dest, ready=ready, kg=str(Decimal(grams) / 1000), promise=promise)
    every = _BROKER.quotes(req)
    best = _BROKER.quote(req)
    assert best == (every[0] if every else None)
    if best is not None:
        assert best.ship_date.weekday() < 6 and best.eta >= best.ship_date
        assert best.cost == sum(amount for _, amount in best.breakdown)
        if any(q.meets_promise for q in every):
            assert best.meets_promise
            assert best.cost == min(q.cost for q in every if q.meets_promise)
        else:
            assert best.eta == min(q.eta for q in every)
