"""The Pick pictures for `oms screenshots`: a store with a morning's orders, fed the way the hub
feeds a real one (`store_pull.apply_changes` with catalog, stock and assignments), then the queue,
the why panel, a batch walk, a wrong scan and the short-pick panel photographed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from core.domain.barcodes import make_ean13
from core.domain.inventory import utc_now
from core.domain.network import BinSpec
from core.domain.picking import ShortReason
from core.services.catalog import upsert_bins
from core.services.outbox import SyncKey, set_setting
from core.services.pick_walk import count_bin
from core.services.store_pull import PulledChange, apply_changes
from core.storage.database import Database

STORE = "CHI-01"
PRODUCTS = {  # sku: (name, has a barcode, home bin)
    "MUG-BLU": ("Blue stoneware mug", True, "A-02-3"),
    "TWL-LIN": ("Linen tea towel, oat", True, "C-05-1"),
    "LMP-BRS": ("Brass desk lamp", True, "B-03-6"),
    "CNDL-FIG": ("Fig candle, 200 g", True, "A-04-2"),
    "WRAP-KRF": ("Kraft gift wrap (loose)", False, "A-01-1"),
    "PLT-OAK": ("Oak serving board", True, "D-01-4"),
}
WHY = (
    "Routed to Northwind Lincoln Park (CHI-01): the closest store with {items}, {km} km away; "
    "Northwind DC Joliet (DC-JOL) would have cost ${more} more in shipping. "
    "Northwind Wicker Park (CHI-02) was skipped: it has only 1 of the {n} items in stock."
)
ORDERS = [  # (order, customer, method, minutes to the promise, lines)
    ("N-10412", "Priya Raman", "ship", -12, [("MUG-BLU", 2), ("TWL-LIN", 1)]),
    ("N-10418", "Marcus Webb", "pickup", 25, [("MUG-BLU", 1), ("LMP-BRS", 1)]),
    ("N-10421", "Sofia Alvarez", "ship", 95, [("CNDL-FIG", 2), ("WRAP-KRF", 1)]),
    ("N-10425", "Tomasz Nowak", "ship", 180, [("PLT-OAK", 1)]),
    ("N-10430", "Grace Liu", "pickup", 240, [("TWL-LIN", 2), ("CNDL-FIG", 1)]),
    ("N-10433", "Daniel Okoye", "ship", 26 * 60, [("LMP-BRS", 1), ("PLT-OAK", 1), ("MUG-BLU", 1)]),
    ("N-10437", "Hannah Berg", "ship", 30 * 60, [("WRAP-KRF", 2)]),
]


def _assigned(
    seq: int, order: str, customer: str, method: str, minutes: int, lines: list, now: datetime
) -> PulledChange:
    n = len(lines)
    items = {1: "the item", 2: "both items"}.get(n, f"all {n} items")
    return PulledChange(
        seq,
        "fulfilment_assigned",
        {
            "fulfilment_id": f"{order}-{STORE}",
            "order_id": order,
            "location": STORE,
            "state": "assigned",
            "customer_name": customer,
            "delivery_method": method,
            "promise_by": (now + timedelta(minutes=minutes)).isoformat(),
            "lines": [{"sku": sku, "qty": qty, "name": PRODUCTS[sku][0]} for sku, qty in lines],
            "carrier": "UPS" if method == "ship" else "",
            "service": "Ground" if method == "ship" else "",
            "explanation": WHY.format(items=items, km=2 + seq % 5, more=f"{3 + seq % 4}.{seq % 10}0", n=n),
            "created_at": (now - timedelta(hours=2)).isoformat(),
        },
    )


def seed_pick_demo(database: Database, now: datetime | None = None) -> None:
    """The morning's work at CHI-01, plus one order the hub already moved a unit off."""
    now = now or utc_now()
    products = [
        {
            "sku": sku,
            "name": name,
            "price": "12.00",
            "category": "home",
            "barcodes": [make_ean13(f"5012345{i:05d}")] if coded else [],
        }
        for i, (sku, (name, coded, _bin)) in enumerate(PRODUCTS.items(), start=1)
    ]
    locations = [
        {
            "code": STORE,
            "name": "Northwind Lincoln Park",
            "type": "store",
            "timezone": "America/Chicago",
            "pickup": True,
            "returns": True,
            "ships": True,
        }
    ]
    balances = [
        {
            "sku": sku,
            "sellable": 8,
            "damaged": 0,
            "quarantine": 0,
            "in_transit": 0,
            "reserved": 0,
            "safety_stock": 1,
            "bin": home,
        }
        for sku, (_n, _c, home) in PRODUCTS.items()
    ]
    changes = [
        PulledChange(1, "catalog", {"complete": True, "products": products, "locations": locations}),
        PulledChange(2, "stock", {"location": STORE, "complete": True, "balances": balances}),
    ]
    changes += [_assigned(seq, *order, now) for seq, order in enumerate(ORDERS, start=3)]
    moved = {
        "fulfilment_id": f"N-10433-{STORE}",
        "order_id": "N-10433",
        "lines": [{"sku": "MUG-BLU", "qty": 1}],
        "fulfilment_state": "assigned",
        "moved_to": [{"location": "CHI-03", "lines": [{"sku": "MUG-BLU", "qty": 1}]}],
        "reason": "stock sold in store",
        "text": "1 × Blue stoneware mug taken off order N-10433 (stock sold in store) and routed to Northwind Logan Square (CHI-03).",
    }
    changes.append(PulledChange(len(changes) + 1, "lines_rerouted", moved))
    with database.transaction() as session:
        set_setting(session, SyncKey.LOCATION, STORE)
        apply_changes(session, changes, len(changes), now=now)
        upsert_bins(
            session,
            [
                BinSpec(STORE, f"{z}-{a:02d}-{p}", z, a, p)
                for z in "ABCD"
                for a in range(1, 7)
                for p in range(1, 8)
            ]
            + [BinSpec(STORE, "BR-02", "Z", 90, 2)],
        )
        count_bin(session, STORE, "MUG-BLU", "BR-02", 6, now=now)


