"""Sign-in: tap your name, type your PIN on a big keypad (or the keyboard), and you are in.

The PIN check runs on the database thread (scrypt takes ~50 ms on purpose), so the keypad stays
live. Wrong PINs and lockouts are answered in words on the screen; the counting and the audit
entry happen in the service, whatever this screen does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.domain.associates import AssociateCard, Role, SignInOutcome
from ui.ops import OpRunner, person_message
from ui.ports import StoreServices
from ui.touch import SPACING, kinetic, touch_size


class SignInScreen(QWidget):
    """Emits `signed_in` with the person once their PIN is right."""

    signed_in = Signal(object)  # SignedIn
    tiles_shown = Signal()  # the people's tiles are laid out (the end of a cold start)

    def __init__(self, ops: OpRunner, services: StoreServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops, self._services = ops, services
        self.cards: list[AssociateCard] = []
        self.selected: AssociateCard | None = None
        self.busy = False

        title = QLabel("Who is working?")
        title.setProperty("kind", "title")
        self.tiles = QButtonGroup(self)
        self.tiles.setExclusive(True)
        self._tile_box = QVBoxLayout()
        self._tile_box.setSpacing(SPACING)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 8, 0)
        holder_layout.addLayout(self._tile_box)
        holder_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(holder)
        kinetic(self.scroll)

        left = QVBoxLayout()
        left.addWidget(title)
        left.addWidget(self.scroll, 1)

        self.prompt = QLabel("Tap your name.")
        self.prompt.setProperty("kind", "subtitle")
        self.pin = QLineEdit()
        self.pin.setObjectName("PinField")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setPlaceholderText("PIN")
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.pin.returnPressed.connect(self.submit)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setProperty("kind", "error")
        self.sign_in_button = touch_size(QPushButton("Sign in"), width=240)
        self.sign_in_button.setProperty("kind", "primary")
        self.sign_in_button.clicked.connect(self.submit)

        pad = QGridLayout()
        pad.setSpacing(SPACING)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "⌫"]
        for i, key in enumerate(keys):
            button = QPushButton(key)
            button.setObjectName("PinKey")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep focus (and the keyboard) on the field
            button.setAccessibleName({"⌫": "Delete last digit"}.get(key, key))
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            pad.addWidget(button, i // 3, i % 3)

        right_card = QFrame()
        right_card.setObjectName("Card")
        right = QVBoxLayout(right_card)
        right.setContentsMargins(24, 20, 24, 20)
        right.setSpacing(14)
        right.addWidget(self.prompt)
        right.addWidget(self.pin)
        right.addLayout(pad)
        right.addWidget(self.sign_in_button)
        right.addWidget(self.message)
        right.addStretch(1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(24)
        layout.addLayout(left, 3)
        layout.addWidget(right_card, 2)

    def refresh(self) -> None:
        """Reload the people who may sign in (on show, and after changes)."""
        self._ops.run(self._services.list_associates(), self._show_cards)

    def _show_cards(self, cards: list[AssociateCard]) -> None:
        self.cards = cards
        for button in self.tiles.buttons():
            self.tiles.removeButton(button)
            button.deleteLater()
        for card in cards:
            label = f"{card.name}\n{'Manager' if card.role is Role.MANAGER else 'Associate'} · {card.associate_id}"
            tile = QPushButton(label)
            tile.setObjectName("AssociateTile")
            tile.setCheckable(True)
            tile.setAccessibleName(card.name)
            tile.setProperty("associate_id", card.associate_id)
            tile.clicked.connect(lambda _=False, c=card: self.choose(c))
            self.tiles.addButton(tile)
            self._tile_box.addWidget(tile)
        if not cards:
            self.prompt.setText("No associates yet: a manager adds them (or run `oms init --demo`).")
        self.tiles_shown.emit()

    def choose(self, card: AssociateCard) -> None:
        self.selected = card
        for button in self.tiles.buttons():
            button.setChecked(button.property("associate_id") == card.associate_id)
        self.prompt.setText(f"{card.name}, type your PIN.")
        self.message.setText("")
        self.pin.clear()
        self.pin.setFocus()

    def choose_id(self, associate_id: str) -> None:
        for card in self.cards:
            if card.associate_id == associate_id:
                self.choose(card)
                return
        raise KeyError(associate_id)

    def press(self, key: str) -> None:
        if key == "Clear":
            self.pin.clear()
        elif key == "⌫":
            self.pin.backspace()
        else:
            self.pin.insert(key)

    def submit(self) -> None:
        if self.busy:
            return
        if self.selected is None:
            self.message.setText("Tap your name first.")
            return
        if not self.pin.text():
            self.message.setText("Type your PIN.")
            return
        self.busy = True
        self.sign_in_button.setEnabled(False)
        self._ops.run(
            self._services.sign_in(self.selected.associate_id, self.pin.text()),
            self._answer,
            self._failed,
        )

    def _answer(self, outcome: SignInOutcome) -> None:
        self.busy = False
        self.sign_in_button.setEnabled(True)
        self.pin.clear()
        self.message.setText(outcome.message if not outcome.ok else "")
        if outcome.signed_in is not None:
            self.signed_in.emit(outcome.signed_in)
        else:
            self.pin.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.sign_in_button.setEnabled(True)
        self.message.setText(person_message(exc))

    def reset(self) -> None:
        """Back to a blank screen for the next person."""
        self.selected = None
        self.pin.clear()
        self.message.setText("")
        self.prompt.setText("Tap your name.")
        for button in self.tiles.buttons():
            button.setChecked(False)
        self.refresh()
