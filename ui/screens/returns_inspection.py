"""Returned units waiting in quarantine for a closer look, and the decision for each.

A return graded "needs inspection" puts its units in quarantine with a task, so nobody (here or on
the web) sells them before someone has looked. Here the associate says how many are fit to sell;
the rest go to damaged stock. The decision is a pair of movements that sync like any other.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QWidget

from core.domain.return_desk import TaskCard
from ui.screens.returns_parts import BackHeading, column, refill, scroll_list, words
from ui.touch import SPACING, touch_size


class InspectionRow(QFrame):
    """One task: how many of its units are sellable (the rest damaged), and Record."""

    decided = Signal(int, int, int)  # (task id, sellable, damaged)

    def __init__(self, task: TaskCard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.task = task
        self.left = task.qty - task.done_qty
        self.sellable = 0
        self.minus, self.plus = QPushButton("−"), QPushButton("+")
        for button in (self.minus, self.plus):
            button.setObjectName("StepButton")
            touch_size(button).setFixedWidth(64)
        self.minus.setAccessibleName(f"One fewer sellable {task.name}")
        self.plus.setAccessibleName(f"One more sellable {task.name}")
        self.split = words("")
        self.record_button = touch_size(QPushButton("Record decision"), width=200)
        self.record_button.setProperty("kind", "primary")
        self.minus.clicked.connect(lambda: self.set_sellable(self.sellable - 1))
        self.plus.clicked.connect(lambda: self.set_sellable(self.sellable + 1))
        self.record_button.clicked.connect(self._record)
        controls = QHBoxLayout()
        controls.setSpacing(SPACING)
        controls.addWidget(words("Fit to sell:"))
        controls.addWidget(self.minus)
        controls.addWidget(self.plus)
        controls.addWidget(self.split, 1)
        controls.addWidget(self.record_button)
        grid = QGridLayout(self)
        grid.setContentsMargins(18, 12, 18, 12)
        grid.setVerticalSpacing(6)
        self.title = words(f"{self.left} × {task.name}", "subtitle")
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(
            words(f"{task.sku} · task {task.id} · return {task.reference} · {task.note}", "hint"), 1, 0
        )
        grid.addLayout(controls, 2, 0)
        self.set_sellable(0)

    def set_sellable(self, sellable: int) -> None:
        self.sellable = max(0, min(self.left, sellable))
        damaged = self.left - self.sellable
        self.split.setText(f"{self.sellable} back on sale · {damaged} to damaged stock")
        self.minus.setEnabled(self.sellable > 0)
        self.plus.setEnabled(self.sellable < self.left)

    def _record(self) -> None:
        self.record_button.setEnabled(False)
        self.decided.emit(self.task.id, self.sellable, self.left - self.sellable)


class InspectionPage(QWidget):
    back = Signal()
    decided = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[int, InspectionRow] = {}
        top = BackHeading("← Returns", "Inspections", "title")
        self.back_button = top.back_button
        self.back_button.clicked.connect(self.back)
        self.summary = words("Looking for returned items waiting for inspection…", "hint")
        self.scroll, self.list = scroll_list()
        column(self, top, self.summary, self.scroll)

    def find(self, code: str) -> InspectionRow | None:
        """The task whose label (`TASK:<id>`) or product SKU was scanned, brought into view."""
        wanted = code.strip().upper()
        row = next(
            (r for r in self.rows.values() if wanted in (r.task.code.upper(), r.task.sku.upper())), None
        )
        if row is not None:
            self.scroll.ensureWidgetVisible(row)
        return row

    def show_tasks(self, tasks: list[TaskCard]) -> None:
        refill(self.list)
        self.rows = {}
        for i, task in enumerate(tasks):
            row = InspectionRow(task)
            row.decided.connect(self.decided)
            self.list.insertWidget(i, row)
            self.rows[task.id] = row
        count = len(tasks)
        self.summary.setText(
            f"{count} returned item{'s' if count != 1 else ''} in quarantine. Look each one over, then say how many "
            "are fit to sell; the rest go to damaged stock."
            if tasks
            else "Nothing waits for inspection."
        )
