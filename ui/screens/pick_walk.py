"""The pick walk: the next task big (bin, product, quantity, tote badges), confirmed by scanning.

A scan is matched in memory (`core.domain.pick_progress.WalkProgress`) and answered at once with
colour, glyph, words and sound; a wrong item records nothing. Items without a barcode get a
counted tap unless the store forbids taps. The short-pick panel replaces the task in the same
window. Finishing hands the tote contents to the screen that owns the walk, which writes them.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.domain.pick_progress import ScanVerdict, WalkProgress
from core.domain.picking import PickWalk
from ui.ops import OpRunner
from ui.pick_ports import PickServices
from ui.scan_panel import GLYPHS, ManualEntry, ScanAnswer, ScanBanner
from ui.screens.pick_model import if_alive, ignore_error
from ui.screens.pick_short import ShortPickPanel
from ui.screens.pick_task import TaskCard, label
from ui.sounds import ScanSounds
from ui.theme import repolish
from ui.touch import SPACING, touch_size

LEAVE_CONFIRM_MS = 4000


class PickWalkScreen(QWidget):
    """`finish_requested(picked)` (fulfilment → SKU → units); `leave_requested()` to abandon."""

    finish_requested = Signal(dict)
    leave_requested = Signal()
    unit_counted = Signal(str, str, int)  # fulfilment, SKU, units now in its tote: saved in the background

    def __init__(
        self, ops: OpRunner, services: PickServices, sounds: ScanSounds | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops, self._services = ops, services
        self.progress: WalkProgress | None = None
        self._lookups = 0
        self.heading = label("title", wrap=False)
        self.heading.setText("Pick walk")
        self.counter = label("hint", wrap=False)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.totes = label("hint")
        self.leave_button = touch_size(QPushButton("Leave walk"), width=160)
        self.leave_button.clicked.connect(self._leave)
        self._leave_armed = QTimer(self)
        self._leave_armed.setSingleShot(True)
        self._leave_armed.setInterval(LEAVE_CONFIRM_MS)
        self._leave_armed.timeout.connect(lambda: self.leave_button.setText("Leave walk"))

        self.card = TaskCard()
        card = self.card
        self.bin, self.qty, self.portions, self.product = card.bin, card.qty, card.portions, card.product
        self.next_up = label("hint")

        self.banner = ScanBanner(sounds)
        self.entry = ManualEntry("Type the barcode if the label will not scan")
        self.entry.submitted.connect(lambda code: self.handle_scan(code, None))
        self.tap_button = touch_size(QPushButton("Count 1 (no barcode)"), width=240)
        self.tap_button.clicked.connect(self.tap)
        self.short_button = touch_size(QPushButton("Short pick…"), width=180)
        self.short_button.clicked.connect(self.open_short)
        self.finish_button = touch_size(QPushButton("Finish walk"), width=200)
        self.finish_button.setProperty("kind", "primary")
        self.finish_button.clicked.connect(self._finish)

        task_page = QWidget()
        task_layout = QVBoxLayout(task_page)
        task_layout.setContentsMargins(0, 0, 0, 0)
        task_layout.setSpacing(SPACING)
        task_layout.addWidget(card, 1)
        task_layout.addWidget(self.next_up)
        task_layout.addWidget(self.banner)
        task_layout.addWidget(self.entry)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING)
        buttons.addWidget(self.tap_button)
        buttons.addWidget(self.short_button)
        buttons.addStretch(1)
        buttons.addWidget(self.finish_button)
        task_layout.addLayout(buttons)
        self.short_panel = ShortPickPanel(ops, services)
        self.short_panel.closed.connect(self.close_short)
        self.pages = QStackedWidget()
        self.pages.addWidget(task_page)
        self.pages.addWidget(self.short_panel)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.counter, 1)
        top.addWidget(self.leave_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        layout.addWidget(self.totes)
        layout.addWidget(self.pages, 1)

    # ------------------------------------------------------------------ showing
    def load(self, walk: PickWalk) -> None:
        self.progress = WalkProgress(walk)
        self.pages.setCurrentIndex(0)
        self.leave_button.setText("Leave walk")
        if len(walk.badges) > 1:
            self.totes.setText(
                "Totes: " + " · ".join(f"{badge} = order {order}" for _f, order, badge in walk.badges)
            )
        else:
            self.totes.setText(f"Order {walk.badges[0][1]}")
        carried = self.progress.units_done
        resumed = (
            f"Carrying on: {carried} unit{'s' if carried != 1 else ''} already in the totes. "
            if carried
            else ""
        )
        self._idle(walk.note or f"{resumed}Scan each item as you take it.")
        self.refresh()

    def _idle(self, text: str) -> None:
        """Ready for a scan, silently (an answer's sound is for answers only)."""
        self.banner.setProperty("outcome", "idle")
        self.banner.glyph.setText(GLYPHS["idle"])
        self.banner.text.setText(text)
        for widget in (self.banner, self.banner.glyph, self.banner.text):
            repolish(widget)

    @property
    def short_open(self) -> bool:
        return self.pages.currentWidget() is self.short_panel

    def refresh(self) -> None:
        progress = self.progress
        if progress is None:
            return
        tasks = progress.walk.tasks
        self.bar.setRange(0, max(progress.units_total, 1))
        self.bar.setValue(progress.units_done)
        index = progress.current
        self.finish_button.setEnabled(index is None)
        self.short_button.setEnabled(index is not None)
        if index is None:
            self.counter.setText(
                f"All {len(tasks)} tasks done · {progress.units_done} of {progress.units_total} units"
            )
            self.card.show_done()
            self.next_up.setText("")
            self.tap_button.hide()
            return
        task = tasks[index]
        self.counter.setText(
            f"Task {index + 1} of {len(tasks)} · {progress.units_done} of {progress.units_total} units"
        )
        self.card.show_task(progress, index)
        later = next((tasks[i] for i in range(index + 1, len(tasks)) if progress.remaining(i) > 0), None)
        self.next_up.setText(
            f"Next: bin {later.shelf.label}, {later.name} × {later.qty}"
            if later
            else "This is the last task."
        )
        self.tap_button.setVisible(not task.barcodes)
        self.tap_button.setEnabled(progress.walk.taps_allowed)
        self.tap_button.setToolTip(
            "" if progress.walk.taps_allowed else "This store does not allow confirming by tap."
        )

    # ------------------------------------------------------------------ acting
    def handle_scan(self, code: str, _suffix: str | None) -> None:
        """Answer at once from memory; only a code that is not in the walk asks the database its name."""
        if self.progress is None:
            return
        index = self.progress.current
        if self.short_open:
            if index is not None and code in self.progress.walk.tasks[index].barcodes:
                self.close_short()  # found it after all: the scan counts
            else:
                self.banner.show_answer(ScanAnswer("warn", "Finish or cancel the short pick first."))
                return
        verdict = self.progress.scan(code)
        self._answer(verdict)
        if verdict.outcome == "error" and not any(code in t.barcodes for t in self.progress.walk.tasks):
            self._name_unknown(code, verdict)

    def tap(self) -> None:
        if self.progress is not None:
            self._answer(self.progress.tap())

    def _answer(self, verdict: ScanVerdict) -> None:
        self.banner.show_answer(ScanAnswer(verdict.outcome, verdict.text))
        self.refresh()
        portion, progress = verdict.portion, self.progress
        if portion is not None and progress is not None:
            sku = next(t.sku for t in progress.walk.tasks if portion in t.portions)
            self.unit_counted.emit(
                portion.fulfilment_id, sku, progress.picked_units(portion.fulfilment_id)[sku]
            )

    def _name_unknown(self, code: str, verdict: ScanVerdict) -> None:
        self._lookups += 1
        asked = self._lookups

        def named(name: str | None) -> None:
            if asked == self._lookups and self.banner.text.text() == verdict.text and name:
                self.banner.text.setText(verdict.text.replace(f"{code} is not", f"{code} ({name}) is not", 1))

        self._ops.run(self._services.product_name(code), if_alive(self, named), ignore_error)

    def open_short(self) -> None:
        progress = self.progress
        if progress is None or progress.current is None:
            return
        index = progress.current
        task = progress.walk.tasks[index]
        self.short_panel.open(task, progress.remaining(index), lambda qty: progress.short_lines(index, qty))
        self.pages.setCurrentWidget(self.short_panel)

    def close_short(self) -> None:
        self.pages.setCurrentIndex(0)
        self.refresh()

    def short_recorded(self, lines: list, rejected: tuple[str, ...], effects: tuple[str, ...]) -> None:
        """The service confirmed the short pick: those units are off the walk."""
        progress = self.progress
        if progress is None or progress.current is None:
            return
        progress.record_short(progress.current, lines)
        for fid in rejected:
            progress.drop_fulfilment(fid)
        self.close_short()
        units = sum(line.qty for line in lines)
        self.banner.show_answer(
            ScanAnswer(
                "warn",
                f"{units} unit{'s' if units != 1 else ''} short-picked; the hub will re-route "
                + ("it. " if units == 1 else "them. ")
                + " ".join(effects[-1:]),
            )
        )

    def _finish(self) -> None:
        if self.progress is not None and self.progress.finished:
            self.finish_button.setEnabled(False)
            done = self.progress.complete_fulfilments()
            self.finish_requested.emit({fid: self.progress.picked_units(fid) for fid in done})

    def _leave(self) -> None:
        if self._leave_armed.isActive():
            self._leave_armed.stop()
            self.leave_button.setText("Leave walk")
            self.leave_requested.emit()
            return
        self.leave_button.setText("Tap again to leave")
        self._leave_armed.start()
