"""The Returns screen with real widgets and services on a store database: finding the order by scan
or search, eligibility per line, the live quote, what the policy refuses (said on screen, nothing
recorded), returns without a receipt and the manager's PIN — all under the UI watchdog."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from core.domain.inventory import Bucket
from core.domain.returns import Condition, ReturnReason, ReturnRequest
from core.services.returns import record_return
from tests.core.pickup_kit import level
from tests.factories import NOW
from tests.ui.kit import sign_in
from tests.ui.pack_kit import barcode
from tests.ui.returns_kit import (
    ReturnsKit,
    open_order,
    recorded,
    returns_kit,
    scan,
    shop,
    take_back,
    wait_quote,
)
from ui.screens.returns import ReturnsScreen

__all__ = ["returns_kit", "shop"]  # fixtures


def test_a_scanned_receipt_opens_the_order_and_each_line_says_what_may_come_back(
    qtbot, returns_kit: ReturnsKit
) -> None:
    screen = returns_kit.screen
    open_order(qtbot, returns_kit, "W1")
    assert screen.banner.outcome == "ok" and "Order W1 · Ava Kim" in screen.sheet.title.text()
    assert len(screen.sheet.rows) == 3
    first = screen.sheet.rows[0]
    assert first.limit.text() == "2 of 2 returnable" and first.controls.isVisibleTo(first)
    assert not screen.sheet.quote.confirm_button.isEnabled()
    qtbot.mouseClick(first.plus, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Choose a reason and a condition for Product SKU-1" in screen.sheet.quote.message.text()
    )

    open_order(qtbot, returns_kit, "W2")  # a final-sale order: nothing can come back, and each line says why
    [final] = screen.sheet.rows
    assert "final sale" in final.limit.text() and not final.controls.isVisibleTo(final)
    qtbot.waitUntil(lambda: "Nothing on this order can come back" in screen.sheet.quote.message.text())

    scan(returns_kit, "NO-SUCH-RECEIPT")
    qtbot.waitUntil(lambda: screen.banner.outcome == "error")
    assert "no order with this receipt" in screen.banner.text.text() and screen.page is screen.find


def test_typing_a_name_searches_after_a_pause_and_a_tile_opens_the_order(
    qtbot, returns_kit: ReturnsKit
) -> None:
    screen = returns_kit.screen
    qtbot.keyClicks(screen.find.field, "ava k")
    qtbot.waitUntil(lambda: set(screen.find.tiles) == {"W1", "W2"})
    assert "2 orders for “ava k”" in screen.find.summary.text()
    qtbot.mouseClick(screen.find.tiles["W1"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(screen.sheet.rows) == 3)
    screen.find.field.setText("zz")
    qtbot.mouseClick(screen.sheet.back_button, Qt.MouseButton.LeftButton)
    assert screen.page is screen.find and screen.find.field.text() == ""


def test_the_quote_follows_the_choices_and_the_return_is_recorded(qtbot, returns_kit: ReturnsKit) -> None:
    screen = returns_kit.screen
    open_order(qtbot, returns_kit, "W1")
    first = screen.sheet.rows[0]
    take_back(qtbot, first, 1, ReturnReason.CHANGED_MIND, Condition.NEW)
    wait_quote(qtbot, returns_kit)
    quote = screen.sheet.quote
    assert quote.quote is not None and quote.quote.total == Decimal("17.99")  # 19.99 less a 10% fee
    assert quote.confirm_button.text() == "Refund $17.99"
    take_back(qtbot, first, 1, ReturnReason.DEFECTIVE, Condition.NEW)  # the retailer's fault: no fee
    qtbot.waitUntil(lambda: quote.quote is not None and quote.quote.total == Decimal("39.98"))
    before = level(returns_kit.db, "SKU-1")
    qtbot.mouseClick(quote.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.page is screen.done)
    assert screen.done.title.text() == f"Return {screen.receipt.return_id} recorded"
    assert "$39.98 · To the original payment" in screen.done.refund.text()
    assert "2 × Product SKU-1: New, unopened, back on sale here" in screen.done.units.text()
    assert level(returns_kit.db, "SKU-1") == before + 2 and recorded(returns_kit.db) == (1, 1)
    qtbot.waitUntil(lambda: not screen.done.preview.pixmap().isNull())  # the receipt, painted off-thread


def test_a_return_past_the_window_is_refused_on_screen_and_nothing_is_recorded(
    qtbot, returns_kit: ReturnsKit
) -> None:
    screen = returns_kit.screen
    returns_kit.clock.now = NOW + timedelta(days=29, hours=23)  # the last hour of the 30-day window
    open_order(qtbot, returns_kit, "W1")
    take_back(qtbot, screen.sheet.rows[1], 1, ReturnReason.WRONG_SIZE, Condition.OPENED)
    wait_quote(qtbot, returns_kit)
    returns_kit.clock.now = NOW + timedelta(days=30, hours=1)  # the customer took too long at the counter
    qtbot.mouseClick(screen.sheet.quote.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.banner.outcome == "error")
    message = screen.sheet.quote.message.text()
    assert "30-day return window for Product SKU-2 ended on 2026-12-26" in message
    assert (
        screen.sheet.quote.message.property("kind") == "error" and returns_kit.sounds.last_played == "error"
    )
    assert not screen.sheet.quote.confirm_button.isEnabled() and screen.page is screen.sheet
    assert recorded(returns_kit.db) == (0, 0)

    open_order(qtbot, returns_kit, "W1")  # opened again later: every line says the window is closed
    assert all(
        "return window" in row.limit.text() and not row.controls.isVisibleTo(row) for row in screen.sheet.rows
    )


def test_more_units_than_are_returnable_are_refused_on_screen_and_nothing_is_recorded(
    qtbot, returns_kit: ReturnsKit
) -> None:
    screen = returns_kit.screen
    open_order(qtbot, returns_kit, "W1")
    first = screen.sheet.rows[0]
    take_back(qtbot, first, 3, ReturnReason.WRONG_SIZE, Condition.NEW)  # the third tap finds + disabled
    assert first.qty == 2 and not first.plus.isEnabled()
    wait_quote(qtbot, returns_kit)
    with returns_kit.db.transaction() as session:  # meanwhile another tablet takes one of them back
        record_return(session, "W1", [ReturnRequest(1, 1, "wrong_size", "new")], now=returns_kit.clock.now)
    before = recorded(returns_kit.db)
    qtbot.mouseClick(screen.sheet.quote.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.banner.outcome == "error")
    assert (
        "only 1 unit(s) of Product SKU-1 can still be returned; 2 asked" in screen.sheet.quote.message.text()
    )
    assert recorded(returns_kit.db) == before == (1, 1)
    qtbot.mouseClick(first.minus, Qt.MouseButton.LeftButton)  # one fewer: quoted again, and allowed
    wait_quote(qtbot, returns_kit)
    assert screen.sheet.quote.message.text() == ""


def test_a_return_without_a_receipt_needs_a_managers_pin(qtbot, returns_kit: ReturnsKit) -> None:
    screen = returns_kit.screen
    qtbot.mouseClick(screen.find.no_receipt_button, Qt.MouseButton.LeftButton)
    assert screen.page is screen.receiptless
    scan(returns_kit, barcode(2))
    qtbot.waitUntil(lambda: len(screen.receiptless.rows) == 1)
    scan(returns_kit, barcode(2))
    [row] = screen.receiptless.rows
    qtbot.waitUntil(lambda: row.qty == 2)
    assert row.limit.text() == "2 scanned"
    scan(returns_kit, "0000000000000")
    qtbot.waitUntil(lambda: screen.banner.outcome == "error")
    row.choose(ReturnReason.CHANGED_MIND, Condition.OPENED)
    wait_quote(qtbot, returns_kit, screen.receiptless)
    quote = screen.receiptless.quote
    # today's price (19.99) for both units, less a 10% restocking fee for a change of mind
    assert (
        quote.confirm_button.text() == "Approve $35.98 credit"
        and quote.tender.text() == "Store credit. Issued at the till."
    )
    empty = recorded(returns_kit.db)

    qtbot.mouseClick(quote.confirm_button, Qt.MouseButton.LeftButton)  # nobody approved it
    assert "needs a manager" in quote.message.text() and screen.banner.outcome == "error"
    approval = screen.approval
    for manager, pin, words in (("1001", "1234", "not a manager"), ("9001", "1111", "Wrong PIN")):
        assert quote.confirm_button.isEnabled()  # the quote stands: the manager types again
        approval.manager.setText(manager)
        qtbot.keyClicks(approval.pin, pin)
        qtbot.mouseClick(quote.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not screen.busy)
        assert words in quote.message.text() and approval.pin.text() == ""
        assert recorded(returns_kit.db) == empty

    approval.manager.setText("9001")
    qtbot.keyClicks(approval.pin, "9876")
    before = level(returns_kit.db, "SKU-2")
    qtbot.mouseClick(quote.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.page is screen.done)
    receipt = screen.receipt
    assert receipt is not None and (receipt.refund_method, receipt.approved_by, receipt.order_id) == (
        "store_credit",
        "9001",
        None,
    )
    assert "$35.98 · Store credit" in screen.done.refund.text()
    assert (
        level(returns_kit.db, "SKU-2") == before + 2 and level(returns_kit.db, "SKU-2", Bucket.DAMAGED) == 0
    )


def test_the_rail_opens_returns_in_the_app_and_scans_reach_it(qtbot, kit) -> None:  # type: ignore[no-untyped-def]
    sign_in(qtbot, kit, "1002", "2468")
    kit.shell.main.rail.buttons["returns"].click()
    screen = kit.shell.main.screen("returns")
    assert isinstance(screen, ReturnsScreen) and kit.shell.main.current == "returns"
    # building it opened no window of its own: the app keeps the keyboard (a wedge scanner types there)
    assert QApplication.activeWindow() is kit.shell
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [kit.shell]
    assert screen.person is not None and screen.person.associate_id == "1002"
    kit.shell.on_scan("W404", "enter")  # the app's scan path: an unknown receipt, said as an error
    qtbot.waitUntil(lambda: screen.banner.outcome == "error")
    assert "W404: no order with this receipt or slip code" in screen.banner.text.text()


def test_an_item_that_needs_inspection_waits_in_quarantine_until_judged_damaged(
    qtbot, returns_kit: ReturnsKit
) -> None:
    screen = returns_kit.screen
    open_order(qtbot, returns_kit, "W1")
    take_back(qtbot, screen.sheet.rows[2], 1, ReturnReason.NOT_AS_DESCRIBED, Condition.UNVERIFIED)
    wait_quote(qtbot, returns_kit)
    said = [label.text().strip() for label in screen.sheet.quote.body.findChildren(QLabel)]
    assert "→ to quarantine for inspection" in said and "$12.00" in said  # the seller's fault: no fee
    sellable = level(returns_kit.db, "SKU-3")
    qtbot.mouseClick(screen.sheet.quote.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.page is screen.done)
    assert (
        level(returns_kit.db, "SKU-3", Bucket.QUARANTINE) == 1 and level(returns_kit.db, "SKU-3") == sellable
    )

    qtbot.mouseClick(screen.done.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.find.inspections_button.text() == "Inspections (1)")
    qtbot.mouseClick(screen.find.inspections_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(screen.inspection.rows) == 1)
    [row] = screen.inspection.rows.values()
    assert row.split.text() == "0 back on sale · 1 to damaged stock" and not row.minus.isEnabled()
    scan(returns_kit, "TASK:999")  # a label of no waiting inspection
    assert screen.banner.outcome == "error" and "no returned item waits" in screen.banner.text.text()
    scan(returns_kit, row.task.code)  # the label on the quarantined item
    assert (
        screen.banner.outcome == "ok"
        and "Product SKU-3: how many are fit to sell?" in screen.banner.text.text()
    )
    qtbot.mouseClick(row.record_button, Qt.MouseButton.LeftButton)  # not fit to sell
    qtbot.waitUntil(lambda: not screen.inspection.rows and returns_kit.ops.pending == 0)
    assert screen.banner.outcome == "ok" and "SKU-3: 0 sellable, 1 damaged" in screen.banner.text.text()
    assert level(returns_kit.db, "SKU-3", Bucket.QUARANTINE) == 0
    assert level(returns_kit.db, "SKU-3", Bucket.DAMAGED) == 1 and level(returns_kit.db, "SKU-3") == sellable
