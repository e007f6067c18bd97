"""Taking orders in: validation at the door, idempotent intake, fulfilments within the order."""

from __future__ import annotations

import pytest

from core.domain.errors import ConflictError, NotFoundError, ValidationError
from core.domain.orders import parse_order
from core.services.checks import run_checks
from core.services.orders import create_fulfilment, create_order
from core.storage.database import Database
from core.storage.models import Order, StateEvent
from tests.factories import NOW, order_json, small_network


@pytest.fixture
def net(db: Database) -> Database:
    with db.transaction() as s:
        small_network(s)
    return db


def test_order_is_stored_with_exact_money_and_an_audit_event(net: Database) -> None:
    with net.transaction() as s:
        _, created = create_order(s, parse_order(order_json()), now=NOW)
        assert created
    with net.transaction() as s:
        stored = s.get(Order, "W1")
        assert str(stored.total) == "44.98"
        assert [str(line.unit_price) for line in stored.lines] == ["19.99", "5.00"]
        assert stored.placed_at == NOW and stored.state == "created"
        assert s.query(StateEvent).filter_by(entity_id="W1").one().to_state == "created"


def test_the_same_order_twice_is_taken_once(net: Database) -> None:
    with net.transaction() as s:
        create_order(s, parse_order(order_json()), now=NOW)
    with net.transaction() as s:
        _, created = create_order(s, parse_order(order_json()), now=NOW)
        assert not created
        assert s.query(Order).count() == 1


def test_same_id_different_content_is_a_conflict(net: Database) -> None:
    with net.transaction() as s:
        create_order(s, parse_order(order_json()), now=NOW)
    changed = order_json()
    changed["lines"][0]["qty"] = 3
    with pytest.raises(ConflictError, match="W1 was already received"), net.transaction() as s:
        create_order(s, parse_order(changed), now=NOW)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda o: o["lines"][1].update(qty=0), "lines[1].qty", "greater than 0"),
        (lambda o: o["lines"][0].update(qty=1.5), "lines[0].qty", "valid integer"),
        (lambda o: o["lines"][0].update(unit_price="1.999"), "lines[0].unit_price", "decimal places"),
        (lambda o: o.update(lines=[]), "lines", "at least 1"),
        (lambda o: o.update(placed_at="2026-11-26T10:00:00"), "placed_at", "timezone"),
        (lambda o: o["delivery"].update(method="drone"), "delivery.method", "'ship' or 'pickup'"),
        (lambda o: o["delivery"].update(postal_code=""), "delivery", "postal_code or latitude"),
        (lambda o: o.update(colour="red"), "colour", "Extra inputs"),
        (lambda o: o["customer"].update(email="not-an-email"), "customer.email", "pattern"),
    ],
)
def test_malformed_orders_name_the_field(change, field: str, message: str) -> None:
    data = order_json()
    change(data)
    with pytest.raises(ValidationError, match=message) as error:
        parse_order(data)
    assert error.value.field == field


def test_unknown_sku_and_unresolvable_destination_change_nothing(net: Database) -> None:
    data = order_json()
    data["lines"][1]["sku"] = "GHOST"
    with pytest.raises(NotFoundError, match="unknown SKU GHOST"), net.transaction() as s:
        create_order(s, parse_order(data))
    data = order_json()
    data["delivery"]["postal_code"] = "00000"
    with pytest.raises(ValidationError, match="unknown US postal code '00000'"), net.transaction() as s:
        create_order(s, parse_order(data))
    with net.transaction() as s:
        assert s.query(Order).count() == 0


def test_pickup_needs_a_store_that_offers_pickup(net: Database) -> None:
    data = order_json()
    data["delivery"] = {"method": "pickup", "pickup_location": "DC1"}
    with pytest.raises(ValidationError, match="DC1 does not offer pickup"), net.transaction() as s:
        create_order(s, parse_order(data))
    data["delivery"]["pickup_location"] = "S99"
    with pytest.raises(NotFoundError, match="unknown location S99"), net.transaction() as s:
        create_order(s, parse_order(data))


def test_fulfilments_never_hold_more_than_was_ordered(net: Database) -> None:
    with net.transaction() as s:
        create_order(s, parse_order(order_json()), now=NOW)
        create_fulfilment(s, "W1", "S01", [(1, 1)], now=NOW)
        create_fulfilment(s, "W1", "DC1", [(1, 1), (2, 1)], now=NOW)
    with (
        pytest.raises(ValidationError, match="line 1 has 0 unit\\(s\\) left to assign, not 1"),
        net.transaction() as s,
    ):
        create_fulfilment(s, "W1", "S02", [(1, 1)])
    with pytest.raises(NotFoundError, match="no line 7"), net.transaction() as s:
        create_fulfilment(s, "W1", "S02", [(7, 1)])
    with net.transaction() as s:
        assert len(s.get(Order, "W1").fulfilments) == 2
        assert run_checks(s) == []
