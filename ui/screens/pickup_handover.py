"""The handover: every bag and item due, scanned out one by one, with the refused scans in view.

Display only: the screen sends each scan to the service (which records accepted ones and refuses
the rest, recording nothing) and hands the answer back here. Counts are words and glyphs ("1 of
2", ✔), never colour alone; refused scans stay listed with their reason, so a second associate
stepping in sees what was turned away.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.domain.handover import HandoverPlan
from ui.scan_panel import show_count
from ui.touch import SPACING, primary_button, text_label

REFUSALS_SHOWN = 3


class HandoverPanel(QWidget):
    """Emits `finish()` when the associate goes on to the signature (and anything left behind)."""

    finish = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: HandoverPlan | None = None
        self.units: dict[str, int] = {}
        self.bags: set[int] = set()
        self.refusals: list[str] = []
        self.card = QFrame()
        self.card.setObjectName("Card")
        self.grid = QGridLayout(self.card)
        self.grid.setContentsMargins(20, 14, 20, 14)
        self.grid.setHorizontalSpacing(SPACING)
        self.grid.setVerticalSpacing(8)
        self.rows: dict[str, tuple[QLabel, QLabel]] = {}
        self.refused = text_label("", "error")
        self.refused.hide()
        self.status = text_label("", "hint")
        self.finish_button = primary_button("Next: signature", self.finish.emit, width=220)
        actions = QHBoxLayout()
        actions.setSpacing(SPACING)
        actions.addWidget(self.status, 1)
        actions.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.card)
        layout.addWidget(self.refused)
        layout.addStretch(1)
        layout.addLayout(actions)

    def show_plan(self, plan: HandoverPlan, units: Mapping[str, int], bags: tuple[int, ...]) -> None:
        self.plan, self.units, self.bags, self.refusals = plan, dict(units), set(bags), []
        self.refused.hide()
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.rows = {}
        how = "Scan each bag label and each item" if plan.bags else "Scan each item as you hand it over"
        self.grid.addWidget(text_label(how, "subtitle"), 0, 0, 1, 3)
        labels = ", ".join(f"{n}/{plan.bags}" for n in range(1, plan.bags + 1))
        entries = [("bags", f"Bags {labels}", "bag labels, from the staging shelf")] if plan.bags else []
        entries += [(item.sku, item.name, item.sku) for item in plan.items]
        for i, (key, name, hint) in enumerate(entries, start=1):
            glyph = QLabel()
            glyph.setObjectName("CheckGlyph")
            words = QWidget()
            words.setObjectName("LineWords")
            box = QVBoxLayout(words)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(0)
            box.addWidget(text_label(name))
            box.addWidget(text_label(hint, "hint"))
            count = text_label("", "code")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(glyph, i, 0)
            self.grid.addWidget(words, i, 1)
            self.grid.addWidget(count, i, 2)
            self.rows[key] = (glyph, count)
        self.grid.setColumnStretch(1, 1)
        self.refresh()

    def scanned(self, units: Mapping[str, int], bags: tuple[int, ...]) -> None:
        self.units, self.bags = dict(units), set(bags)
        self.refresh()

    def refuse(self, text: str) -> None:
        self.refusals = [text, *self.refusals][:REFUSALS_SHOWN]
        self.refused.setText("Refused, not recorded:\n" + "\n".join(f"✖ {r}" for r in self.refusals))
        self.refused.show()

    @property
    def complete(self) -> bool:
        """Every bag scanned, or (without bags) every unit: nothing left to scan."""
        plan = self.plan
        if plan is None:
            return False
        if plan.bags:
            return len(self.bags) >= plan.bags
        return all(self.units.get(item.sku, 0) >= item.qty for item in plan.items)

    def refresh(self) -> None:
        plan = self.plan
        if plan is None:
            return
        if plan.bags:
            glyph, count = self.rows["bags"]
            have = len(self.bags)
            show_count(glyph, count, have, plan.bags, f"bags: {have} of {plan.bags} scanned")
        for item in plan.items:
            glyph, count = self.rows[item.sku]
            have = self.units.get(item.sku, 0)
            show_count(glyph, count, have, item.qty, f"{item.name}: {have} of {item.qty} scanned")
        left = plan.units - sum(self.units.values())
        if self.complete:
            self.status.setText("Everything is scanned. Ask the customer to sign.")
        elif plan.bags:
            self.status.setText(f"{plan.bags - len(self.bags)} bag(s) still to scan.")
        else:
            self.status.setText(f"{left} item(s) still to scan, or mark them as staying on the next page.")
