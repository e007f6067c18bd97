"""The shipping label and the packing slip, painted once and sent to a PDF, a printer or the screen.

One painting function per document, drawing on a fixed logical page (points: 72 to the inch),
so the PDF, the print-out and the preview are the same picture: the painter's window/viewport
maps the logical page onto whatever device it is given, keeping the aspect ratio.

* **Label**: 4 × 6 inches, the size every thermal label printer takes. A ship order gets the
  carrier service the rate broker chose, the ship-to, and the tracking number as Code 128; a pickup
  order gets a tag per bag with the customer's name and the bag's code as Code 128
  (`BAG:<fulfilment>:<n>/<bags>`, what the pickup counter scans at the handover).
* **Packing slip**: US Letter, the lines with a tick box each, the box used, and where to return.

PDFs are written with `QPdfWriter`; `write_pdf` is safe on a worker thread (Qt paints on
PDF writers and images off the GUI thread), which is where the Pack screen calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageSize, QPainter, QPdfWriter, QPen

from core.domain.packing import PackSheet
from ui.barcode_paint import paint_code128

LABEL = QSizeF(288, 432)  # 4 × 6 in, in points
SLIP = QSizeF(612, 792)  # US Letter
AlignLeft = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
AlignRight = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
Wrap = Qt.TextFlag.TextWordWrap


def page_size(kind: str) -> QPageSize:
    size = LABEL if kind == "label" else SLIP
    return QPageSize(size, QPageSize.Unit.Point, "4x6 label" if kind == "label" else "Letter")


def doc_font(px: float, *, bold: bool = False, mono: bool = False) -> QFont:
    font = QFont("DejaVu Sans Mono" if mono else "DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.Monospace if mono else QFont.StyleHint.SansSerif)
    font.setPixelSize(max(1, round(px)))
    font.setBold(bold)
    return font


def fit_page(painter: QPainter, device: QRect, size: QSizeF) -> None:
    """Map the logical page `size` onto `device`, centred, aspect kept."""
    scale = min(device.width() / size.width(), device.height() / size.height())
    w, h = size.width() * scale, size.height() * scale
    x, y = device.x() + (device.width() - w) / 2, device.y() + (device.height() - h) / 2
    painter.setViewport(QRect(round(x), round(y), round(w), round(h)))
    painter.setWindow(QRect(0, 0, round(size.width()), round(size.height())))


def draw_text(painter: QPainter, rect: QRectF, text: str, font: QFont, flags: object = AlignLeft) -> None:
    painter.setFont(font)
    painter.drawText(rect, flags, text)  # type: ignore[call-overload]


def rule(painter: QPainter, y: float, x0: float, x1: float, width: float = 2.0) -> None:
    painter.setPen(QPen(QColor("black"), width))
    painter.drawLine(round(x0), round(y), round(x1), round(y))


def _date(value: object) -> str:
    if value is None:
        return "–"
    astimezone = getattr(value, "astimezone", None)
    moment = astimezone() if astimezone is not None and hasattr(value, "hour") else value
    return moment.strftime("%a %d %b %Y")  # type: ignore[attr-defined]


def spaced(number: str) -> str:
    """A tracking number in groups of four after its prefix, easy to read out on the phone."""
    head, body = number[:2], number[2:]
    return " ".join([head, *(body[i : i + 4] for i in range(0, len(body), 4))])


def paint_label(
    painter: QPainter, device: QRect, sheet: PackSheet, *, parcel_index: int = 0, preview: bool = False
) -> None:
    """One box's label: box `parcel_index` of a split order carries its own weight and number."""
    fit_page(painter, device, LABEL)
    w, m = LABEL.width(), 10.0
    painter.fillRect(QRectF(0, 0, w, LABEL.height()), QColor("white"))
    painter.setPen(QColor("black"))
    # From, and what the parcel weighs
    draw_text(painter, QRectF(m, 6, 170, 12), "FROM", doc_font(8, bold=True))
    draw_text(painter, QRectF(m, 18, 180, 14), sheet.ship_from.name, doc_font(10, bold=True))
    for i, line in enumerate(sheet.ship_from.lines[:3]):
        draw_text(painter, QRectF(m, 32 + 12 * i, 180, 12), line, doc_font(9))
    parcels = sheet.box.parcels
    parcel = parcels[parcel_index] if parcel_index < len(parcels) and not sheet.is_pickup else None
    # Top right: a bag's place among the bags the associate chose, or what the carrier weighs
    corner = f"Bag {parcel_index + 1} of {sheet.bag_count}" if sheet.is_pickup else None
    if parcel is not None:
        corner = f"{parcel.weight_kg:.2f} kg"
        which = f"Box {parcel_index + 1} of {len(parcels)} · " if len(parcels) > 1 else ""
        draw_text(painter, QRectF(120, 34, w - 120 - m, 26), which + parcel.box.name, doc_font(9), AlignRight)
    if corner is not None:
        draw_text(painter, QRectF(180, 10, w - 180 - m, 22), corner, doc_font(16, bold=True), AlignRight)
    rule(painter, 72, 0, w)
    # Service band: what the sorting belt reads first
    band = QRectF(0, 74, w, 46)
    painter.fillRect(band, QColor("black"))
    painter.setPen(QColor("white"))
    title = "PICKUP · HOLD FOR CUSTOMER" if sheet.is_pickup else sheet.service_text.upper()
    draw_text(
        painter, QRectF(m, 76, w - 2 * m, 24), title, doc_font(17 if not sheet.is_pickup else 15, bold=True)
    )
    if sheet.is_pickup:
        when = f"Collect by {_date(sheet.promise_by)}"
    else:
        when = f"Delivery {_date(sheet.eta)}" if sheet.eta else f"Deliver by {_date(sheet.promise_by)}"
    draw_text(painter, QRectF(m, 100, w - 2 * m, 16), when, doc_font(10, bold=True))
    painter.setPen(QColor("black"))
    # Ship to
    draw_text(
        painter, QRectF(m, 124, 200, 12), "CUSTOMER" if sheet.is_pickup else "SHIP TO", doc_font(8, bold=True)
    )
    draw_text(painter, QRectF(m + 8, 138, w - 2 * m - 8, 30), sheet.ship_to.name, doc_font(22, bold=True))
    for i, line in enumerate(sheet.ship_to.lines[:3]):
        draw_text(
            painter, QRectF(m + 8, 172 + 22 * i, w - 2 * m - 8, 22), line, doc_font(17 if i == 0 else 13)
        )
    rule(painter, 244, 0, w)
    items = f"{sheet.units} item{'s' if sheet.units != 1 else ''}"
    draw_text(
        painter, QRectF(m, 248, w - 2 * m, 16), f"Order {sheet.order_id} · {items}", doc_font(11, bold=True)
    )
    draw_text(painter, QRectF(m, 264, w - 2 * m, 14), f"Fulfilment {sheet.fulfilment_id}", doc_font(9))
    rule(painter, 284, 0, w, 1.0)
    # The barcode
    code = sheet.bag_tag(parcel_index) if sheet.is_pickup else sheet.parcel_tracking(parcel_index)
    draw_text(
        painter,
        QRectF(m, 288, w - 2 * m, 12),
        "BAG · SCAN AT HANDOVER" if sheet.is_pickup else "TRACKING #",
        doc_font(8, bold=True),
    )
    paint_code128(painter, QRectF(m, 304, w - 2 * m, 84), code, snap=not preview)
    painter.setPen(QColor("black"))
    human = code if sheet.is_pickup else spaced(code)
    draw_text(
        painter, QRectF(m, 392, w - 2 * m, 20), human, doc_font(14, mono=True), Qt.AlignmentFlag.AlignCenter
    )
    draw_text(painter, QRectF(m, 414, w - 2 * m, 12), "Store OMS", doc_font(7), AlignRight)


