"""The label and slip documents on their own: pages per box, slip pagination, and what a reader
sees (Qt's PDF renderer), written on a worker thread as the Pack screen does."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtPdf import QPdfDocument

from core.domain.boxes import Fit, Item, choose_box, load_boxes
from core.domain.handover import HandoverPlan, judge_scan
from core.domain.packing import Address, PackLine, PackSheet
from core.domain.tracking import is_valid_tracking_number, tracking_number
from ui.documents import label_image, write_pdf

D = Decimal


def sheet(lines: tuple[PackLine, ...], method: str = "ship") -> PackSheet:
    box = choose_box([Item(ln.sku, ln.dims_cm, ln.weight_kg, ln.qty) for ln in lines], load_boxes())
    return PackSheet(
        "W9-S01", "W9", "packed", method, datetime(2026, 11, 26, 15, tzinfo=UTC), datetime(2026, 11, 28, 15, tzinfo=UTC),
        Address("The Loop (S01)", ("100 Main Street", "60601 US")), Address("Maya Patel", ("60614 US",)),
        "SwiftPost", "ECONOMY", date(2026, 11, 30), tracking_number("W9-S01", "SwiftPost"), lines, box,
    )  # fmt: skip


HEAVY = (PackLine("GAR-1", "Bird Feeder", 2, ("0614141001917",), D("16.2"), (D(55), D(38), D(28))),)
TEES = tuple(PackLine(f"APP-{i}", f"Crew Tee {i}", 1, (), D("0.2"), (D(20), D(15), D(2))) for i in range(30))


def read(path: Path) -> tuple[int, QSize, QImage]:
    doc = QPdfDocument()
    doc.load(str(path))
    try:
        size = doc.pagePointSize(0).toSize()
        return doc.pageCount(), size, doc.render(0, size)
    finally:
        doc.close()


def off_thread(qtbot, call, *args):  # type: ignore[no-untyped-def]
    """Run the app's own work (writing a PDF) on a worker thread, as the app does."""
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(call, *args)
        qtbot.waitUntil(future.done, timeout=10_000)
        return future.result()


def ink(image: QImage) -> int:
    """Dark pixels on a coarse grid: a blank page has none."""
    white = QColor("white").rgb()
    return sum(
        image.pixel(x, y) != white for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
    )


def test_a_split_order_gets_a_label_per_box_each_with_its_own_number(
    qtbot, ui_watchdog, tmp_path: Path
) -> None:
    split = sheet(HEAVY)
    assert split.box.fit is Fit.SPLIT and split.parcel_count == 2
    numbers = [split.parcel_tracking(i) for i in range(2)]
    assert numbers[0] == split.tracking_number and numbers[0] != numbers[1]
    assert all(is_valid_tracking_number(n) for n in numbers)
    path = off_thread(qtbot, write_pdf, tmp_path / "label.pdf", "label", split)
    with ui_watchdog.paused():
        pages, size, first = read(path)
    assert path.read_bytes().startswith(b"%PDF") and (pages, size) == (2, QSize(288, 432))
    assert ink(first) > 500


def page_texts(path: Path) -> list[str]:
    doc = QPdfDocument()
    doc.load(str(path))
    try:
        return [doc.getAllText(page).text() for page in range(doc.pageCount())]
    finally:
        doc.close()


def test_a_pickup_order_gets_a_tag_per_bag_with_the_code_the_counter_scans(
    qtbot, ui_watchdog, tmp_path: Path
) -> None:
    heavy = sheet(HEAVY, "pickup")
    assert heavy.bag_count == heavy.parcel_count == 2  # one bag per suggested box unless chosen
    three = replace(heavy, bags=3)
    path = off_thread(qtbot, write_pdf, tmp_path / "tags.pdf", "label", three)
    with ui_watchdog.paused():
        texts = page_texts(path)
    codes = [f"BAG:W9-S01:{n}/3" for n in (1, 2, 3)]
    assert len(texts) == 3
    for n, (text, code) in enumerate(zip(texts, codes, strict=True), start=1):
        assert code in text and f"Bag {n} of 3" in text and "Maya Patel" in text
    plan = HandoverPlan("W9-S01", "W9", (), bags=3)
    assert [judge_scan(plan, code, {}, set()).bag for code in codes] == [1, 2, 3]


def test_a_long_slip_runs_onto_a_second_page(qtbot, ui_watchdog, tmp_path: Path) -> None:
    path = off_thread(qtbot, write_pdf, tmp_path / "slip.pdf", "slip", sheet(TEES))
    with ui_watchdog.paused():
        pages, size, first = read(path)
    assert (pages, size) == (2, QSize(612, 792)) and ink(first) > 500


def test_the_preview_is_the_label_as_a_picture() -> None:
    image = label_image(sheet(TEES[:2], "pickup"), 300)  # on the UI thread, as the Pack screen paints it
    assert (image.width(), image.height()) == (300, 450) and ink(image) > 300
