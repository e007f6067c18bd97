"""The pick queue as a Qt list model that fetches its rows page by page through the op runner.

Like Anki's browser table (`aqt/browser/table/model.py`), the model never holds the whole queue:
it holds the rows fetched so far, and `fetchMore` (called by the view as the associate scrolls
near the end) asks the database thread for the next page. Filtering and sorting are SQL
(`core.services.pick_queue`); a new filter resets the model and fetches page one. Answers that
arrive after a newer filter was set are dropped by generation number, so a slow page can never
land in the wrong list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from core.domain.picking import MAX_PAGE_ROWS, PAGE_SIZE, QueuePage, QueueQuery, QueueRow
from ui.ops import OpRunner, person_message
from ui.pick_ports import PickServices

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


def if_alive(owner: Any, handler: Callable[[T], None]) -> Callable[[T], None]:
    """An answer for `owner` that is dropped if `owner` was deleted while the operation ran
    (the window closed, a test ended): the op runner outlives the widgets that asked."""

    def deliver(value: T) -> None:
        if shiboken6.isValid(owner):
            handler(value)

    return deliver


def ignore_error(_exc: BaseException) -> None:
    """For background reads (polls, name look-ups) whose failure the next poll repairs."""


def row_text(row: QueueRow) -> str:
    """The card in words (what a screen reader says, and what `DisplayRole` returns)."""
    method = "Pickup" if row.method == "pickup" else "Ship"
    items = f"{row.units} item{'s' if row.units != 1 else ''}"
    return f"Order {row.order_id}, {row.customer}, {method}, {items}"


class QueueModel(QAbstractListModel):
    """Rows of the pick queue; `loaded(total)` after each page, `failed(message)` on an error."""

    loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, ops: OpRunner, services: PickServices, parent: Any = None) -> None:
        super().__init__(parent)
        self._ops, self._services = ops, services
        self._rows: list[QueueRow] = []
        self.total = 0
        self.query = QueueQuery()
        self._generation = 0
        self._loading = False
        self._refresh_wanted = False  # a refresh asked for while a page was on its way
        self._known = False  # the first page of the current query has answered

    # ------------------------------------------------------------------ Qt's side
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.rerouted or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._known and not self._loading and len(self._rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        self._ask(QueueQuery(self.query.text, self.query.method, len(self._rows), PAGE_SIZE), self._append)

    # ------------------------------------------------------------------ ours
    @property
    def loading(self) -> bool:
        return self._loading

    def row(self, number: int) -> QueueRow:
        return self._rows[number]

    def ids(self) -> list[str]:
        return [r.fulfilment_id for r in self._rows]

    def set_filter(self, text: str, method: str | None) -> None:
        """A new question: empty the list at once and fetch the first page of the answer."""
        self.query = QueueQuery(text.strip(), method)
        self._generation += 1
        self.beginResetModel()
        self._rows, self.total, self._known, self._loading = [], 0, False, False
        self._refresh_wanted = False
        self.endResetModel()
        self._ask(QueueQuery(self.query.text, self.query.method, 0, PAGE_SIZE), self._append)

    def refresh(self) -> None:
        """Read again what is on screen (after a walk, a short pick or a sync), as one page."""
        if self._loading:
            self._refresh_wanted = True  # after the page on its way, not instead of it
            return
        self._refresh_wanted = False
        rows = min(max(len(self._rows), PAGE_SIZE), MAX_PAGE_ROWS)
        self._ask(QueueQuery(self.query.text, self.query.method, 0, rows), self._replace)

    def _ask(self, query: QueueQuery, then: Any) -> None:
        generation = self._generation
        self._loading = True

        def done(page: QueuePage) -> None:
            if generation == self._generation:
                self._loading = False
                then(page)
                if self._refresh_wanted:
                    self.refresh()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._loading = False
                self.failed.emit(person_message(exc))

        self._ops.run(self._services.queue_page(query), if_alive(self, done), if_alive(self, failed))

    def _append(self, page: QueuePage) -> None:
        self._known = True
        self.total = page.total
        known = set(self.ids())  # rows may have moved up a page since: never show one twice
        fresh = [r for r in page.rows if r.fulfilment_id not in known]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        self.loaded.emit(self.total)

    def _replace(self, page: QueuePage) -> None:
        self._generation += 1  # an append still on its way was for the old rows
        self.beginResetModel()
        self._rows, self.total, self._known = list(page.rows), page.total, True
        self.endResetModel()
        self.loaded.emit(self.total)
