"""The signature pad: strokes drawn with the mouse become a small PNG the service accepts; a blank
pad has no ink, and clearing it starts over."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from core.domain.pickup import MAX_SIGNATURE_BYTES, check_signature
from ui.signature_pad import SignaturePad


def test_a_drawn_signature_is_a_small_png_and_clear_starts_over(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(600, 200)
    pad.show()
    assert not pad.has_ink
    with qtbot.waitSignal(pad.changed) as inked:
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 100))
        for x in range(40, 560, 20):
            qtbot.mouseMove(pad, QPoint(x, 100 + (x // 20 % 2) * 40))
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(570, 120))
    assert inked.args == [True] and pad.has_ink

    data = pad.png()
    assert check_signature(data) == ("png", data) and len(data) < MAX_SIGNATURE_BYTES // 4
    image = QImage.fromData(data)
    assert image.width() == 600 and image.height() == 200
    inked_pixels = sum(image.pixelColor(x, 100).lightness() < 128 for x in range(40, 560))
    assert inked_pixels > 20  # the stroke is in the picture, not only in the widget

    with qtbot.waitSignal(pad.changed) as cleared:
        pad.clear()
    assert cleared.args == [False] and not pad.has_ink


def test_a_tap_without_a_stroke_is_no_signature(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.show()
    qtbot.mouseClick(pad, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    assert not pad.has_ink