def paint_labels(painter: QPainter, device: QRect, sheet: PackSheet, new_page: Callable[[], object]) -> None:
    """Every box's label or every bag's tag, one page each."""
    for index in range(sheet.label_count):
        if index:
            new_page()
        paint_label(painter, device, sheet, parcel_index=index)


def _facts(sheet: PackSheet) -> list[tuple[str, str]]:
    facts = [
        ("Order", sheet.order_id),
        ("Placed", _date(sheet.placed_at)),
        ("Fulfilment", sheet.fulfilment_id),
    ]
    if sheet.is_pickup:
        return [*facts, ("Collect by", _date(sheet.promise_by)), ("Pickup at", sheet.ship_from.name)]
    return [
        *facts,
        ("Ship via", sheet.service_text),
        ("Delivery", _date(sheet.eta) if sheet.eta else f"by {_date(sheet.promise_by)}"),
        *(
            ("Tracking" if i == 0 else "", spaced(sheet.parcel_tracking(i)))
            for i in range(sheet.parcel_count)
        ),
    ]


def _table_top(facts: list[tuple[str, str]]) -> float:
    return 102 + 18 * len(facts) + 20


def _rows_per_page(facts: list[tuple[str, str]]) -> int:
    """As many 24-point rows as fit between the table head and the footer."""
    return max(1, int((SLIP.height() - 104 - (_table_top(facts) + 28)) // 24))


def paint_slip(painter: QPainter, device: QRect, sheet: PackSheet, new_page: Callable[[], object]) -> None:
    per_page = _rows_per_page(_facts(sheet))
    pages = max(1, -(-len(sheet.lines) // per_page))
    for page in range(pages):
        if page:
            new_page()
        fit_page(painter, device, SLIP)
        _slip_page(painter, sheet, page, pages)


def _slip_page(painter: QPainter, sheet: PackSheet, page: int, pages: int) -> None:
    w, m = SLIP.width(), 40.0
    painter.fillRect(QRectF(0, 0, w, SLIP.height()), QColor("white"))
    painter.setPen(QColor("black"))
    title = "Pickup order" if sheet.is_pickup else "Packing slip"
    draw_text(painter, QRectF(m, 36, 300, 32), title, doc_font(24, bold=True))
    draw_text(
        painter, QRectF(330, 36, w - 330 - m, 16), sheet.ship_from.name, doc_font(11, bold=True), AlignRight
    )
    for i, line in enumerate(sheet.ship_from.lines[:2]):
        draw_text(painter, QRectF(330, 52 + 14 * i, w - 330 - m, 14), line, doc_font(10), AlignRight)
    rule(painter, 90, m, w - m)
    facts = _facts(sheet)
    for i, (key, value) in enumerate(facts):
        draw_text(painter, QRectF(m, 102 + 18 * i, 80, 16), key, doc_font(10, bold=True))
        draw_text(painter, QRectF(m + 84, 102 + 18 * i, 250, 16), value, doc_font(10))
    draw_text(
        painter,
        QRectF(360, 102, 200, 14),
        "CUSTOMER" if sheet.is_pickup else "SHIP TO",
        doc_font(9, bold=True),
    )
    draw_text(painter, QRectF(360, 118, w - 360 - m, 20), sheet.ship_to.name, doc_font(15, bold=True))
    for i, line in enumerate(sheet.ship_to.lines[:3]):
        draw_text(painter, QRectF(360, 140 + 16 * i, w - 360 - m, 16), line, doc_font(11))
    top = _table_top(facts)
    per_page = _rows_per_page(facts)
    columns = ((m, 40, "Qty"), (m + 46, 290, "Item"), (m + 340, 120, "SKU"), (w - m - 60, 60, "Packed"))
    for x, cw, head in columns:
        draw_text(painter, QRectF(x, top, cw, 18), head, doc_font(10, bold=True))
    rule(painter, top + 22, m, w - m, 1.5)
    rows = sheet.lines[page * per_page : (page + 1) * per_page]
    for i, line in enumerate(rows):
        y = top + 28 + 24 * i
        draw_text(painter, QRectF(m, y, 40, 20), str(line.qty), doc_font(12, bold=True))
        draw_text(painter, QRectF(m + 46, y, 290, 20), line.name, doc_font(11))
        draw_text(painter, QRectF(m + 340, y, 120, 20), line.sku, doc_font(10, mono=True))
        painter.setPen(QPen(QColor("black"), 1.2))
        painter.drawRect(QRectF(w - m - 50, y + 3, 14, 14))
        rule(painter, y + 23, m, w - m, 0.4)
    bottom = SLIP.height() - 96
    box = sheet.box.text if sheet.box.parcels else "Box: choose by hand."
    draw_text(painter, QRectF(m, bottom, w - 2 * m, 34), f"Box: {box}", doc_font(10), AlignLeft | Wrap)
    note = (
        "Questions or a return? Bring this slip to any of our stores within the return period."
        if not sheet.is_pickup
        else "Keep on the pickup shelf until the customer shows their order number or this name."
    )
    draw_text(painter, QRectF(m, bottom + 40, w - 2 * m, 16), note, doc_font(10))
    draw_text(
        painter, QRectF(m, bottom + 60, w - 2 * m, 14), f"Page {page + 1} of {pages}", doc_font(9), AlignRight
    )


def write_pdf(path: Path, kind: str, sheet: PackSheet) -> Path:
    """Write the label or the slip of `sheet` to `path` (folders made as needed); returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageSize(page_size(kind))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setTitle(f"{'Label' if kind == 'label' else 'Packing slip'} {sheet.fulfilment_id}")
    writer.setCreator("Store OMS")
    painter = QPainter(writer)
    try:
        device = QRect(0, 0, writer.width(), writer.height())
        if kind == "label":
            paint_labels(painter, device, sheet, writer.newPage)
        else:
            paint_slip(painter, device, sheet, writer.newPage)
    finally:
        painter.end()
    return path


def label_image(sheet: PackSheet, width: int) -> QImage:
    """The label as a picture `width` pixels wide, for the preview on the bench."""
    height = round(width * LABEL.height() / LABEL.width())
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        paint_label(painter, image.rect(), sheet, preview=True)
    finally:
        painter.end()
    return image
