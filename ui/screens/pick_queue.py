"""The pick queue: cards by promise time, a search, Ship/Pickup, the why panel, and Start.

Tap cards to choose them (a tick appears); one chosen order is a single pick, several are a batch
walked together. The list is a `QListView` over `QueueModel` (pages fetched as it scrolls) with a
painted `CardDelegate`, flicked with `QScroller`; the search waits for a pause in typing, then the
model asks SQL again. Nothing here waits for the database.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.domain.picking import FulfilmentDetail
from ui.ops import OpRunner, person_message
from ui.pick_ports import PickServices
from ui.screens.pick_card import CardDelegate, ChoiceButton, CountdownTicker
from ui.screens.pick_model import QueueModel, if_alive
from ui.screens.pick_why import WhyPanel
from ui.theme import repolish
from ui.touch import SPACING, kinetic, touch_size

SEARCH_PAUSE_MS = 250
METHOD_CHOICES = (("All", None), ("Ship", "ship"), ("Pickup", "pickup"))


class PickQueue(QWidget):
    """Emits `start_requested(ids)` with the chosen fulfilments, earliest promise first."""

    start_requested = Signal(list)

    def __init__(self, ops: OpRunner, services: PickServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops, self._services = ops, services
        self._detail_asked = 0
        self._restore: list[str] = []
        self.model = QueueModel(ops, services, self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self.show_error)
        self.model.modelReset.connect(self._selection_changed)

        heading = QLabel("Pick")
        heading.setProperty("kind", "title")
        self.summary = QLabel("Loading the orders to pick…")
        self.summary.setProperty("kind", "hint")
        self.error = QLabel("")
        self.error.setProperty("kind", "error")
        self.error.setWordWrap(True)
        self.error.hide()

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search order number or customer")
        self.search.setClearButtonEnabled(True)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._pause.start())
        self.method_group = QButtonGroup(self)
        self.method_buttons: dict[str | None, QPushButton] = {}
        filters = QHBoxLayout()
        filters.setSpacing(SPACING)
        filters.addWidget(self.search, 1)
        for label, method in METHOD_CHOICES:
            button = ChoiceButton(label)
            button.setChecked(method is None)
            button.clicked.connect(lambda _=False: self.apply_filter())
            self.method_group.addButton(button)
            self.method_buttons[method] = button
            filters.addWidget(button)

        self.view = QListView()
        self.view.setObjectName("PickQueueView")
        self.view.setModel(self.model)
        self.delegate = CardDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        kinetic(self.view)
        self.ticker = CountdownTicker(self.view)
        self.why = WhyPanel()

        self.clear_button = touch_size(QPushButton("Clear"), width=120)
        self.clear_button.clicked.connect(self.view.clearSelection)
        self.start_button = touch_size(QPushButton("Choose orders to pick"), width=300)
        self.start_button.setProperty("kind", "primary")
        self.start_button.clicked.connect(self._start)

        body = QHBoxLayout()
        body.setSpacing(SPACING)
        body.addWidget(self.view, 3)
        body.addWidget(self.why, 2)
        actions = QHBoxLayout()
        actions.setSpacing(SPACING)
        actions.addWidget(self.summary, 1)
        actions.addWidget(self.clear_button)
        actions.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(heading)
        layout.addWidget(self.error)
        layout.addLayout(filters)
        layout.addLayout(body, 1)
        layout.addLayout(actions)
        self._selection_changed()

    # ------------------------------------------------------------------ loading
    @property
    def method(self) -> str | None:
        return next((m for m, b in self.method_buttons.items() if b.isChecked()), None)

    def apply_filter(self) -> None:
        self._pause.stop()
        self.model.set_filter(self.search.text(), self.method)

    def choose_method(self, method: str | None) -> None:
        self.method_buttons[method].setChecked(True)
        self.apply_filter()

    def refresh(self) -> None:
        """Read the queue again, keeping the chosen cards that are still there."""
        self._restore = self.chosen_ids()
        self.model.refresh()

    def _loaded(self, total: int) -> None:
        self.show_error("")
        filtered = bool(self.model.query.text or self.model.query.method)
        if total == 0:
            self.summary.setText(
                "No order matches."
                if filtered
                else "Nothing to pick. New orders appear here as the hub sends them."
            )
        else:
            self.summary.setText(
                f"{total:,} order{'s' if total != 1 else ''} to pick" + (" (filtered)" if filtered else "")
            )
        restore, self._restore = self._restore, []
        present = set(self.model.ids())
        self.choose(*(fid for fid in restore if fid in present))
        self._selection_changed()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # ------------------------------------------------------------------ choosing
    def chosen_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.row(r).fulfilment_id for r in rows if r < self.model.rowCount()]

    def choose(self, *fulfilment_ids: str) -> None:
        """Tick these cards (as taps would); the last one becomes the one shown in the why panel."""
        ids = self.model.ids()
        for fid in fulfilment_ids:
            index = self.model.index(ids.index(fid))
            self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.Select)

    def _selection_changed(self) -> None:
        n = len(self.view.selectionModel().selectedRows()) if self.view.selectionModel() else 0
        self.start_button.setEnabled(n > 0)
        self.clear_button.setEnabled(n > 0)
        self.start_button.setText(
            "Choose orders to pick"
            if n == 0
            else "Start picking (1 order)"
            if n == 1
            else f"Start batch ({n} orders)"
        )
        repolish(self.start_button)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        fid = self.model.row(current.row()).fulfilment_id
        self._detail_asked += 1
        asked = self._detail_asked
        self.why.show_message("Loading…")

        def show(detail: FulfilmentDetail) -> None:
            if asked == self._detail_asked:
                self.why.show_detail(detail)

        def failed(exc: BaseException) -> None:
            if asked == self._detail_asked:
                self.why.show_message(person_message(exc))

        self._ops.run(self._services.detail(fid), if_alive(self, show), if_alive(self, failed))

    def _start(self) -> None:
        ids = self.chosen_ids()
        if ids:
            self.start_requested.emit(ids)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.ticker.timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        self.ticker.timer.stop()
        super().hideEvent(event)
