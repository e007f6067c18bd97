"""Printing a label, a slip or a return receipt through the system print dialog, without blocking anything.

The dialog is opened with `open()` (window-modal, returns at once), never `exec()`: a nested event
loop inside the qasync loop would stall the sync relay and every pending operation (DESIGN, UI
conventions). Building Qt's print dialog costs tens of milliseconds (dozens of styled widgets and a
look at the system's printers), so `prepare` builds it ahead, in its own turn of the event loop,
and `open_prepared` only shows it. It is built with the application-wide filters lifted
(`ui.app_filters`): each of its events would otherwise wait for the interpreter lock, which the
thread writing the PDFs may be holding. When the person presses Print, the document is painted
on the chosen printer on the background thread (Qt allows painting on a `QPrinter` off the GUI
thread) with the same painting code as the PDF (`ui.documents`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from core.domain.packing import PackSheet
from ui import app_filters
from ui.background import BackgroundJobs
from ui.documents import page_size, paint_labels, paint_slip


def load_print_support() -> None:
    """Load Qt's print-support plugin (a shared library) off the UI thread, ahead of the first dialog.

    The first `QPrinter` of a process loads it, which took tens of milliseconds of a print
    dialog's build on the UI thread; a printer may be made on any thread, so the warm-up does it.
    """
    QPrinter(QPrinter.PrinterMode.HighResolution)


def print_with(printer: QPrinter, draw: Callable[[QPainter, QRect], None]) -> str:
    """Run `draw(painter, page rect)` on a printer set up by the dialog (or by a test, to a PDF file)."""
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("the printer could not start the job")
    try:
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        draw(painter, QRect(0, 0, area.width(), area.height()))
    finally:
        painter.end()
    return printer.printerName() or printer.outputFileName() or "the printer"


def paint_on(printer: QPrinter, kind: str, sheet: PackSheet) -> str:
    """A label (every box's) or a packing slip on the printer."""

    def draw(painter: QPainter, device: QRect) -> None:
        if kind == "label":
            paint_labels(painter, device, sheet, printer.newPage)
        else:
            paint_slip(painter, device, sheet, printer.newPage)

    return print_with(printer, draw)


class PrintDialog(QPrintDialog):
    """The system print dialog for one document, with its printer kept alive; `paint(printer)`
    draws the document on the printer the person chose and names where it went."""

    def __init__(
        self,
        parent: QWidget,
        page: QPageSize,
        doc_name: str,
        title: str,
        paint: Callable[[QPrinter], str],
    ) -> None:
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setPageSize(page)
        self.printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        self.printer.setDocName(doc_name)
        with app_filters.lifted():  # dozens of widgets' events, none of them input
            super().__init__(self.printer, parent)
        self.setWindowTitle(title)
        self.paint = paint


def prepare(parent: QWidget, kind: str, sheet: PackSheet) -> PrintDialog:
    """Build (not show) the dialog for a label or slip; cheap to throw away if it is never used."""
    name = "Label" if kind == "label" else "Packing slip"
    return PrintDialog(
        parent,
        page_size(kind),
        f"{name} {sheet.fulfilment_id}",
        f"Print: {name.lower()} for order {sheet.order_id}",
        lambda printer: paint_on(printer, kind, sheet),
    )


def open_prepared(
    dialog: PrintDialog, jobs: BackgroundJobs, on_done: Callable[[bool, str], None]
) -> PrintDialog:
    """Show the dialog (`open()`, non-blocking); `on_done(printed, message)` follows later."""

    def printed(where: object) -> None:
        on_done(True, f"Sent to {where}.")
        dialog.deleteLater()

    def failed(exc: BaseException) -> None:
        on_done(False, f"Not printed: {exc}.")
        dialog.deleteLater()

    def accepted() -> None:
        jobs.run(lambda: dialog.paint(dialog.printer), printed, failed)

    def rejected() -> None:
        on_done(False, "Printing cancelled.")
        dialog.deleteLater()

    dialog.accepted.connect(accepted)
    dialog.rejected.connect(rejected)
    QDialog.open(dialog)  # PySide's QPrintDialog.open wants (receiver, slot); this is QDialog's own
    return dialog
