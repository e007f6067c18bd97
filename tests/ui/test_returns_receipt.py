"""The return receipt on paper: saved as a PDF and printed from the screen, and what a reader finds in
it (Qt's PDF renderer and text extraction), written off the UI thread as the screen does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtPdf import QPdfDocument

from core.domain.return_desk import ReceiptLine, ReturnReceipt
from core.domain.returns import Condition, ReturnReason
from tests.ui.returns_kit import ReturnsKit, open_order, returns_kit, shop, take_back, wait_quote
from tests.ui.test_pack_documents import ink, off_thread
from ui.return_receipt import pages_for, write_receipt_pdf

__all__ = ["returns_kit", "shop"]  # fixtures
D = Decimal


def read_text(path: Path) -> tuple[int, QSize, str, int]:
    """Pages, first page size, the text of every page, and the ink on the first."""
    doc = QPdfDocument()
    doc.load(str(path))
    try:
        size = doc.pagePointSize(0).toSize()
        text = "\n".join(doc.getAllText(page).text() for page in range(doc.pageCount()))
        return doc.pageCount(), size, text, ink(doc.render(0, size))
    finally:
        doc.close()


def _recorded(qtbot, kit: ReturnsKit) -> None:  # type: ignore[no-untyped-def]
    open_order(qtbot, kit, "W1")
    take_back(qtbot, kit.screen.sheet.rows[0], 1, ReturnReason.CHANGED_MIND, Condition.OPENED)
    take_back(qtbot, kit.screen.sheet.rows[2], 1, ReturnReason.DEFECTIVE, Condition.UNVERIFIED)
    wait_quote(qtbot, kit)
    qtbot.mouseClick(kit.screen.sheet.quote.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kit.screen.page is kit.screen.done)


def test_save_pdf_writes_the_receipt_a_reader_can_read(qtbot, ui_watchdog, returns_kit: ReturnsKit) -> None:
    _recorded(qtbot, returns_kit)
    screen = returns_kit.screen
    receipt = screen.receipt
    assert receipt is not None
    qtbot.mouseClick(screen.done.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.paper.saved is not None)
    assert screen.paper.saved == returns_kit.documents / f"return-{receipt.return_id}.pdf"
    assert screen.banner.outcome == "ok" and screen.paper.saved.name in screen.banner.text.text()
    with ui_watchdog.paused():
        pages, size, text, dark = read_text(screen.paper.saved)
    assert (pages, size) == (1, QSize(612, 792)) and dark > 1000
    for words in (
        "Return receipt",
        "Store S01",
        receipt.return_id,
        "W1",
        "Amy Rivera (1001) on tablet-1",
        "Product SKU-1",
        "Changed mind",
        "Opened, as new, back on sale here",
        "Needs inspection, to quarantine for inspection",
        "Restocking fee",
        "$29.99",  # 19.99 less a 2.00 fee, plus 12.00 (a defect: no fee)
        "To the original payment",
    ):
        assert words in text, words


def test_print_opens_the_system_dialog_and_prints_the_receipt(
    qtbot, ui_watchdog, returns_kit: ReturnsKit, tmp_path: Path
) -> None:
    _recorded(qtbot, returns_kit)
    screen = returns_kit.screen
    qtbot.mouseClick(screen.done.print_button, Qt.MouseButton.LeftButton)
    dialog = screen.paper.print_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)  # open(), not exec(): the screen stays live behind it
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    out = tmp_path / "printed.pdf"
    dialog.printer.setOutputFileName(str(out))
    dialog.done(1)  # what pressing Print does
    qtbot.waitUntil(lambda: screen.paper.print_dialog is None)
    assert screen.banner.outcome == "ok" and "printed.pdf" in screen.banner.text.text()
    with ui_watchdog.paused():
        pages, _size, text, _dark = read_text(out)
    assert pages == 1 and screen.receipt is not None and screen.receipt.return_id in text


def test_a_long_receipt_runs_onto_more_pages_with_the_totals_on_the_last(
    qtbot, ui_watchdog, tmp_path: Path
) -> None:
    line = ReceiptLine(
        "SKU-1", "Crew tee", 1, "wrong_size", "new", "sellable", D("9.99"), D(0), D(0), D("9.99"), None
    )
    receipt = ReturnReceipt(
        "RET-0123456789AB", "return", "S01", "The Loop", None, datetime(2026, 11, 26, 15, tzinfo=UTC),
        "1001", "tablet-1", tuple(replace(line, name=f"Crew tee {i}") for i in range(20)),
        D("199.80"), D(0), D(0), D(0), D("199.80"), "store_credit", "store credit", "9001", False,
    )  # fmt: skip
    assert [len(p) for p in pages_for(20)] == [14, 6] and [len(p) for p in pages_for(7)] == [7]
    assert [len(p) for p in pages_for(8)] == [8, 0]  # eight rows leave no room for the totals
    path = off_thread(qtbot, write_receipt_pdf, tmp_path / "long.pdf", receipt)
    with ui_watchdog.paused():
        pages, _size, text, _dark = read_text(path)
    assert pages == 2 and "Crew tee 19" in text and "Store credit" in text and "none (no receipt)" in text
    assert "manager 9001" in text and text.index("Total refund") > text.index("Crew tee 19")
