"""Pictures of the Pack screens for the docs, on the screenshot run's throwaway store database.

The store gets the demo retailer's catalog (real names, sizes and barcodes) and three picked
orders made through the same path as sync (`apply_changes` with hub-shaped payloads, then the
`picking` and `picked` steps): a ship order that fits one box, a pickup order, and a ship order
that needs two boxes. The shots: the list, verification with a wrong item refused, the box
suggestion for the big order, the label preview once packed, and the label PDF itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from core.demo.network import DemoSizes, build_network
from core.domain.boxes import Fit, Item, choose_box, load_boxes
from core.domain.inventory import utc_now
from core.domain.network import ProductSpec
from core.services.demo_load import load_demo_network
from core.services.orders import Actor
from core.services.store_ops import record_fulfilment_action
from core.services.store_pull import PulledChange, apply_changes
from core.storage.database import Database

SHIPPING = ("Ava Kim", "60657", "Parcelway", "2DAY")


def assigned_change(seq: int, fid: str, lines: list[tuple[ProductSpec, int]], **extra: Any) -> PulledChange:
    """A hub-shaped `fulfilment_assigned` change for S01 (`extra`: name, email, method, due, carrier...)."""
    now = utc_now()
    payload = {
        "fulfilment_id": fid,
        "order_id": fid.split("-")[0],
        "location": "S01",
        "state": "assigned",
        "customer_name": extra.get("name", SHIPPING[0]),
        "customer_phone": extra.get("phone", "+1-555-201-3344"),
        "customer_email": extra.get("email", ""),
        "delivery_method": extra.get("method", "ship"),
        "ship_postal_code": extra.get("postal_code", SHIPPING[1]),
        "ship_country": "US",
        "promise_by": (now.replace(microsecond=0) + extra.get("due", now - now)).isoformat(),
        "lines": [{"sku": p.sku, "qty": qty, "name": p.name, "unit_price": str(p.price)} for p, qty in lines],
        "carrier": extra.get("carrier", SHIPPING[2]),
        "service": extra.get("service", SHIPPING[3]),
        "eta": extra.get("eta"),
        "created_at": now.isoformat(),
    }
    return PulledChange(seq, "fulfilment_assigned", payload)


def _two_box_order(products: list[ProductSpec]) -> list[tuple[ProductSpec, int]]:
    """Two of the biggest parcel-sized product that will not share one box."""
    boxes = load_boxes()
    for p in sorted(products, key=lambda p: -(p.length_cm * p.width_cm * p.height_cm)):
        item = Item(p.sku, (p.length_cm, p.width_cm, p.height_cm), p.weight_kg, 2)
        if p.category != "furniture" and choose_box([item], boxes).fit is Fit.SPLIT:
            return [(p, 2)]
    return [(products[0], 1)]


def seed_pack_bench(database: Database) -> dict[str, str]:
    """The demo catalog plus three picked fulfilments at S01; returns their ids by role."""
    network = build_network(DemoSizes(stores=3, skus=200))
    with database.transaction() as session:
        load_demo_network(session, network)
    by = {c: [p for p in network.products if p.category == c] for c in {p.category for p in network.products}}
    ids = {"ship": "W0000101-S01", "pickup": "W0000102-S01", "split": "W0000103-S01"}
    changes = [
        assigned_change(1, ids["ship"], [(by["apparel"][0], 2), (by["footwear"][0], 1)], due=timedelta(days=2),
                  eta=(utc_now() + timedelta(days=2)).date().isoformat()),
        assigned_change(2, ids["pickup"], [(by["beauty"][0], 1), (by["home"][1], 1)], name="Ben Ode", method="pickup",
                  postal_code="", carrier="", service="pickup", due=timedelta(hours=2)),
        assigned_change(3, ids["split"], _two_box_order(by["sports"] + by["garden"]), name="Maya Patel",
                  postal_code="60614", carrier="SwiftPost", service="ECONOMY", due=timedelta(days=2)),
    ]  # fmt: skip
    actor = Actor("1001", "screenshots")
    with database.transaction() as session:
        apply_changes(session, changes, len(changes))
        for fid in ids.values():
            record_fulfilment_action(session, fid, "picking", actor=actor)
            record_fulfilment_action(session, fid, "picked", actor=actor)
    return ids


def pack_screenshots(shell: Any, ids: dict[str, str], out: Path, shot: Callable[[str], None]) -> list[Path]:
    """Drive the Pack screen through its states; `shot(name)` photographs the window."""
    from app.demo_headless import render_pdf_page
    from app.screenshots import settle

    screen = shell.main.screen("pack")
    shell.main.open_screen("pack")
    settle(lambda: len(screen.list.tiles) == 3)
    shot("pack_list")

    def open_order(fid: str) -> None:
        screen.show_list()
        settle(lambda: fid in screen.list.tiles)
        screen.list.tiles[fid].click()
        settle(
            lambda: (
                screen.sheet is not None and screen.sheet.fulfilment_id == fid and screen.jobs.pending == 0
            )
        )

    open_order(ids["split"])
    shot("pack_box")

    def item_codes() -> list[str]:
        return [line.barcodes[0] for line in screen.sheet.lines for _ in range(line.qty)]

    def check(codes: list[str]) -> None:
        for code in codes:
            shell.on_scan(code, "enter")
        settle(lambda: screen.bench.finish_button.isEnabled() and screen.jobs.pending == 0)

    open_order(ids["ship"])
    codes = item_codes()
    shell.on_scan(codes[0], "enter")
    shell.on_scan("4006381333931", "enter")  # not in this order: refused, nothing recorded
    shot("pack_verify")
    check(codes[1:])
    shot("pack_label")
    screen.save_pdfs()  # into the run's temporary documents folder
    settle(lambda: len(screen.saved) == 2)
    label = render_pdf_page(screen.saved[0], out / "pack_label_pdf.png", 576)
    open_order(ids["pickup"])
    check(item_codes())
    screen.bench.bags.plus.click()  # the customer's two items go in two bags, a tag on each
    settle(lambda: screen.sheet.bag_count == 2 and screen.jobs.pending == 0)
    shot("pack_pickup_bags")
    return [label]


def render_pack_screenshots(out: Path) -> list[Path]:
    """The Pack pictures on a store of their own (its catalog and orders touch no other shot)."""
    from app.screenshot_store import render_on_own_store

    def drive(
        shell: Any, _database: Database, ids: dict[str, str], folder: Path, shot: Callable[[str], None]
    ) -> list[Path]:
        return pack_screenshots(shell, ids, folder, shot)

    return render_on_own_store(out, "pack", seed_pack_bench, drive)
