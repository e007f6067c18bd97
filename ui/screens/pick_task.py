"""The walk's big card: which bin to go to, what to take, how many, and into which totes.

Read from arm's length while a hand holds the item: the bin in 64 px, the quantity in 72 px
(`kind` properties in the theme files), the product in words under the bin.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.domain.pick_progress import WalkProgress


def label(kind: str = "", *, wrap: bool = True, text: str = "") -> QLabel:
    made = QLabel(text)
    made.setWordWrap(wrap)
    if kind:
        made.setProperty("kind", kind)
    return made


class TaskCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.bin = label("bin", wrap=False)
        self.place = label("hint")
        self.product = label("product")
        self.codes = label("hint")
        self.qty = label("qty", wrap=False)
        self.portions = label("subtitle", wrap=False)
        where = QVBoxLayout()
        where.addWidget(label("hint", text="GO TO BIN"))
        where.addWidget(self.bin)
        where.addWidget(self.place)
        where.addSpacing(8)
        where.addWidget(self.product)
        where.addWidget(self.codes)
        where.addStretch(1)
        take = QVBoxLayout()
        take.addWidget(label("hint", text="TAKE"))
        take.addWidget(self.qty, 0, Qt.AlignmentFlag.AlignRight)
        take.addWidget(self.portions, 0, Qt.AlignmentFlag.AlignRight)
        take.addStretch(1)
        grid = QHBoxLayout(self)
        grid.setContentsMargins(28, 20, 28, 20)
        grid.addLayout(where, 3)
        grid.addLayout(take, 1)

    def show_done(self) -> None:
        self.bin.setText("✔ Done")
        self.place.setText("Every item is in its tote (or was short-picked).")
        self.product.setText("Tap Finish walk to mark the orders picked.")
        for part in (self.codes, self.qty, self.portions):
            part.setText("")

    def show_task(self, progress: WalkProgress, index: int) -> None:
        task = progress.walk.tasks[index]
        shelf = task.shelf
        self.bin.setText(shelf.label)
        self.place.setText(
            f"Zone {shelf.zone} · aisle {shelf.aisle} · position {shelf.position}" if shelf.zone else ""
        )
        self.product.setText(task.name)
        codes = ", ".join(task.barcodes) if task.barcodes else "no barcode: count by tap"
        self.codes.setText(f"{task.sku} · {codes}")
        self.qty.setText(f"{progress.remaining(index)}")
        if len(progress.walk.badges) > 1:
            self.portions.setText(
                "\n".join(
                    f"Tote {p.badge}: {progress.picked(index, p.fulfilment_id)} of {p.qty}"
                    for p in task.portions
                )
            )
        else:
            self.portions.setText(f"{progress.picked(index)} of {task.qty} in the tote")
