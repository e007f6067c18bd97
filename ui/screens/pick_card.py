"""One pick-queue card, painted by a delegate, with its SLA countdown.

A painted card (rather than a widget per row) keeps a 100,000-row queue cheap: only the handful
of cards on screen are ever drawn, and the countdown is one timer for the whole view that repaints
the viewport (`CountdownTicker`), not a timer per card. Every state is said in words as well as
colour: "Overdue 12 min", "Due in 40 min", a tick glyph on cards chosen for the batch.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from core.domain.inventory import utc_now
from core.domain.picking import QueueRow
from ui.screens.pick_model import ROW_ROLE

CARD_HEIGHT = 118  # px, with the gap: well over the 48 px target
GAP = 10
SOON_MINUTES = 60
# (card, border, text, hint, primary, chosen background, ok, warn text, warn bg, error text, error bg)
PALETTES = {
    "light": (
        "#ffffff",
        "#c9ced8",
        "#1b2230",
        "#5a6374",
        "#1f5fbf",
        "#e8f0fd",
        "#17692f",
        "#7a4f00",
        "#fff0d1",
        "#a3221a",
        "#fbe3e1",
    ),
    "dark": (
        "#1e232b",
        "#3a424f",
        "#e9ecf1",
        "#a1aab8",
        "#4f8ff0",
        "#1d2b42",
        "#8fe0a8",
        "#ffd37a",
        "#3b2c08",
        "#ffb4ab",
        "#45191a",
    ),
}


def _span(minutes: int) -> str:
    hours, mins = divmod(abs(minutes), 60)
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return f"{days} d {hours} h"
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def sla_text(promise_by: datetime | None, now: datetime) -> tuple[str, str]:
    """(tone, words) for a promise: `late`, `soon` (under an hour, with seconds) or `ok`."""
    if promise_by is None:
        return "ok", "No promise time"
    seconds = int((promise_by - now).total_seconds())
    if seconds < 0:
        return "late", f"Overdue {_span(-seconds // 60)}"
    if seconds < SOON_MINUTES * 60:
        return "soon", f"Due in {seconds // 60}:{seconds % 60:02d}"
    return "ok", f"Due in {_span(seconds // 60)}"


class ChoiceButton(QPushButton):
    """A checkable 48 px button wide enough for its label in bold (the checked look), so choosing
    it never clips the words ("Not found" must not become "ot foun")."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setCheckable(True)
        self.setMinimumHeight(48)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        bold = QFont(self.font())
        bold.setBold(True)
        extra = QFontMetrics(bold).horizontalAdvance(self.text()) - QFontMetrics(
            self.font()
        ).horizontalAdvance(self.text())
        return QSize(hint.width() + max(extra, 0) + 8, max(hint.height(), 48))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()


class CountdownTicker(QObject):
    """One timer for the view: repaint the visible cards every second so their countdowns move."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view
        self.ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        self.ticks += 1
        self.view.viewport().update()


class CardDelegate(QStyledItemDelegate):
    """Paints a `QueueRow` as a card: order and customer, countdown, method and size, re-route note."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.colours = [QColor(c) for c in PALETTES["light"]]
        self.now = utc_now  # replaceable in screenshots and tests

    def set_theme(self, name: str) -> None:
        self.colours = [QColor(c) for c in PALETTES.get(name, PALETTES["light"])]

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        return QSize(option.rect.width() or 400, CARD_HEIGHT)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        row = index.data(ROW_ROLE)
        if not isinstance(row, QueueRow):
            return
        card, border, text, hint, primary, chosen_bg, _ok, warn, warn_bg, error, error_bg = self.colours
        chosen = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = option.rect.adjusted(4, GAP // 2, -4, -GAP // 2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(primary if chosen else border, 3 if chosen else 1))
        painter.setBrush(chosen_bg if chosen else card)
        painter.drawRoundedRect(rect, 12, 12)

        # The batch tick: a circle, filled with a tick when the card is chosen.
        box = QRect(rect.left() + 16, rect.top() + (rect.height() - 36) // 2, 36, 36)
        painter.setPen(QPen(primary if chosen else border, 2))
        painter.setBrush(primary if chosen else card)
        painter.drawEllipse(box)
        if chosen:
            painter.setPen(QColor(card))
            painter.setFont(_font(22, bold=True))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "✔")

        left = box.right() + 16
        tone, due = sla_text(row.promise_by, self.now())
        pill_font = _font(17, bold=True)
        pill_w = QFontMetrics(pill_font).horizontalAdvance(due) + 28
        pill = QRect(rect.right() - pill_w - 14, rect.top() + 12, pill_w, 32)
        fg, bg = {"late": (error, error_bg), "soon": (warn, warn_bg)}.get(tone, (hint, card))

        top = rect.top() + (6 if row.rerouted else 18)  # two lines sit in the middle, three fill the card
        pill.moveTop(top + 2)
        title_font = _font(21, bold=True)
        title = QRect(left, top, pill.left() - left - 12, 34)
        painter.setPen(QPen(fg, 1))
        painter.setBrush(bg)
        painter.drawRoundedRect(pill, 16, 16)
        painter.setFont(pill_font)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, due)
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(
            title,
            Qt.AlignmentFlag.AlignVCenter,
            _elide(f"{row.order_id} · {row.customer}", title_font, title.width()),
        )

        method = "Pickup in store" if row.method == "pickup" else "Ship"
        size = f"{row.units} item{'s' if row.units != 1 else ''} · {row.lines} line{'s' if row.lines != 1 else ''}"
        state = " · Picking started" if row.state == "picking" else ""
        painter.setFont(_font(17))
        painter.setPen(hint)
        second = QRect(left, top + 36, rect.right() - left - 14, 28)
        painter.drawText(second, Qt.AlignmentFlag.AlignVCenter, f"{method} · {size}{state}")
        if row.rerouted:
            painter.setPen(warn)
            third = QRect(left, top + 64, rect.right() - left - 14, 28)
            painter.drawText(
                third, Qt.AlignmentFlag.AlignVCenter, _elide("↪ " + row.rerouted, _font(17), third.width())
            )
        painter.restore()


def _font(pixels: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _elide(text: str, font: QFont, width: int) -> str:
    return QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, max(width, 10))
