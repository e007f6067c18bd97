"""Pack: choose a picked order, check every item by scan, box it, print or save, and send it on.

The screen runs the bench's steps as operations (`ui.ops`) and PDF work as background jobs
(`ui.background`), so the UI thread never waits. Scans go to the list (an order number opens that
order) or to the bench (each product checked against the order). A wrong item or an extra unit
gets an error answer and changes nothing; the last missing unit records `packed` with the box
used, which unlocks printing and the final step: `shipped` for ship orders (the stock leaves the
books and the hub hears of it), `ready for pickup` for pickup orders.
"""

from __future__ import annotations

import re
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from core.domain.associates import SignedIn
from core.domain.packing import PackCard, PackSheet, ShipResult
from ui import app_filters
from ui.background import BackgroundJobs, paint_soon
from ui.documents import label_image, write_pdf
from ui.later import BUSY_WAIT_MS
from ui.ops import OpRunner, person_message
from ui.ports import PackServices
from ui.printing import PrintDialog, open_prepared, prepare
from ui.scan_panel import ManualEntry, ScanAnswer, ScanBanner
from ui.screens.pack_bench import PREVIEW_WIDTH, PackBench
from ui.screens.pack_list import PackList
from ui.sounds import ScanSounds
from ui.touch import SPACING

CHANGES = ("fulfilments", "stock", "outbox")


