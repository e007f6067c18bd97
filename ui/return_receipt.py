"""The return receipt, painted once for the PDF, the printer and the preview on the Returns screen.

Drawn from `ReturnReceipt` (read back from the stored rows), so a reprint says what was recorded:
the store, the order (or "no receipt" and the approving manager), each line with its reason, the
condition it came back in and where it went, the amounts (discount share, restocking fee,
shipping), the tender the refund goes to, the associate, and the return id as Code 128 so the
return can be found again by scanning the paper. US Letter, like the packing slip, on the same
logical-page painting as `ui.documents`; safe on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QWidget

from core.domain.return_desk import ReturnReceipt
from ui.barcode_paint import paint_code128
from ui.documents import AlignLeft, AlignRight, doc_font, draw_text, fit_page, rule
from ui.printing import PrintDialog, print_with
from ui.return_words import condition_text, goes_to, money, reason_text, tender_text

PAGE = QSizeF(612, 792)  # US Letter, in points
MARGIN = 40.0
TABLE_TOP = 214.0
ROW = 34.0
ROWS_FIRST_PAGES = 14  # pages that continue carry rows only
ROWS_LAST_PAGE = 7  # the last page also carries the totals and the barcode


def page_size() -> QPageSize:
    return QPageSize(PAGE, QPageSize.Unit.Point, "Letter")


def pages_for(lines: int) -> list[range]:
    """Which lines go on which page: full pages of rows, then a last page with room for the totals."""
    out: list[range] = []
    start = 0
    while lines - start > ROWS_LAST_PAGE:
        out.append(range(start, min(lines, start + ROWS_FIRST_PAGES)))
        start = out[-1].stop
    out.append(range(start, lines))
    return out


def _when(receipt: ReturnReceipt) -> str:
    return receipt.created_at.astimezone().strftime("%a %d %b %Y %H:%M")


def _who(receipt: ReturnReceipt) -> str:
    return f"{receipt.associate_name} ({receipt.associate})" if receipt.associate_name else receipt.associate


def _facts(receipt: ReturnReceipt) -> list[tuple[str, str]]:
    order = receipt.order_id if receipt.receipt and receipt.order_id else "none (no receipt)"
    facts = [
        ("Return", receipt.return_id),
        ("Date", _when(receipt)),
        ("Order", order),
        ("Associate", f"{_who(receipt)} on {receipt.device}"),
    ]
    if receipt.approved_by:
        facts.append(("Approved by", f"manager {receipt.approved_by}"))
    return facts


def paint_receipt(
    painter: QPainter, device: QRect, receipt: ReturnReceipt, new_page: Callable[[], object]
) -> None:
    pages = pages_for(len(receipt.lines))
    for number, rows in enumerate(pages):
        if number:
            new_page()
        fit_page(painter, device, PAGE)
        _page(painter, receipt, rows, number, len(pages))


def _page(painter: QPainter, receipt: ReturnReceipt, rows: range, number: int, pages: int) -> None:
    w, m = PAGE.width(), MARGIN
    painter.fillRect(QRectF(0, 0, w, PAGE.height()), QColor("white"))
    painter.setPen(QColor("black"))
    title = "Return receipt" if receipt.receipt else "Return: store credit"
    draw_text(painter, QRectF(m, 36, 320, 32), title, doc_font(24, bold=True))
    draw_text(
        painter, QRectF(330, 36, w - 330 - m, 16), receipt.store_name, doc_font(11, bold=True), AlignRight
    )
    draw_text(painter, QRectF(330, 52, w - 330 - m, 14), f"Store {receipt.store}", doc_font(10), AlignRight)
    rule(painter, 90, m, w - m)
    for i, (key, value) in enumerate(_facts(receipt)):
        draw_text(painter, QRectF(m, 102 + 18 * i, 90, 16), key, doc_font(10, bold=True))
        draw_text(painter, QRectF(m + 96, 102 + 18 * i, 300, 16), value, doc_font(10))
    columns = (
        (m, 34, "Qty"),
        (m + 40, 236, "Item"),
        (m + 282, 180, "Reason · condition"),
        (w - m - 70, 70, "Refund"),
    )
    for x, cw, head in columns:
        flags = AlignRight if head == "Refund" else AlignLeft
        draw_text(painter, QRectF(x, TABLE_TOP, cw, 18), head, doc_font(10, bold=True), flags)
    rule(painter, TABLE_TOP + 22, m, w - m, 1.5)
    for i, index in enumerate(rows):
        line = receipt.lines[index]
        y = TABLE_TOP + 28 + ROW * i
        draw_text(painter, QRectF(m, y, 34, 16), str(line.qty), doc_font(12, bold=True))
        draw_text(painter, QRectF(m + 40, y, 236, 16), line.name, doc_font(11))
        each = f"{line.sku} · {money(line.unit_price)} each"
        if line.discount:
            each += f" · discount −{money(line.discount)}"
        draw_text(painter, QRectF(m + 40, y + 15, 236, 14), each, doc_font(9))
        draw_text(painter, QRectF(m + 282, y, 180, 16), reason_text(line.reason), doc_font(10))
        how = f"{condition_text(line.condition)}, {goes_to(line.disposition)}" if line.condition else ""
        draw_text(painter, QRectF(m + 282, y + 15, 190, 14), how, doc_font(9))
        draw_text(painter, QRectF(w - m - 70, y, 70, 16), money(line.refund), doc_font(11), AlignRight)
        if line.fee:
            fee = f"fee −{money(line.fee)}"
            draw_text(painter, QRectF(w - m - 90, y + 15, 90, 14), fee, doc_font(9), AlignRight)
        rule(painter, y + ROW - 3, m, w - m, 0.4)
    if number == pages - 1:
        _totals(painter, receipt, TABLE_TOP + 28 + ROW * len(rows) + 12)
    draw_text(
        painter,
        QRectF(m, PAGE.height() - 36, w - 2 * m, 14),
        f"Page {number + 1} of {pages}",
        doc_font(9),
        AlignRight,
    )


def _totals(painter: QPainter, receipt: ReturnReceipt, top: float) -> None:
    w, m = PAGE.width(), MARGIN
    amounts = [("Merchandise", money(receipt.merchandise))]
    if receipt.discount:
        amounts.append(("Order discount share", money(-receipt.discount)))
    if receipt.fees:
        amounts.append(("Restocking fee", money(-receipt.fees)))
    if receipt.shipping:
        amounts.append(("Shipping refunded", money(receipt.shipping)))
    x = w - m - 250
    for i, (key, value) in enumerate(amounts):
        draw_text(painter, QRectF(x, top + 18 * i, 160, 16), key, doc_font(10))
        draw_text(painter, QRectF(x + 160, top + 18 * i, 90, 16), value, doc_font(10), AlignRight)
    y = top + 18 * len(amounts) + 4
    rule(painter, y, x, w - m, 1.5)
    draw_text(painter, QRectF(x, y + 6, 140, 22), "Total refund", doc_font(14, bold=True))
    draw_text(
        painter, QRectF(x + 140, y + 6, 110, 22), money(receipt.total), doc_font(14, bold=True), AlignRight
    )
    draw_text(
        painter,
        QRectF(m, y + 36, w - 2 * m, 16),
        tender_text(receipt.refund_method, receipt.tender),
        doc_font(11, bold=True),
    )
    note = (
        "Recorded here; the card or payment provider credits it."
        if receipt.refund_method != "store_credit"
        else "Store credit only: a return without a receipt is approved by a manager."
    )
    draw_text(painter, QRectF(m, y + 54, w - 2 * m, 14), note, doc_font(9))
    code_top = y + 80
    paint_code128(painter, QRectF(m, code_top, 300, 56), receipt.return_id)
    painter.setPen(QColor("black"))
    draw_text(
        painter,
        QRectF(m, code_top + 58, 300, 16),
        receipt.return_id,
        doc_font(11, mono=True),
        Qt.AlignmentFlag.AlignHCenter,
    )


def write_receipt_pdf(path: Path, receipt: ReturnReceipt) -> Path:
    """Write the receipt to `path` (folders made as needed); returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageSize(page_size())
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setTitle(f"Return receipt {receipt.return_id}")
    writer.setCreator("Store OMS")
    painter = QPainter(writer)
    try:
        paint_receipt(painter, QRect(0, 0, writer.width(), writer.height()), receipt, writer.newPage)
    finally:
        painter.end()
    return path


def receipt_image(receipt: ReturnReceipt, width: int) -> QImage:
    """The receipt's first page as a picture `width` pixels wide, for the screen's preview."""
    image = QImage(width, round(width * PAGE.height() / PAGE.width()), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    try:
        paint_receipt(painter, image.rect(), receipt, lambda: None)
    finally:
        painter.end()
    return image


def prepare_receipt_print(parent: QWidget, receipt: ReturnReceipt) -> PrintDialog:
    """Build (not show) the print dialog for a receipt."""
    return PrintDialog(
        parent,
        page_size(),
        f"Return receipt {receipt.return_id}",
        f"Print: return receipt {receipt.return_id}",
        lambda printer: print_with(printer, lambda p, d: paint_receipt(p, d, receipt, printer.newPage)),
    )
