"""The packing bench for one order: check each item by scan, see the box, the label, and finish.

Display only: the screen (`ui.screens.pack`) owns the operations. The check list shows every line
with a glyph and words ("2 of 2 checked"), never colour alone. The label preview is the same
painting as the PDF and the print-out (`ui.documents`), so what the associate sees is what the
carrier gets. Print, save and finish stay disabled until every unit has been checked and `packed`
is recorded, so a label cannot leave for a box that was never verified. A pickup order goes into
as many bags as the box suggestion has boxes unless the associate steps the count; each bag gets a
tag whose code the pickup counter scans at the handover.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.domain.boxes import Fit
from core.domain.packing import MAX_BAGS, PackSheet, Verification
from ui.scan_panel import show_count
from ui.screens.pack_list import due_text
from ui.stepper import Stepper
from ui.theme import repolish
from ui.touch import SPACING, button_row, paper_preview, text_label, touch_size

PREVIEW_WIDTH = 300


class PackBench(QWidget):
    back = Signal()
    print_label = Signal()
    print_slip = Signal()
    save_pdfs = Signal()
    finish = Signal()
    sheet_changed = Signal()  # the bag count changed: the tags to print are not the same

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheet: PackSheet | None = None
        self.verification: Verification | None = None
        self.back_button = touch_size(QPushButton("← Orders"), width=140)
        self.back_button.clicked.connect(self.back)
        self.title = text_label("", "subtitle")
        self.subtitle = text_label("", "hint")
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        top = QHBoxLayout()
        top.setSpacing(SPACING)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.lines_card = QFrame()
        self.lines_card.setObjectName("Card")
        self.grid = QGridLayout(self.lines_card)
        self.grid.setContentsMargins(20, 14, 20, 14)
        self.grid.setHorizontalSpacing(SPACING)
        self.grid.setVerticalSpacing(8)
        self.rows: dict[str, tuple[QLabel, QLabel]] = {}
        self.box_card = QFrame()
        self.box_card.setObjectName("Card")
        box_layout = QVBoxLayout(self.box_card)
        box_layout.setContentsMargins(20, 12, 20, 12)
        box_heading = text_label("Box", "subtitle")
        self.box_text = text_label()
        box_layout.addWidget(box_heading)
        box_layout.addWidget(self.box_text)
        self.bags = Stepper("bag")
        self.bags.changed.connect(self._bags_chosen)
        self.bags_row = QWidget()
        self.bags_row.setObjectName("LineWords")  # transparent in the QSS: the card shows through
        bags_layout = QHBoxLayout(self.bags_row)
        bags_layout.setContentsMargins(0, 4, 0, 0)
        bags_layout.setSpacing(SPACING)
        bags_layout.addWidget(QLabel("Bags, one tag each:"))
        bags_layout.addWidget(self.bags)
        bags_layout.addStretch(1)
        box_layout.addWidget(self.bags_row)

        self.print_label_button = touch_size(QPushButton("Print label"), width=150)
        self.print_slip_button = touch_size(QPushButton("Print slip"), width=150)
        self.save_button = touch_size(QPushButton("Save PDFs"), width=150)
        self.finish_button = touch_size(QPushButton("Mark shipped"), width=190)
        self.finish_button.setProperty("kind", "primary")
        actions = button_row(
            [
                (self.print_label_button, self.print_label),
                (self.print_slip_button, self.print_slip),
                (self.save_button, self.save_pdfs),
                (self.finish_button, self.finish),
            ]
        )

        left = QVBoxLayout()
        left.setSpacing(SPACING)
        left.addWidget(self.lines_card)
        left.addWidget(self.box_card)
        left.addStretch(1)
        left.addLayout(actions)
        self.preview = paper_preview("Label preview…", "Label preview", PREVIEW_WIDTH, 1.5)
        middle = QHBoxLayout()
        middle.setSpacing(SPACING * 2)
        middle.addLayout(left, 1)
        middle.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        self.set_packed(False)

    def show_sheet(self, sheet: PackSheet) -> None:
        """A new order on the bench; an order already packed counts as checked."""
        self.sheet = sheet
        self.verification = Verification(sheet)
        if sheet.state == "packed":
            self.verification.scanned = {line.sku: line.qty for line in sheet.lines}
        how = "Pickup" if sheet.is_pickup else f"Ship · {sheet.service_text}"
        self.title.setText(f"Order {sheet.order_id} · {sheet.ship_to.name}")
        when = due_text(sheet.promise_by)
        self.subtitle.setText(f"{how} · {sheet.units} items · {when} · fulfilment {sheet.fulfilment_id}")
        self.finish_button.setText("Ready for pickup" if sheet.is_pickup else "Mark shipped")
        self.print_label_button.setText("Print bag tags" if sheet.is_pickup else "Print label")
        self.box_text.setText(sheet.box.text)
        self.bags_row.setVisible(sheet.is_pickup)
        self.bags.set_range(1, MAX_BAGS)
        self.bags.set_value(sheet.bag_count)
        self.box_text.setProperty("kind", "warn" if sheet.box.fit is not Fit.ONE_BOX else None)
        repolish(self.box_text)
        self._build_rows(sheet)
        self.preview.setPixmap(QPixmap())
        self.preview.setText("Label preview…")
        self.set_packed(sheet.state == "packed")

    def _build_rows(self, sheet: PackSheet) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.rows = {}
        self.grid.addWidget(text_label("Scan each item", "subtitle"), 0, 0, 1, 3)
        for i, line in enumerate(sheet.lines, start=1):
            glyph = QLabel()
            glyph.setObjectName("CheckGlyph")
            name = QWidget()
            name.setObjectName("LineWords")  # transparent in the QSS: the card shows through
            words = QVBoxLayout(name)
            words.setContentsMargins(0, 0, 0, 0)
            words.setSpacing(0)
            words.addWidget(text_label(line.name))
            words.addWidget(text_label(line.sku, "hint"))
            count = text_label("", "code")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(glyph, i, 0)
            self.grid.addWidget(name, i, 1)
            self.grid.addWidget(count, i, 2)
            self.rows[line.sku] = (glyph, count)
        self.grid.setColumnStretch(1, 1)
        self.refresh_rows()

    def refresh_rows(self) -> None:
        if self.verification is None:
            return
        for sku, (glyph, count) in self.rows.items():
            have, need = self.verification.count(sku), self.verification.needed(sku)
            show_count(glyph, count, have, need, f"{sku}: {have} of {need} checked")

    def _bags_chosen(self, bags: int) -> None:
        if self.sheet is not None:
            self.sheet = replace(self.sheet, bags=bags)
            self.sheet_changed.emit()

    def set_packed(self, packed: bool) -> None:
        for button in (self.print_label_button, self.print_slip_button, self.save_button, self.finish_button):
            button.setEnabled(packed)

    def set_preview(self, image: QImage) -> None:
        self.preview.setPixmap(QPixmap.fromImage(image))
