"""Pack on the real window: list, verification by scanning (right, wrong, extra), the box, PDFs,
printing through a non-modal dialog, shipped and ready for pickup — with the watchdog on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication

from core.storage.database import Database
from tests.ui.conftest import Watchdog
from tests.ui.kit import Kit, build_kit, close_kit, sign_in
from tests.ui.pack_kit import add_picked, barcode, outbox_actions, seed_store, shipment_moves
from ui.screens.pack import PackScreen


@pytest.fixture
def pack_kit(qtbot, qapp: QApplication, store_db: Database, tmp_path: Path, monkeypatch) -> Iterator[Kit]:
    monkeypatch.setenv("OMS_DOCUMENTS_DIR", str(tmp_path / "documents"))
    seed_store(store_db)
    add_picked(store_db, "W1-S01", [("SKU-1", 2), ("SKU-2", 1)])
    add_picked(store_db, "W2-S01", [("SKU-3", 1)], pickup=True, seq=2, name="Ben Ode")
    built = build_kit(qtbot, qapp, store_db, demo=True)
    qtbot.waitUntil(lambda: built.shell.page == "sign_in" and len(built.shell.sign_in.cards) == 3)
    qtbot.waitUntil(lambda: built.shell.main.prepared)  # the screens built after sign-in shows
    sign_in(qtbot, built, "1001", "1234")
    yield built
    pack(built).close_jobs()
    close_kit(built)


def pack(kit: Kit) -> PackScreen:
    screen = kit.shell.main.screen("pack")
    assert isinstance(screen, PackScreen)
    return screen


def open_pack(qtbot, kit: Kit, fid: str) -> PackScreen:
    kit.shell.main.rail.buttons["pack"].click()
    screen = pack(kit)
    qtbot.waitUntil(lambda: fid in screen.list.tiles)
    qtbot.mouseClick(screen.list.tiles[fid], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.sheet is not None and screen.sheet.fulfilment_id == fid)
    return screen


def scan(qtbot, kit: Kit, code: str) -> None:
    kit.shell.on_scan(code, "enter")


def test_the_list_shows_picked_orders_and_a_scanned_order_number_opens_one(qtbot, pack_kit: Kit) -> None:
    pack_kit.shell.main.rail.buttons["pack"].click()
    screen = pack(pack_kit)
    qtbot.waitUntil(lambda: len(screen.list.tiles) == 2)
    assert "W1 · Ava Kim" in screen.list.tiles["W1-S01"].text()
    assert "Pickup" in screen.list.tiles["W2-S01"].text()
    scan(qtbot, pack_kit, "4006381333931")  # a product on the list page: choose an order first
    assert screen.banner.outcome == "warn"
    scan(qtbot, pack_kit, "w2")
    qtbot.waitUntil(lambda: screen.sheet is not None and screen.sheet.fulfilment_id == "W2-S01")


def test_verification_by_scanning_right_wrong_and_extra(qtbot, pack_kit: Kit) -> None:
    screen = open_pack(qtbot, pack_kit, "W1-S01")
    bench = screen.bench
    assert "Medium box (40 × 30 × 20 cm)" in bench.box_text.text()
    assert not bench.finish_button.isEnabled() and not bench.save_button.isEnabled()
    before = outbox_actions(pack_kit.db)

    screen.entry.field.setFocus()  # a real wedge scan, typed fast into whatever has focus
    qtbot.keyClicks(screen.entry.field, barcode(1), delay=1)
    qtbot.keyClick(screen.entry.field, Qt.Key.Key_Return, delay=1)
    qtbot.waitUntil(lambda: bench.verification is not None and bench.verification.count("SKU-1") == 1)
    assert screen.banner.outcome == "ok" and "1 of 2" in bench.rows["SKU-1"][1].text()
    assert screen.entry.field.text() == ""  # the scan was swallowed, not typed

    scan(qtbot, pack_kit, "4006381333931")
    assert screen.banner.outcome == "error" and screen.banner.text.text().startswith("Wrong item")
    scan(qtbot, pack_kit, barcode(1))
    scan(qtbot, pack_kit, barcode(1))
    assert screen.banner.outcome == "error" and screen.banner.text.text().startswith("Extra unit")
    assert bench.verification.count("SKU-1") == 2
    assert outbox_actions(pack_kit.db) == before  # wrong and extra scans recorded nothing

    scan(qtbot, pack_kit, barcode(2))
    qtbot.waitUntil(lambda: bench.finish_button.isEnabled())
    assert screen.banner.text.text().startswith("All 3 items checked")
    assert outbox_actions(pack_kit.db) == [*before, "packed"]
    assert bench.rows["SKU-2"][0].text() == "✔"


def _check_all(qtbot, kit: Kit, screen: PackScreen) -> None:
    assert screen.sheet is not None
    for line in screen.sheet.lines:
        for _ in range(line.qty):
            scan(qtbot, kit, line.barcodes[0])
    qtbot.waitUntil(lambda: screen.bench.finish_button.isEnabled())


def _read_pdf(path: Path) -> tuple[bytes, int, QSize]:
    doc = QPdfDocument()
    doc.load(str(path))
    try:
        return path.read_bytes()[:8], doc.pageCount(), doc.pagePointSize(0).toSize()
    finally:
        doc.close()


def pdf_facts(watchdog: Watchdog, path: Path) -> tuple[bytes, int, QSize]:
    """Start bytes, page count and first page size: the test's own reading, not the screen's work."""
    with watchdog.paused():
        return _read_pdf(path)


def test_save_pdfs_writes_a_readable_label_and_slip(
    qtbot, ui_watchdog, pack_kit: Kit, tmp_path: Path
) -> None:
    screen = open_pack(qtbot, pack_kit, "W1-S01")
    _check_all(qtbot, pack_kit, screen)
    qtbot.waitUntil(
        lambda: screen.bench.preview.pixmap() is not None and not screen.bench.preview.pixmap().isNull()
    )
    qtbot.mouseClick(screen.bench.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(screen.saved) == 2)
    label, slip = screen.saved
    assert label == tmp_path / "documents" / "label-W1-S01.pdf"
    assert label.stat().st_size > 1000 and slip.stat().st_size > 1000
    assert pdf_facts(ui_watchdog, label) == (b"%PDF-1.4", 1, QSize(288, 432))  # 4 × 6 inches
    assert pdf_facts(ui_watchdog, slip) == (b"%PDF-1.4", 1, QSize(612, 792))  # US Letter


def test_print_opens_the_system_dialog_without_blocking(
    qtbot, ui_watchdog, pack_kit: Kit, tmp_path: Path
) -> None:
    screen = open_pack(qtbot, pack_kit, "W1-S01")
    _check_all(qtbot, pack_kit, screen)
    qtbot.mouseClick(screen.bench.print_label_button, Qt.MouseButton.LeftButton)
    dialog = screen.print_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)  # shown with open(): the window stays live behind it
    assert dialog.windowModality() == Qt.WindowModality.WindowModal and screen.isEnabled()
    out = tmp_path / "printed.pdf"
    dialog.printer.setOutputFileName(str(out))
    dialog.done(1)  # what pressing Print does, without the platform's printer list
    qtbot.waitUntil(lambda: screen.print_dialog is None)
    assert screen.banner.outcome == "ok" and "printed.pdf" in screen.banner.text.text()
    start, pages, size = pdf_facts(ui_watchdog, out)
    assert start.startswith(b"%PDF") and pages == 1 and size == QSize(288, 432)


def test_mark_shipped_writes_movements_and_events(qtbot, pack_kit: Kit) -> None:
    screen = open_pack(qtbot, pack_kit, "W1-S01")
    _check_all(qtbot, pack_kit, screen)
    qtbot.mouseClick(screen.bench.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.list and "W1-S01" not in screen.list.tiles)
    assert screen.banner.text.text().startswith("Shipped W1-S01, tracking PA")
    assert shipment_moves(pack_kit.db) == [("SKU-1", -2), ("SKU-2", -1)]
    assert outbox_actions(pack_kit.db)[-2:] == ["packed", "shipped"]


def test_a_pickup_order_ends_ready_for_pickup(qtbot, pack_kit: Kit) -> None:
    screen = open_pack(qtbot, pack_kit, "W2-S01")
    assert screen.bench.finish_button.text() == "Ready for pickup"
    _check_all(qtbot, pack_kit, screen)
    qtbot.mouseClick(screen.bench.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.list and "W2-S01" not in screen.list.tiles)
    assert "on the pickup shelf" in screen.banner.text.text()
    assert outbox_actions(pack_kit.db)[-2:] == ["packed", "ready_for_pickup"]
    assert shipment_moves(pack_kit.db) == []
