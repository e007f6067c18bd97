"""`run_checks` finds each kind of broken invariant and names the row."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.domain.orders import parse_order
from core.services.checks import run_checks
from core.services.inventory import reserve
from core.services.orders import create_fulfilment, create_order
from core.storage.database import Database
from tests.factories import NOW, order_json, small_network


@pytest.fixture
def net(db: Database) -> Database:
    with db.transaction() as s:
        small_network(s)
        create_order(s, parse_order(order_json()), now=NOW)
        fulfilment = create_fulfilment(s, "W1", "S01", [(1, 2)], now=NOW)
        reserve(s, "S01", "SKU-1", 2, fulfilment_id=fulfilment.id)
    with db.transaction() as s:
        assert run_checks(s) == []
    return db


def tamper(db: Database, sql: str) -> list[str]:
    with db.engine.begin() as conn:
        conn.execute(text(sql))
    with db.transaction() as s:
        return [str(p) for p in run_checks(s)]


def test_a_balance_that_disagrees_with_the_ledger(net: Database) -> None:
    found = tamper(
        net, "UPDATE stock_positions SET damaged = 4 WHERE location_code = 'DC1' AND sku = 'SKU-2'"
    )
    assert found == ["[balance] stock_positions DC1/SKU-2: damaged is 4 but the ledger sums to 0"]


def test_reserved_units_without_reservations(net: Database) -> None:
    found = tamper(
        net, "UPDATE stock_positions SET reserved = 5 WHERE location_code = 'S01' AND sku = 'SKU-1'"
    )
    assert found == [
        "[reserved] stock_positions S01/SKU-1: reserved is 5 but active reservations add up to 2"
    ]


def test_negative_stock_where_the_location_forbids_it(net: Database) -> None:
    found = tamper(
        net,
        "INSERT INTO movements (id, location_code, sku, qty, bucket, reason, reference, device, occurred_at,"
        " recorded_at) VALUES ('11111111111111111111111111111111', 'S01', 'SKU-3', -15, 'sellable', 'sale', '', '',"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    )
    assert "[balance] stock_positions S01/SKU-3: sellable is 10 but the ledger sums to -5" in found
    found = tamper(
        net, "UPDATE stock_positions SET sellable = -5 WHERE location_code = 'S01' AND sku = 'SKU-3'"
    )
    assert found == ["[negative] stock_positions S01/SKU-3: sellable is -5"]


def test_a_state_changed_behind_the_audit_trail(net: Database) -> None:
    found = tamper(net, "UPDATE orders SET state = 'shipped' WHERE id = 'W1'")
    assert found == ["[audit] order W1: state is shipped but the audit trail ends at created"]


def test_a_fulfilment_holding_more_than_ordered(net: Database) -> None:
    found = tamper(net, "UPDATE fulfilment_lines SET qty = 9")
    assert found == ["[assigned] order W1 line 1: 9 units assigned but 2 ordered"]
