"""Small hand-made networks for tests, built through the real services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from core.domain.barcodes import make_ean13
from core.domain.inventory import MovementSpec, Reason, utc_now
from core.domain.network import LocationSpec, LocationType, ProductSpec
from core.services.catalog import upsert_locations, upsert_products
from core.services.inventory import record_movements

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
# Five days after the tests start (`order_json`): one instant for the whole run, so the same order
# sent twice is the same order.
PROMISED = (utc_now() + timedelta(days=5)).replace(microsecond=0)


def store(code: str = "S01", postal_code: str = "60601", **overrides: object) -> LocationSpec:
    fields: dict[str, object] = dict(
        code=code,
        name=f"Store {code}",
        type=LocationType.STORE,
        postal_code=postal_code,
        pickup=True,
        returns=True,
        daily_capacity=40,
    )
    fields.update(overrides)
    return LocationSpec(**fields)  # type: ignore[arg-type]


def product(sku: str = "SKU-1", number: int = 1, price: str = "19.99", **overrides: object) -> ProductSpec:
    fields: dict[str, object] = dict(
        sku=sku,
        name=f"Product {sku}",
        price=Decimal(price),
        category="home",
        barcodes=(make_ean13(f"40000000{number:04d}"),),
        weight_kg=Decimal("0.5"),
    )
    fields.update(overrides)
    return ProductSpec(**fields)  # type: ignore[arg-type]


def small_network(session: Session, stock: int = 10) -> None:
    """Two stores and a DC, three products, `stock` sellable units of each everywhere."""
    upsert_locations(
        session,
        [
            store("S01", "60601"),
            store("S02", "60614", allow_negative_stock=True),
            LocationSpec(
                code="DC1", name="DC Central", type=LocationType.DC, postal_code="46201", daily_capacity=500
            ),
        ],
    )
    upsert_products(session, [product(f"SKU-{i}", i) for i in (1, 2, 3)])
    if stock:
        record_movements(
            session,
            [
                MovementSpec(loc, f"SKU-{i}", stock, Reason.INITIAL)
                for loc in ("S01", "S02", "DC1")
                for i in (1, 2, 3)
            ],
        )


def order_json(order_id: str = "W1") -> dict[str, Any]:
    """A two-line ship order to Chicago in the Order JSON shape, promised five days out (`PROMISED`).

    The hub routes an order from the moment it arrives (the wall clock), and stores' carriers do
    not pick up at weekends: a promise five days out is met from the nearest store whatever the
    day and hour the tests run, so what they route does not depend on when they run.
    """
    return {
        "id": order_id,
        "channel": "web",
        "placed_at": NOW.isoformat(),
        "customer": {"name": "Ava Kim", "email": "ava@example.com"},
        "delivery": {
            "method": "ship",
            "postal_code": "60657",
            "promise_by": PROMISED.isoformat(),
        },
        "lines": [
            {"sku": "SKU-1", "qty": 2, "unit_price": "19.99"},
            {"sku": "SKU-2", "qty": 1, "unit_price": "5.00"},
        ],
    }