def pick_shots(shell: Any, store: Any, shot: Callable[[str], None], settle: Callable[..., None]) -> None:
    """Queue, why panel, batch walk, wrong scan and short pick, as the signed-in associate sees them."""
    pick = shell.main.screen("pick")
    queue = pick.queue
    settle(lambda: queue.model.rowCount() == len(ORDERS) and not queue.model.loading)
    queue.choose(f"N-10418-{STORE}", f"N-10412-{STORE}")
    settle(lambda: store.ops.pending == 0 and queue.why.detail is not None)
    shot("pick_queue")

    queue.view.clearSelection()
    queue.choose(f"N-10433-{STORE}")
    settle(lambda: store.ops.pending == 0 and queue.why.detail is not None and queue.why.detail.rerouted)
    shot("pick_why")

    queue.view.clearSelection()
    queue.choose(f"N-10412-{STORE}", f"N-10418-{STORE}")
    settle(lambda: store.ops.pending == 0)
    queue.start_button.click()
    settle(lambda: pick.walking and store.ops.pending == 0)
    walk = pick.walk
    mug = walk.progress.walk.tasks[0].barcodes[0]
    pick.handle_scan(mug, "enter")
    shot("pick_walk")

    towel = next(t for t in walk.progress.walk.tasks if t.sku == "TWL-LIN").barcodes[0]
    pick.handle_scan(towel, "enter")
    shot("pick_wrong_scan")

    walk.open_short()
    settle(lambda: store.ops.pending == 0 and walk.short_panel.found_button.isVisible())
    walk.short_panel.set_qty(1)
    walk.short_panel.choose_reason(ShortReason.NOT_FOUND)
    settle(lambda: store.ops.pending == 0 and walk.short_panel.confirm_button.isEnabled())
    shot("pick_short")

    walk.close_short()
    walk.leave_requested.emit()
    settle(lambda: not pick.walking)
