"""Who may take the order: the pickup code on a keypad, or a photo ID (the customer's or a named
proxy's), and the manager's unlock after five wrong codes.

Display and input only: the screen (`ui.screens.pickup`) runs the checks as operations, and the
services count wrong codes and lock the pickup whatever this panel does. The ID check asks for the
ID's type and its last four characters only; the field takes no more, because the full number is
never recorded.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from core.domain.pickup import CODE_DIGITS, IdType
from ui.pickup_ports import IdCheck
from ui.touch import SPACING, card, primary_button, text_label, touch_size

ID_TYPES = {
    IdType.DRIVER_LICENCE: "Driver's licence",
    IdType.STATE_ID: "State ID",
    IdType.PASSPORT: "Passport",
    IdType.OTHER: "Other photo ID",
}


def _field(placeholder: str, *, max_length: int = 120) -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setMaxLength(max_length)
    field.setMinimumHeight(48)
    return field


class Keypad(QWidget):
    """Digits, delete and one action key, typing into `target` (the keyboard works too)."""

    def __init__(self, target: QLineEdit, action: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0"]):
            button = touch_size(QPushButton(key))
            button.setObjectName("PadKey")  # smaller than the sign-in keypad: it shares the panel
            button.setMinimumHeight(48)
            button.setAccessibleName("delete" if key == "⌫" else key)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
        grid.addWidget(action, 3, 2)

    def press(self, key: str) -> None:
        text = self.target.text()
        self.target.setText(text[:-1] if key == "⌫" else text + key)


class VerifyPanel(QWidget):
    """Emits `code_entered(code)`, `id_checked(IdCheck)`, `proxy_named(name)` and `reissue()`."""

    code_entered = Signal(str)
    id_checked = Signal(object)
    proxy_named = Signal(str)
    reissue = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        code_card, code_box = card()
        self.reissue_button = touch_size(QPushButton("Send a new code"))
        self.reissue_button.setAccessibleName("The customer lost the code: e-mail a new code and QR code")
        heading = QHBoxLayout()
        heading.setSpacing(SPACING)
        heading.addWidget(text_label("Pickup code", "subtitle"), 1)
        heading.addWidget(self.reissue_button)
        code_box.addLayout(heading)
        self.attempts = text_label("", "hint")
        self.code = _field("6 digits", max_length=CODE_DIGITS + 2)
        self.code.setObjectName("PinField")
        self.code.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.code.returnPressed.connect(self._submit_code)
        self.code_button = primary_button("Verify", self._submit_code)
        code_box.addWidget(self.code)
        code_box.addWidget(Keypad(self.code, self.code_button))
        code_box.addWidget(self.attempts)
        code_box.addStretch(1)
        self.reissue_button.clicked.connect(self.reissue)

        id_card, id_box = card()
        id_box.addWidget(text_label("Or check a photo ID", "subtitle"))
        self.id_group = QButtonGroup(self)
        self.id_group.setExclusive(True)
        types = QGridLayout()
        types.setSpacing(8)
        self.id_buttons: dict[str, QPushButton] = {}
        for i, (kind, text) in enumerate(ID_TYPES.items()):
            button = touch_size(QPushButton(text))
            button.setCheckable(True)
            self.id_group.addButton(button)
            self.id_buttons[kind.value] = button
            types.addWidget(button, i // 2, i % 2)
        self.id_buttons[IdType.DRIVER_LICENCE.value].setChecked(True)
        id_box.addLayout(types)
        self.last4 = _field("Last 4 characters of the ID number", max_length=4)
        self.holder = _field("Name on the ID")
        self.proxy = touch_size(QPushButton("The named proxy is collecting"))
        self.proxy.setCheckable(True)
        self.id_button = primary_button("Check ID", self._submit_id, width=160)
        id_box.addWidget(self.last4)
        id_box.addWidget(self.holder)
        row = QHBoxLayout()
        row.setSpacing(SPACING)
        row.addWidget(self.proxy, 1)
        row.addWidget(self.id_button)
        id_box.addLayout(row)
        id_box.addWidget(text_label("Someone the customer sends to collect:", "hint"))
        self.proxy_field = _field("Their full name (they show their own photo ID)")
        self.proxy_button = touch_size(QPushButton("Name proxy"), width=160)
        self.proxy_button.clicked.connect(lambda: self.proxy_named.emit(self.proxy_field.text().strip()))
        proxy_row = QHBoxLayout()
        proxy_row.setSpacing(SPACING)
        proxy_row.addWidget(self.proxy_field, 1)
        proxy_row.addWidget(self.proxy_button)
        id_box.addLayout(proxy_row)
        id_box.addStretch(1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING * 2)
        layout.addWidget(code_card, 2)
        layout.addWidget(id_card, 3)

    def reset(self, attempts_left: int, proxy_name: str) -> None:
        self.code.clear()
        self.last4.clear()
        self.holder.clear()
        self.proxy.setChecked(False)
        self.proxy_field.setText(proxy_name)
        self.set_attempts(attempts_left)

    def set_attempts(self, left: int) -> None:
        self.attempts.setText(f"{left} attempt{'s' if left != 1 else ''} left before the order locks")

    def choose_id_type(self, kind: str) -> None:
        self.id_buttons[kind].setChecked(True)

    def _submit_code(self) -> None:
        code = self.code.text().strip()
        self.code.clear()
        self.code_entered.emit(code)

    def _submit_id(self) -> None:
        kind = next((k for k, b in self.id_buttons.items() if b.isChecked()), IdType.OTHER.value)
        check = IdCheck(kind, self.last4.text().strip(), self.holder.text().strip(), self.proxy.isChecked())
        self.id_checked.emit(check)


class UnlockPanel(QWidget):
    """After five wrong codes: a manager types their id and PIN. Emits `unlock(manager_id, pin)`."""

    unlock = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        panel, box = card()
        box.addWidget(text_label("Locked: five wrong codes", "subtitle"))
        box.addWidget(
            text_label(
                "Nobody can verify this order until a manager unlocks it. Ask a manager to type "
                "their id and PIN here (a wrong PIN counts toward the manager's own lockout).",
            )
        )
        self.manager = _field("Manager id", max_length=16)
        self.pin = _field("PIN", max_length=8)
        self.pin.setObjectName("PinField")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.returnPressed.connect(self._submit)
        self.button = primary_button("Unlock", self._submit)
        box.addWidget(self.manager)
        box.addWidget(self.pin)
        box.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING * 2)
        layout.addWidget(panel, 3)
        pad_card, pad_box = card()
        pad_box.addWidget(Keypad(self.pin, self.button))
        pad_box.addStretch(1)
        layout.addWidget(pad_card, 2)

    def reset(self) -> None:
        self.manager.clear()
        self.pin.clear()

    def _submit(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        self.unlock.emit(self.manager.text().strip(), pin)
