"""Touch sizes and kinetic scrolling, in one place so every screen feels the same under a finger."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputDevice
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScroller,
    QVBoxLayout,
    QWidget,
)

TARGET = 48  # px: the smallest thing a gloved finger hits reliably
TEXT = 18  # px: body text; never below 16
SPACING = 12  # px between targets, so a finger does not press two


def has_touch_screen() -> bool:
    return any(d.type() == QInputDevice.DeviceType.TouchScreen for d in QInputDevice.devices())


def kinetic(area: QAbstractScrollArea) -> QAbstractScrollArea:
    """Flick-to-scroll on a list or scroll area: touch gestures on a touch screen, else mouse drags."""
    gesture = (
        QScroller.ScrollerGestureType.TouchGesture
        if has_touch_screen()
        else QScroller.ScrollerGestureType.LeftMouseButtonGesture
    )
    QScroller.grabGesture(area.viewport(), gesture)
    return area


def touch_size(widget: QWidget, *, width: int | None = None) -> QWidget:
    """At least a 48 px target (wider when asked)."""
    widget.setMinimumHeight(TARGET)
    widget.setMinimumWidth(max(TARGET, width or 0))
    return widget


def primary_button(text: str, on_click: Callable[[], object], *, width: int | None = None) -> QPushButton:
    """The one action a panel is for: a 48 px target in the theme's primary colour."""
    button = QPushButton(text)
    touch_size(button, width=width)
    button.setProperty("kind", "primary")
    button.clicked.connect(on_click)
    return button


def text_label(text: str = "", kind: str | None = None) -> QLabel:
    """A word-wrapped label styled by its `kind` (the theme's `QLabel[kind=...]` rules)."""
    label = QLabel(text)
    label.setWordWrap(True)
    if kind:
        label.setProperty("kind", kind)
    return label


def row_of(*widgets: QWidget) -> QHBoxLayout:
    """Widgets side by side from the left, spaced for a finger."""
    row = QHBoxLayout()
    row.setSpacing(SPACING)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def button_row(actions: Sequence[tuple[QPushButton, Callable[[], object]]]) -> QHBoxLayout:
    """A panel's buttons side by side, spaced for a finger, left-aligned, each wired to its action."""
    for button, action in actions:
        button.clicked.connect(action)
    return row_of(*(button for button, _action in actions))


def paper_preview(placeholder: str, name: str, width: int, height_per_width: float) -> QLabel:
    """The frame a printed document's preview image is shown in, sized like its paper."""
    preview = QLabel(placeholder)
    preview.setObjectName("LabelPreview")
    preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
    preview.setFixedSize(width + 2, round(width * height_per_width) + 2)
    preview.setAccessibleName(name)
    return preview


class Card(QFrame):
    """A theme `Card` panel; what it holds goes in `column`."""

    def __init__(self, spacing: int = SPACING, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(20, 14, 20, 14)
        self.column.setSpacing(spacing)


def card(spacing: int = SPACING) -> tuple[QFrame, QVBoxLayout]:
    """A `Card` and its column, for screens that build a panel in place."""
    panel = Card(spacing)
    return panel, panel.column
