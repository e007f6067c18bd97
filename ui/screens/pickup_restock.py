"""Restock tasks: units of unclaimed, cancelled or declined pickups waiting in quarantine to go back
on the shelf.

They are sold nowhere until scanned back: a product barcode returns one unit of the oldest task
for it, the task's own label (`TASK:<id>`) all of its units. The scans go to the service through
the screen; this page shows the open tasks and says how to finish each.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.domain.return_desk import TaskCard
from ui.page_header import page_header
from ui.tile_list import TileList
from ui.touch import SPACING


def task_text(task: TaskCard) -> str:
    left = task.qty - task.done_qty
    done = f" ({task.done_qty} already back)" if task.done_qty else ""
    why = task.note or f"from {task.reference}"
    return f"{task.code} · {task.name} ({task.sku}) · {left} to put back{done}\n{why}"


class RestockList(QWidget):
    """Emits `back()`."""

    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks: list[TaskCard] = []
        self.tiles: dict[int, QLabel] = {}
        top, self.back_button = page_header("Restock tasks", "← Pickups", self.back.emit)
        self.list = TileList("Looking for units to put back…")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)

    def show_tasks(self, tasks: list[TaskCard]) -> None:
        self.tasks = tasks
        self.tiles = {}
        for task in tasks:
            tile = QLabel(task_text(task))
            tile.setObjectName("Card")  # a QLabel is a QFrame: the card frame and padding apply
            tile.setMargin(12)
            tile.setWordWrap(True)
            tile.setMinimumHeight(72)
            tile.setAccessibleName(f"Restock task {task.id}: {task.name}")
            self.tiles[task.id] = tile
        units = sum(t.qty - t.done_qty for t in tasks)
        summary = (
            f"{units} unit{'s' if units != 1 else ''} to put back on the shelf. Scan each product's "
            "barcode (one unit), or a task's label TASK:<number> (all its units)."
            if tasks
            else "Nothing to put back. Unclaimed and declined pickups appear here."
        )
        self.list.set_tiles(list(self.tiles.items()), summary)
