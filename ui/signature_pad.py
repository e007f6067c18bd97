"""A signature drawn with a finger (or a mouse) and handed over as a small PNG.

The customer signs on the tablet at the counter. Strokes are kept as lists of points, painted with
round caps as they arrive, and rendered into a 1-bit-looking greyscale PNG only when asked: a
600 x 200 signature compresses to a few kilobytes, well under the 64 KiB the service keeps. Touch
events are taken as well as mouse events, so a tablet without mouse emulation still draws.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor("#14213d")
PAPER = QColor("#ffffff")
PEN_WIDTH = 3.0
MIN_STROKE = 12.0  # px a stroke must travel to count as ink


class SignaturePad(QWidget):
    """Emits `changed(has_ink)` after each stroke and after `clear()`."""

    changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[list[QPointF]] = []
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setMinimumSize(QSize(360, 160))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Signature: sign here with a finger")
        self.setCursor(Qt.CursorShape.CrossCursor)

    @property
    def has_ink(self) -> bool:
        """A stroke that moved: a tap (or a finger resting) leaves a dot, which is no signature."""
        return any(
            max(abs(p.x() - stroke[0].x()) + abs(p.y() - stroke[0].y()) for p in stroke) >= MIN_STROKE
            for stroke in self.strokes
        )

    def clear(self) -> None:
        self.strokes = []
        self.update()
        self.changed.emit(False)

    # ------------------------------------------------------------------ input

    def _begin(self, point: QPointF) -> None:
        self.strokes.append([point])

    def _extend(self, point: QPointF) -> None:
        if self.strokes:
            self.strokes[-1].append(point)
            self.update()

    def _end(self) -> None:
        self.changed.emit(self.has_ink)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position())
            self._end()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            points = event.points()  # type: ignore[attr-defined]
            if points:
                where = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(where)
                else:
                    self._extend(where)
                if kind == QEvent.Type.TouchEnd:
                    self._end()
            event.accept()
            return True
        return super().event(event)

    # ------------------------------------------------------------------ painting

    def _paint(self, painter: QPainter, scale: float = 1.0) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(INK, PEN_WIDTH * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self.strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0] * scale)
                continue
            path = QPainterPath(stroke[0] * scale)
            for point in stroke[1:]:
                path.lineTo(point * scale)
            painter.drawPath(path)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), PAPER)
        painter.setPen(QPen(QColor("#9aa3b2"), 1, Qt.PenStyle.DashLine))
        baseline = self.height() - 40
        painter.drawLine(24, baseline, self.width() - 24, baseline)
        if not self.strokes:
            painter.setPen(QColor("#5a6374"))
            painter.drawText(
                QRectF(0, 0, self.width(), baseline - 8),
                Qt.AlignmentFlag.AlignCenter,
                "Sign here with your finger",
            )
        self._paint(painter)
        painter.end()

    def png(self, width: int = 600) -> bytes:
        """The signature as PNG bytes, `width` pixels wide (greyscale: a few kilobytes)."""
        scale = width / max(1, self.width())
        image = QImage(width, max(1, round(self.height() * scale)), QImage.Format.Format_Grayscale8)
        image.fill(PAPER)
        painter = QPainter(image)
        self._paint(painter, scale)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())
