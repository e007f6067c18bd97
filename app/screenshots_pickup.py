"""Pictures of the Pickup screens for the docs, on a throwaway store database of their own.

The store gets the demo retailer's catalog and five pickup orders brought to the shelf through the
real services (the hub-shaped assignment, picked, packed, `stage_for_pickup`): one a customer
collects through a named proxy with a partial pickup, one locked after five wrong codes, one left
unclaimed past its date (cancelled by the pickup schedule into restock tasks), two more waiting.
"""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path
from typing import Any

from app.screenshot_store import Shot, demo_catalog_store, render_on_own_store
from app.screenshots_pack import assigned_change
from core.domain.inventory import MovementSpec, Reason, utc_now
from core.services.inventory import record_movements
from core.services.orders import Actor
from core.services.pickup import name_proxy, stage_for_pickup
from core.services.pickup_schedule import run_pickup_schedule
from core.services.pickup_verify import verify_code
from core.services.store_ops import record_fulfilment_action
from core.services.store_pull import apply_changes
from core.storage.database import Database

CUSTOMERS = {  # fulfilment id: (customer, e-mail, bags)
    "W0000201-S01": ("Ava Kim", "ava.kim@example.com", 2),
    "W0000202-S01": ("Ben Ode", "ben.ode@example.com", 1),
    "W0000203-S01": ("Maya Patel", "maya.patel@example.com", 1),
    "W0000204-S01": ("Sam Patterson", "sam.p@example.com", 1),
    "W0000205-S01": ("Nina Patel", "nina@example.com", 1),
}


def seed_pickups(database: Database) -> dict[str, str]:
    """The demo catalog and the five pickups at S01; returns each one's QR payload by fulfilment id."""
    by = demo_catalog_store(database)
    lines = {
        "W0000201-S01": [(by["apparel"][0], 1), (by["footwear"][0], 1)],
        "W0000202-S01": [(by["beauty"][0], 1)],
        "W0000203-S01": [(by["home"][1], 2)],
        "W0000204-S01": [(by["sports"][0], 1)],
        "W0000205-S01": [(by["garden"][0], 1)],
    }
    changes = [
        assigned_change(seq, fid, lines[fid], name=name, email=email, method="pickup", postal_code="",
                        carrier="", service="pickup", due=timedelta(hours=4))
        for seq, (fid, (name, email, _)) in enumerate(CUSTOMERS.items(), start=1)
    ]  # fmt: skip
    amy, now = Actor("1001", "screenshots"), utc_now()
    payloads: dict[str, str] = {}
    received = {p.sku for order in lines.values() for p, _ in order}
    with database.transaction() as session:
        record_movements(session, [MovementSpec("S01", sku, 6, Reason.RECEIPT) for sku in sorted(received)])
        apply_changes(session, changes, len(changes))
        for fid, (_, _, bags) in CUSTOMERS.items():
            for action in ("picking", "picked", "packed"):
                record_fulfilment_action(session, fid, action, actor=amy)
            staged_at = now - timedelta(days=8) if fid == "W0000203-S01" else now - timedelta(hours=3)
            payloads[fid] = stage_for_pickup(session, fid, bags=bags, actor=amy, now=staged_at).qr_payload
        name_proxy(session, "W0000201-S01", "Lee Park", actor=amy)
        for _ in range(5):
            verify_code(session, "W0000202-S01", "000000", actor=amy)  # the fifth locks it
        run_pickup_schedule(session, location="S01", now=now)  # Maya's order: unclaimed, to restock
    return payloads


def signature_strokes(width: int, height: int) -> list[list[tuple[float, float]]]:
    """A hand-drawn-looking signature: a looping stroke and an underline."""
    loop = [
        (40 + t * 3.2, height * 0.55 - 38 * math.sin(t / 6.5) * math.exp(-t / 160) - 10 * math.sin(t / 2.2))
        for t in range(0, 130)
    ]
    line = [(60 + t * 6, height * 0.78 + 3 * math.sin(t / 5)) for t in range(0, 60)]
    return [[(x * width / 520, y) for x, y in stroke] for stroke in (loop, line)]


def pickup_screenshots(shell: Any, payloads: dict[str, str], shot: Shot) -> None:
    """Drive the Pickup screen through both flows; `shot(name)` photographs the window."""
    from PySide6.QtCore import QPointF

    from app.screenshots import settle

    screen = shell.main.screen("pickup")
    shell.main.open_screen("pickup")
    settle(lambda: "W0000201-S01" in screen.search.tiles)
    screen.search.field.setText("pat")
    settle(lambda: screen.search.summary.text().startswith("2 matches"))
    shot("pickup_search")

    screen.search.field.clear()
    screen.open_pickup("W0000201-S01")
    settle(lambda: screen.step == "verify")
    screen.verify.code.setText("481")
    screen.verify.choose_id_type("passport")
    screen.verify.proxy_field.setText("Lee Park")
    shot("pickup_verify")

    screen.open_pickup("W0000202-S01")
    settle(lambda: screen.step == "unlock")
    screen.unlock.manager.setText("9001")
    shot("pickup_locked")

    shell.on_scan(payloads["W0000201-S01"], "enter")  # Ava's QR code, shown by Lee from her phone
    settle(lambda: screen.step == "handover")
    plan = screen.plan
    shell.on_scan("BAG:W0000201-S01:1/2", "enter")
    settle(lambda: len(screen.handover.bags) == 1)
    shell.on_scan(plan.items[0].barcodes[0], "enter")
    settle(lambda: sum(screen.handover.units.values()) == 1)
    shell.on_scan("4006381333931", "enter")  # not on the order: refused, nothing recorded
    settle(lambda: bool(screen.handover.refusals))
    shot("pickup_handover")

    shell.on_scan("BAG:W0000201-S01:2/2", "enter")
    settle(lambda: screen.handover.complete)
    screen.handover.finish_button.click()
    pad = screen.finish.pad
    settle(lambda: pad.width() > 100)
    pad.strokes = [[QPointF(x, y) for x, y in s] for s in signature_strokes(pad.width(), pad.height())]
    pad.update()
    shot("pickup_signature")

    row = screen.finish.row(plan.items[1].sku)
    row.set_staying(1)
    row.choose("declined")
    shot("pickup_partial")

    screen.finish.complete_button.click()
    settle(lambda: screen.step == "done")
    shot("pickup_done")

    screen.show_search()
    screen.show_restock()
    settle(lambda: len(screen.restock.tiles) == 2)
    shell.on_scan(plan.items[1].barcodes[0], "enter")  # the declined pair back on the shelf
    settle(lambda: len(screen.restock.tiles) == 1)
    shot("pickup_restock")


def render_pickup_screenshots(out: Path) -> list[Path]:
    """The Pickup pictures on a store of their own (its orders touch no other shot)."""

    def drive(
        shell: Any, _database: Database, payloads: dict[str, str], _out: Path, shot: Shot
    ) -> list[Path]:
        pickup_screenshots(shell, payloads, shot)
        return []

    return render_on_own_store(out, "pickup", seed_pickups, drive)
