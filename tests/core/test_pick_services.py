"""The store-side pick services on a store database seeded through the sync path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.domain.errors import ValidationError
from core.domain.pick_progress import WalkProgress
from core.domain.picking import QueueQuery, ShortLine, ShortReason
from core.services.pick_queue import fulfilment_detail, queue_page
from core.services.pick_seed import seed_store_orders
from core.services.pick_short import confirm_short_pick, preview_short_pick
from core.services.pick_walk import build_walk, finish_walk, start_walk
from core.services.store_pull import apply_changes
from core.storage.database import Database
from core.storage.models import Fulfilment, OutboxEvent, StockPosition
from tests.sync.client_support import assert_consistent
from tests.ui.pick_kit import assigned, barcode, seed_pick_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(str(tmp_path / "store.db"))
    seed_pick_store(db)
    yield db
    db.close()


def test_queue_is_sorted_by_promise_filtered_and_counted(store: Database) -> None:
    with store.transaction() as session:
        page = queue_page(session, QueueQuery())
        assert [r.fulfilment_id for r in page.rows] == ["W1-S01", "W2-S01", "W3-S01"]
        assert page.total == 3 and page.rows[0].units == 3 and page.rows[0].lines == 2
        assert [r.order_id for r in queue_page(session, QueueQuery(method="pickup")).rows] == ["W2"]
        assert [r.order_id for r in queue_page(session, QueueQuery(text="novak")).rows] == ["W2"]
        assert queue_page(session, QueueQuery(text="w3")).total == 1
        assert queue_page(session, QueueQuery(text="%")).total == 0  # a wildcard is a character
        second = queue_page(session, QueueQuery(offset=1, limit=1))
        assert [r.order_id for r in second.rows] == ["W2"] and second.total == 3
        with pytest.raises(ValidationError):
            queue_page(session, QueueQuery(method="drone"))


def test_detail_has_bins_barcodes_and_the_reason_in_sentences(store: Database) -> None:
    with store.transaction() as session:
        detail = fulfilment_detail(session, "W1-S01")
    assert [(d.sku, d.shelf.code, d.shelf.zone) for d in detail.lines] == [
        ("SKU-1", "A-01-2", "A"),
        ("SKU-2", "C-04-1", "C"),
    ]
    assert detail.lines[0].barcodes == (barcode("SKU-1"),)
    assert detail.why[0].startswith("Routed to Store S01 (S01): the closest store")
    assert (
        detail.why[1].startswith("Store S02 (S02) was skipped")
        and detail.why[-1] == "It leaves with UPS Ground."
    )


def test_a_long_reason_cut_to_fit_the_audit_row_keeps_whole_sentences(store: Database) -> None:
    long_why = (
        "Routed to Store S01: the closest store. " + "Store S9 was skipped: it has none of the items. " * 8
    )
    with store.transaction() as session:
        apply_changes(
            session, [assigned("W9-S01", "Ida Ng", "ship", 3, [("SKU-1", 1)], 40, why=long_why)], 40
        )
        detail = fulfilment_detail(session, "W9-S01")
    assert detail.why[0] == "Routed to Store S01: the closest store."
    assert all(s.endswith(".") and s.startswith(("Routed", "Store S9", "It leaves")) for s in detail.why)


def test_batch_walk_merges_a_sku_across_orders_in_bin_order(store: Database) -> None:
    with store.transaction() as session:
        walk = start_walk(session, ["W2-S01", "W1-S01"])
        assert {
            f.state
            for f in session.scalars(select(Fulfilment).where(Fulfilment.id.in_(["W1-S01", "W2-S01"])))
        } == {"picking"}
    assert [b[2] for b in walk.badges] == ["A", "B"] and walk.badges[0][
        0
    ] == "W1-S01"  # earliest promise is A
    assert [(t.shelf.code, t.sku, t.qty) for t in walk.tasks] == [
        ("A-01-2", "SKU-1", 3),
        ("B-02-5", "SKU-3", 1),
        ("C-04-1", "SKU-2", 1),
    ]
    assert [(p.badge, p.qty) for p in walk.tasks[0].portions] == [("A", 2), ("B", 1)]
    progress = WalkProgress(walk)
    assert progress.scan(barcode("SKU-2")).outcome == "error" and progress.units_done == 0
    for code in ["SKU-1"] * 3 + ["SKU-3", "SKU-2"]:
        assert progress.scan(barcode(code)).outcome == "ok"
    assert progress.finished and progress.complete_fulfilments() == ["W1-S01", "W2-S01"]
    with store.transaction() as session:
        result = finish_walk(
            session, {"W1-S01": {"SKU-1": 2, "SKU-2": 1}, "W2-S01": {"SKU-1": 1, "SKU-3": 1}}
        )
    assert result.picked == ("W1-S01", "W2-S01") and result.skipped == ()
    with store.transaction() as session:
        actions = [
            e.payload["action"] for e in session.scalars(select(OutboxEvent).order_by(OutboxEvent.position))
        ]
    assert actions == ["picking", "picking", "picked", "picked"]
    assert_consistent(store)


@pytest.mark.parametrize(
    ("reason", "sellable", "damaged", "effect"),
    [
        (ShortReason.NOT_FOUND, 2, 0, "Sets ATP of SKU-1 at this store to 0: writes off 4 units"),
        (ShortReason.DAMAGED, 5, 1, "Moves 1 unit of SKU-1 to damaged (sellable 6 → 5, damaged 0 → 1)"),
        (ShortReason.OTHER, 6, 0, "The stock of SKU-1 stays as it is"),
    ],
)
def test_short_pick_preview_is_what_confirming_does(
    store: Database, reason: ShortReason, sellable: int, damaged: int, effect: str
) -> None:
    short = [ShortLine("W1-S01", "SKU-1", 1)]
    with store.transaction() as session:
        preview = preview_short_pick(session, short, reason)
        assert [b.shelf.code for b in preview.other_bins] == ["BR-1"]  # the empty B-01-1 is not offered
        assert any(e.startswith(effect) for e in preview.effects), preview.effects
        result = confirm_short_pick(
            session, short, reason, note="torn label" if reason is ShortReason.OTHER else ""
        )
        assert result.effects == preview.effects and result.rejected_fulfilments == ()
    with store.transaction() as session:
        position = session.get(StockPosition, ("S01", "SKU-1"))
        assert (position.sellable, position.damaged, position.reserved) == (
            sellable,
            damaged,
            2,
        )  # W1: 1 left, W2: 1
        events = [e.payload for e in session.scalars(select(OutboxEvent).order_by(OutboxEvent.position))]
    assert events[0]["action"] == "reject_lines" and events[0]["lines"] == [{"sku": "SKU-1", "qty": 1}]
    assert_consistent(store)


def test_shorting_everything_rejects_the_fulfilment(store: Database) -> None:
    with store.transaction() as session:
        result = confirm_short_pick(session, [ShortLine("W3-S01", "SKU-4", 1)], "damaged")
        assert result.rejected_fulfilments == ("W3-S01",)
        assert queue_page(session, QueueQuery()).total == 2
        with pytest.raises(ValidationError):
            confirm_short_pick(session, [ShortLine("W1-S01", "SKU-1", 3)], "not found")  # only 2 left


def test_a_large_queue_pages_in_sql(tmp_path: Path) -> None:
    db = Database.open(str(tmp_path / "big.db"))
    with db.transaction() as session:
        seed_store_orders(session, 3000, products=200)
        first = queue_page(session, QueueQuery(limit=50))
        later = queue_page(session, QueueQuery(offset=2990, limit=50))
    assert first.total == 3000 and len(first.rows) == 50 and len(later.rows) == 10
    promises = [r.promise_by for r in first.rows]
    assert promises == sorted(promises)
    with db.transaction() as session:
        walk = build_walk(session, [first.rows[0].fulfilment_id])
    assert walk.tasks and walk.tasks[0].shelf.zone
    assert_consistent(db)
    db.close()