def file_stem(fulfilment_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", fulfilment_id)


class PackScreen(QWidget):
    def __init__(
        self, ops: OpRunner, services: PackServices, sounds: ScanSounds | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops, self.services = ops, services
        self.jobs = BackgroundJobs(self)
        self.person: SignedIn | None = None
        self.busy = False
        self.saved: list[Path] = []
        self.print_dialog: PrintDialog | None = None  # the one showing
        self._prepared: dict[str, PrintDialog] = {}  # built ahead for the sheet on the bench
        self.list = PackList()
        self.list.chosen.connect(self.open_fulfilment)
        self.bench = PackBench()
        self.bench.back.connect(self.show_list)
        self.bench.print_label.connect(lambda: self.print_document("label"))
        self.bench.print_slip.connect(lambda: self.print_document("slip"))
        self.bench.save_pdfs.connect(self.save_pdfs)
        self.bench.finish.connect(self.finish)
        self.bench.sheet_changed.connect(self._sheet_changed)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.list)
        self.pages.addWidget(self.bench)
        self.banner = ScanBanner(sounds)
        self.entry = ManualEntry("Type a barcode or order number")
        self.entry.submitted.connect(lambda code: self.handle_scan(code, None))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(SPACING)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.entry)
        ops.changed.connect(self._changed)

    # ------------------------------------------------------------------ list

    @property
    def sheet(self) -> PackSheet | None:
        return self.bench.sheet if self.pages.currentWidget() is self.bench else None

    def set_person(self, person: SignedIn | None) -> None:
        self.person = person
        self.pages.setCurrentWidget(self.list)  # a new person starts from the list (shown: refreshed)

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        if self.pages.currentWidget() is self.list:
            self.refresh()

    def _changed(self, tags: frozenset[str]) -> None:
        if "fulfilments" in tags and self.pages.currentWidget() is self.list and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self.ops.run(self.services.packable(), self.list.show_cards, self._failed)

    def show_list(self) -> None:
        self.pages.setCurrentWidget(self.list)
        self.refresh()

    def open_fulfilment(self, fulfilment_id: str) -> None:
        self.busy = True
        self.ops.run(self.services.sheet(fulfilment_id), self._show_sheet, self._failed)

    def _show_sheet(self, sheet: PackSheet) -> None:
        self.busy = False
        self._drop_prepared()
        self.bench.show_sheet(sheet)
        self.pages.setCurrentWidget(self.bench)
        self.saved = []
        verb = "Check them again if you like, then print" if sheet.state == "packed" else "Scan each item"
        self.banner.show_answer(
            ScanAnswer("idle", f"Order {sheet.order_id}: {sheet.units} items. {verb}."), sound=False
        )
        self._preview(sheet)
        if sheet.state == "packed":
            self._prepare_later("label")

    def _sheet_changed(self) -> None:
        """Another bag count: preview the new first tag; dialogs built for the old tags go."""
        sheet = self.bench.sheet
        if sheet is None:
            return
        self._drop_prepared()
        self._preview(sheet)
        if sheet.state == "packed" or self.bench.finish_button.isEnabled():
            self._prepare_later("label")

    def _preview(self, sheet: PackSheet) -> None:
        """Paint the label preview soon; shown only if the bench still holds this sheet by then."""

        def show(image: QImage) -> None:
            if self.bench.sheet is sheet:
                self.bench.set_preview(image)

        paint_soon(self, lambda: label_image(sheet, PREVIEW_WIDTH), show)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.banner.show_answer(ScanAnswer("error", person_message(exc)))

    # ------------------------------------------------------------------ scans

    def handle_scan(self, code: str, suffix: str | None) -> None:
        sheet = self.sheet
        if sheet is None:
            card = self.list.find(code)
            if card is not None:
                self.open_fulfilment(card.fulfilment_id)
                return
            self.banner.show_answer(
                ScanAnswer(
                    "warn", f"{code}: choose an order to pack first (tap it, or scan its order number)."
                )
            )
            return
        verification = self.bench.verification
        assert verification is not None
        was_complete = verification.complete
        answer = verification.scan(code)
        self.banner.show_answer(ScanAnswer(answer.outcome, answer.text))
        self.bench.refresh_rows()
        if answer.counted and verification.complete and not was_complete and sheet.state == "picked":
            self._record_packed(sheet)

    def _record_packed(self, sheet: PackSheet) -> None:
        if self.person is None:
            return
        box = sheet.box.box.label if sheet.box.box is not None else sheet.box.text
        self.busy = True
        self.ops.run(
            self.services.packed(self.person, sheet.fulfilment_id, box),
            lambda _state: self._packed(sheet),
            self._failed,
            changes=CHANGES,
        )

    def _packed(self, sheet: PackSheet) -> None:
        self.busy = False
        if self.bench.sheet is sheet:
            self.bench.set_packed(True)
            self._prepare_later("label")  # the next tap is most likely Print label

    # ------------------------------------------------------------------ documents and the last step

    def save_pdfs(self) -> None:
        sheet = self.bench.sheet
        if sheet is None:
            return
        folder = self.services.documents_dir
        stem = file_stem(sheet.fulfilment_id)
        kinds = ("label", "slip")

        def write() -> list[Path]:
            return [write_pdf(folder / f"{kind}-{stem}.pdf", kind, sheet) for kind in kinds]

        self.busy = True
        self.jobs.run(write, self._saved, self._failed)

    def _saved(self, paths: list[Path]) -> None:
        self.busy = False
        self.saved = paths
        self.banner.show_answer(
            ScanAnswer("ok", f"Saved {paths[0].name} and {paths[1].name} in {paths[0].parent}")
        )

    def _prepare_later(self, kind: str) -> None:
        """Build the print dialog in a turn of its own, once no other thread is busy (`ui.later`)."""
        sheet = self.bench.sheet

        def build() -> None:
            if self.bench.sheet is not sheet or sheet is None or kind in self._prepared:
                return
            if self.ops.pending or self.jobs.pending:  # the database thread, or PDFs being written
                QTimer.singleShot(BUSY_WAIT_MS, build)
                return
            self._prepared[kind] = prepare(self, kind, sheet)

        QTimer.singleShot(0, build)

    def _drop_prepared(self) -> None:
        with app_filters.lifted():
            for dialog in self._prepared.values():
                shiboken6.delete(dialog)
        self._prepared = {}

    def print_document(self, kind: str) -> None:
        """Open the system print dialog (built now if it was not built ahead, shown a turn later)."""
        sheet = self.bench.sheet
        if sheet is None or self.print_dialog is not None:
            return
        dialog = self._prepared.pop(kind, None)
        if dialog is None:
            dialog = prepare(self, kind, sheet)
        self.print_dialog = dialog

        def done(printed: bool, message: str) -> None:
            self.print_dialog = None
            self.banner.show_answer(ScanAnswer("ok" if printed else "warn", message))

        QTimer.singleShot(0, lambda: open_prepared(dialog, self.jobs, done))

    def finish(self) -> None:
        sheet = self.bench.sheet
        if sheet is None or self.person is None:
            return
        if sheet.is_pickup:
            call = self.services.ready_for_pickup(self.person, sheet.fulfilment_id, sheet.bag_count)
        else:
            call = self.services.shipped(self.person, sheet.fulfilment_id)
        self.busy = True
        self.ops.run(call, self._finished, self._failed, changes=CHANGES)

    def _finished(self, result: ShipResult) -> None:
        self.busy = False
        if result.state == "shipped":
            text = f"Shipped {result.fulfilment_id}, tracking {result.tracking_number}. Next order?"
        else:
            text = f"{result.fulfilment_id} is on the pickup shelf: ready for the customer. Next order?"
        self.banner.show_answer(ScanAnswer("ok", text))
        self._drop_prepared()
        self.show_list()

    @property
    def cards(self) -> list[PackCard]:
        return self.list.cards

    def close_jobs(self) -> None:
        self.jobs.shutdown()
