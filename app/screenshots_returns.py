"""Pictures of the Returns screens for the docs, on a throwaway store database of their own.

The store (S01, the demo retailer's catalog) holds three orders of one customer from three
channels, delivered days ago through the order services: a web order with a discount, shipping
and a card on file (one shirt already came back, one line is final sale), a marketplace order
whose 15-day electronics window has closed, and an order placed at another store. A unit returned
earlier as "needs inspection" waits in quarantine. The shots walk the screen: find, lines, quote,
a refusal (another tablet took the last unit back first), done, no receipt, inspections, and the
receipt PDF as a reader shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from app.screenshot_store import demo_catalog_store
from core.demo.network import DemoSizes, build_network
from core.domain.inventory import utc_now
from core.domain.network import ProductSpec
from core.domain.orders import parse_order
from core.domain.returns import Condition, ReturnReason, ReturnRequest
from core.services.orders import Actor, create_fulfilment, create_order, transition_fulfilment
from core.services.returns import record_return
from core.services.returns_extra import record_order_payment
from core.storage.database import Database

CUSTOMER = {"name": "Ava Kim", "email": "ava.kim@example.com", "phone": "+1 312 555 0147"}
DESK = Actor("1002", "screenshots")


def _delivered(
    database: Database, order_id: str, channel: str, lines: list[tuple[ProductSpec, int]], days_ago: int
) -> None:
    """An order shipped from the DC (or handed over at another store) `days_ago` days ago."""
    delivered = utc_now() - timedelta(days=days_ago)
    request = parse_order(
        {
            "id": order_id,
            "channel": channel,
            "placed_at": (delivered - timedelta(days=2)).isoformat(),
            "customer": CUSTOMER,
            "delivery": {"method": "ship", "postal_code": "60657"},
            "lines": [{"sku": p.sku, "qty": qty, "unit_price": str(p.price)} for p, qty in lines],
        }
    )
    with database.transaction() as session:
        create_order(session, request, now=delivered - timedelta(days=2))
        fulfilment = create_fulfilment(
            session, order_id, "DC1", [(i, qty) for i, (_, qty) in enumerate(lines, start=1)], now=delivered
        )
        for state in ("picking", "picked", "packed", "shipped"):
            transition_fulfilment(session, fulfilment.id, state, now=delivered)  # type: ignore[arg-type]


def seed_returns_desk(database: Database) -> dict[str, str]:
    """The catalog, S01 as this store, three delivered orders and one unit waiting for inspection."""
    by = demo_catalog_store(database)
    ids = {"web": "W0000201", "marketplace": "MK-88412", "store": "S03-0000203"}
    _delivered(
        database, ids["web"], "web", [(by["apparel"][3], 2), (by["home"][2], 1), (by["beauty"][1], 1)], 6
    )
    _delivered(
        database, ids["marketplace"], "marketplace", [(by["electronics"][0], 1), (by["footwear"][2], 1)], 20
    )
    _delivered(database, ids["store"], "store", [(by["kitchen"][4], 2)], 3)
    with database.transaction() as session:
        record_order_payment(session, ids["web"], discount="15.00", shipping="6.95", tender="Visa ···· 4242")
        record_return(
            session, ids["web"], [ReturnRequest(1, 1, ReturnReason.WRONG_SIZE, Condition.NEW)], actor=DESK
        )
        record_return(
            session,
            ids["store"],
            [ReturnRequest(1, 1, ReturnReason.DEFECTIVE, Condition.UNVERIFIED)],
            actor=DESK,
        )
    return ids


def returns_screenshots(
    shell: Any, database: Database, ids: dict[str, str], out: Path, shot: Callable[[str], None]
) -> list[Path]:
    """Drive the Returns screen through its states; `shot(name)` photographs the window."""
    from app.demo_headless import render_pdf_page
    from app.screenshots import settle

    shell.main.open_screen("returns")
    screen = shell.main.screen("returns")
    settle(lambda: screen.isVisible())
    screen.find.field.setText("kim")
    settle(lambda: len(screen.find.tiles) == 3)
    shot("returns_find")

    def open_order(order_id: str) -> None:
        screen.handle_scan(order_id, "enter")
        settle(lambda: screen.page is screen.sheet and bool(screen.sheet.rows) and not screen.sheet.building)

    open_order(ids["web"])
    shot("returns_lines")
    shirt, throw = screen.sheet.rows[0], screen.sheet.rows[1]
    shirt.set_qty(1)
    shirt.choose(ReturnReason.CHANGED_MIND, Condition.OPENED)
    throw.set_qty(1)
    throw.choose(ReturnReason.DEFECTIVE, Condition.DAMAGED)
    settle(lambda: screen.sheet.quote.confirm_button.isEnabled())
    shot("returns_quote")

    with database.transaction() as session:  # another tablet takes the throw back first
        record_return(
            session, ids["web"], [ReturnRequest(2, 1, ReturnReason.DEFECTIVE, Condition.DAMAGED)], actor=DESK
        )
    screen.sheet.quote.confirm_button.click()
    settle(lambda: screen.banner.outcome == "error")
    shot("returns_refused")

    throw.set_qty(0)
    settle(lambda: screen.sheet.quote.confirm_button.isEnabled())
    screen.sheet.quote.confirm_button.click()
    settle(lambda: screen.page is screen.done and screen.paper.jobs.pending == 0)
    shot("returns_done")
    screen.save_pdf()
    settle(lambda: screen.paper.saved is not None)
    pdf = render_pdf_page(screen.paper.saved, out / "returns_receipt_pdf.png", 612)

    screen.done.next_button.click()
    screen.find.no_receipt_button.click()
    products = {p.sku: p for p in build_network(DemoSizes(stores=3, skus=200)).products}
    mug = next(p for p in products.values() if p.category == "kitchen" and p.barcodes)
    for _ in range(2):
        screen.handle_scan(mug.barcodes[0], "enter")
        settle(lambda: screen.ops.pending == 0)
    [row] = screen.receiptless.rows
    row.choose(ReturnReason.CHANGED_MIND, Condition.NEW)
    settle(lambda: screen.receiptless.quote.confirm_button.isEnabled())
    screen.approval.manager.setText("9001")
    screen.approval.pin.setText("98")
    shot("returns_receiptless")

    screen.show_find()
    screen.find.inspections_button.click()
    settle(lambda: len(screen.inspection.rows) == 1)
    shot("returns_inspection")
    return [pdf]


def render_returns_screenshots(out: Path) -> list[Path]:
    """The Returns pictures on a store of their own (its orders touch no other shot), as Ben."""
    from app.screenshot_store import render_on_own_store

    return render_on_own_store(
        out, "returns", seed_returns_desk, returns_screenshots, person=("1002", "2468")
    )
