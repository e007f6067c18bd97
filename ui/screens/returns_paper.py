"""The receipt on paper for the Returns screen: its preview, Save PDF and Print, none stalling the UI.

Writing the PDF happens on the background thread, the preview is painted in a turn of its own
(both `ui.background`); the print dialog is built in a turn of its own and shown with `open()`
(`ui.printing`), never `exec()`. Answers come back as `ScanAnswer`s for the screen's banner, and
answers for a screen that has gone are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from core.domain.return_desk import ReturnReceipt
from ui.background import BackgroundJobs, paint_soon
from ui.ops import person_message
from ui.printing import PrintDialog, open_prepared
from ui.return_receipt import prepare_receipt_print, receipt_image, write_receipt_pdf
from ui.scan_panel import ScanAnswer
from ui.screens.pick_model import if_alive

Answer = Callable[[ScanAnswer], None]


def receipt_path(folder: Path, receipt: ReturnReceipt) -> Path:
    return folder / f"return-{re.sub(r'[^A-Za-z0-9_.-]+', '_', receipt.return_id)}.pdf"


class ReceiptPaper(QObject):
    def __init__(self, owner: QWidget, folder: Path, answer: Answer) -> None:
        super().__init__(owner)
        self.owner, self.folder, self.answer = owner, folder, answer
        self.jobs = BackgroundJobs(self)
        self.saved: Path | None = None
        self.print_dialog: PrintDialog | None = None

    def preview(self, receipt: ReturnReceipt, width: int, show: Callable[[QImage], None]) -> None:
        self.saved = None
        paint_soon(self, lambda: receipt_image(receipt, width), show)

    def save(self, receipt: ReturnReceipt) -> None:
        path = receipt_path(self.folder, receipt)

        def saved(written: Path) -> None:
            self.saved = written
            self.answer(ScanAnswer("ok", f"Saved {written.name} in {written.parent}"))

        def failed(exc: BaseException) -> None:
            self.answer(ScanAnswer("error", f"Not saved: {person_message(exc)}"))

        self.jobs.run(
            lambda: write_receipt_pdf(path, receipt),
            if_alive(self.owner, saved),
            if_alive(self.owner, failed),
        )

    def print(self, receipt: ReturnReceipt) -> None:
        """The system print dialog, built now and shown a turn later; one at a time."""
        if self.print_dialog is not None:
            return
        dialog = prepare_receipt_print(self.owner, receipt)
        self.print_dialog = dialog

        def done(printed: bool, message: str) -> None:
            self.print_dialog = None
            self.answer(ScanAnswer("ok" if printed else "warn", message))

        QTimer.singleShot(0, lambda: open_prepared(dialog, self.jobs, done))

    def close(self) -> None:
        self.jobs.shutdown()
