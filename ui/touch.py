"""Touch sizes and kinetic scrolling, in one place so every screen feels the same under a finger."""

from __future__ import annotations

from PySide6.QtGui import QInputDevice
from PySide6.QtWidgets import QAbstractScrollArea, QScroller, QWidget

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
