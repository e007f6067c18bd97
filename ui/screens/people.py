"""People (managers, on the Settings screen): add staff, give a new PIN, unlock, stop or allow
sign-in, and how long a tablet may sit unused before it signs its person out.

A store manager must not need a laptop and the command line when a new starter arrives or
someone forgets their PIN. The card is shown to managers only, and every call still names the
manager so the services check the role and write the audit trail. PINs are typed twice into
masked fields that take digits only; a refusal (an id already taken, a PIN too short, yourself
deactivated) is shown in words and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from core.domain.associates import IDLE_MOST, PersonRow, Role, SignedIn
from core.domain.pins import PIN_MAX
from ui.ops import Op, OpRunner, person_message
from ui.people_ports import PeopleServices
from ui.screens.pick_card import ChoiceButton
from ui.stepper import Stepper
from ui.theme import repolish
from ui.touch import SPACING, Card, row_of, text_label, touch_size


def pin_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{PIN_MAX}}}")))
    field.setMaxLength(PIN_MAX)
    touch_size(field, width=150)
    return field


def status_words(row: PersonRow, now: datetime) -> str:
    if not row.active:
        return "Cannot sign in"
    if row.locked_until is not None and row.locked_until > now:
        return f"Locked until {row.locked_until.astimezone().strftime('%H:%M')}"
    return "Can sign in"


class PeopleCard(Card):
    def __init__(self, ops: OpRunner, services: PeopleServices, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.ops, self.services = ops, services
        self.person: SignedIn | None = None
        self.rows: list[PersonRow] = []
        self.actions: dict[str, dict[str, QPushButton]] = {}
        self.pin_for: PersonRow | None = None
        column = self.column
        column.addWidget(text_label("People", "subtitle"))
        column.addWidget(
            text_label("Managers only. Every change here is in the audit trail with your name.", "hint")
        )
        self.grid_box = QWidget()
        self.grid_box.setObjectName("LineWords")
        self.grid = QGridLayout(self.grid_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(SPACING)
        column.addWidget(self.grid_box)

        self.pin_title = text_label("", "subtitle")
        self.new_pin, self.new_pin_again = pin_field("New PIN"), pin_field("Again")
        self.save_pin_button = touch_size(QPushButton("Save PIN"), width=140)
        self.save_pin_button.clicked.connect(self.save_pin)
        cancel = touch_size(QPushButton("Cancel"), width=120)
        cancel.clicked.connect(self.close_pin)
        self.pin_box = QWidget()
        self.pin_box.setObjectName("LineWords")
        pin_row = QHBoxLayout(self.pin_box)
        pin_row.setContentsMargins(0, 0, 0, 0)
        pin_row.setSpacing(SPACING)
        for widget in (self.pin_title, self.new_pin, self.new_pin_again, self.save_pin_button, cancel):
            pin_row.addWidget(widget)
        pin_row.addStretch(1)
        self.pin_box.hide()
        column.addWidget(self.pin_box)

        self.new_id = touch_size(QLineEdit(), width=180)
        self.new_id.setPlaceholderText("Id (badge no.)")
        self.new_name = touch_size(QLineEdit(), width=280)
        self.new_name.setPlaceholderText("Full name")
        self.role_buttons = {role: ChoiceButton(role.value.capitalize()) for role in Role}
        for role, button in self.role_buttons.items():
            button.clicked.connect(lambda _=False, r=role: self.choose_role(r))
        self.add_pin, self.add_pin_again = pin_field("PIN"), pin_field("Again")
        self.add_button = touch_size(QPushButton("Add person"), width=160)
        self.add_button.setProperty("kind", "primary")
        self.add_button.clicked.connect(self.add)
        column.addWidget(text_label("Add a person", "subtitle"))
        column.addLayout(row_of(self.new_id, self.new_name, *self.role_buttons.values()))
        column.addLayout(row_of(self.add_pin, self.add_pin_again, self.add_button))
        self.idle = Stepper("minute", step=5)
        self.idle.set_range(5, IDLE_MOST)
        self.idle.changed.connect(lambda _value: self.save_idle_button.setEnabled(True))
        self.save_idle_button = touch_size(QPushButton("Save"), width=120)
        self.save_idle_button.clicked.connect(self.save_idle)
        column.addWidget(text_label("Shared tablets", "subtitle"))
        column.addLayout(
            row_of(
                QLabel("Sign a tablet out after"),
                self.idle,
                QLabel("minutes without a tap or scan"),
                self.save_idle_button,
            )
        )
        self.message = text_label("")
        column.addWidget(self.message)
        self.choose_role(Role.ASSOCIATE)
        self.hide()

    # ------------------------------------------------------------------ who is looking

    def set_person(self, person: SignedIn | None) -> None:
        self.person = person
        manager = person is not None and person.is_manager
        self.setVisible(manager)
        self.close_pin()
        self.say("")
        if manager:
            self.refresh()
        else:
            self.show_rows([])  # nobody's details stay on a tablet an associate now holds

    def refresh(self) -> None:
        if self.person is not None and self.person.is_manager:
            self.ops.run(self.services.everyone(self.person), self.show_rows, self._refused)
            self.ops.run(self.services.idle_minutes(), self._show_idle, self._refused)

    def _show_idle(self, minutes: int) -> None:
        self.idle.set_range(min(5, minutes), IDLE_MOST)
        self.idle.set_value(minutes)
        self.save_idle_button.setEnabled(False)

    def save_idle(self) -> None:
        if self.person is None:
            return
        minutes = self.idle.value

        def saved(_minutes: int) -> None:
            self.say(f"Tablets sign out after {minutes} minutes without use, from the next sign-in.", "info")
            self.save_idle_button.setEnabled(False)

        self.ops.run(self.services.set_idle_minutes(self.person, minutes), saved, self._refused)

    def show_rows(self, rows: list[PersonRow]) -> None:
        self.rows = rows
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.actions = {}
        now = datetime.now().astimezone()
        for i, row in enumerate(rows):
            words = text_label(f"{row.name} · {row.associate_id} · {row.role.value.capitalize()}")
            status = text_label(status_words(row, now), "hint" if row.active else "warn")
            buttons = {
                "unlock": QPushButton("Unlock"),
                "pin": QPushButton("New PIN"),
                "active": QPushButton("Stop sign-in" if row.active else "Allow sign-in"),
            }
            buttons["unlock"].clicked.connect(lambda _=False, r=row: self.unlock(r))
            buttons["pin"].clicked.connect(lambda _=False, r=row: self.open_pin(r))
            buttons["active"].clicked.connect(lambda _=False, r=row: self.toggle_active(r))
            self.grid.addWidget(words, i, 0)
            self.grid.addWidget(status, i, 1)
            for column, key in enumerate(("unlock", "pin", "active"), start=2):
                self.grid.addWidget(touch_size(buttons[key], width=140), i, column)
            # Only once it has a parent: shown before, a button is a window of its own until the
            # layout takes it, and the layout shows it on a later turn of the event loop.
            buttons["unlock"].setVisible(row.locked_until is not None and row.locked_until > now)
            self.actions[row.associate_id] = buttons
        self.grid.setColumnStretch(0, 1)

    # ------------------------------------------------------------------ changes

    def _run(self, call: Op[object] | Op[None], done_text: str) -> None:
        def done(_result: object) -> None:
            self.say(done_text, "info")
            self.refresh()

        self.ops.run(call, done, self._refused)

    def unlock(self, row: PersonRow) -> None:
        if self.person is not None:
            self._run(self.services.unlock(self.person, row.associate_id), f"{row.name} can sign in again.")

    def toggle_active(self, row: PersonRow) -> None:
        if self.person is None:
            return
        verb = "can no longer sign in" if row.active else "can sign in again"
        self._run(
            self.services.set_active(self.person, row.associate_id, not row.active), f"{row.name} {verb}."
        )

    def open_pin(self, row: PersonRow) -> None:
        self.pin_for = row
        self.pin_title.setText(f"New PIN for {row.name}:")
        self.new_pin.clear()
        self.new_pin_again.clear()
        self.pin_box.show()
        self.new_pin.setFocus()

    def close_pin(self) -> None:
        self.pin_for = None
        self.new_pin.clear()
        self.new_pin_again.clear()
        self.pin_box.hide()

    def save_pin(self) -> None:
        row = self.pin_for
        if self.person is None or row is None:
            return
        pin = self._same_twice(self.new_pin, self.new_pin_again)
        if pin is not None:
            self._run(self.services.set_pin(self.person, row.associate_id, pin), f"{row.name} has a new PIN.")
            self.close_pin()

    def choose_role(self, role: Role) -> None:
        self.role = role
        for key, button in self.role_buttons.items():
            button.setChecked(key is role)

    def add(self) -> None:
        if self.person is None:
            return
        pin = self._same_twice(self.add_pin, self.add_pin_again)
        if pin is None:
            return
        name = self.new_name.text().strip()
        call = self.services.add(self.person, self.new_id.text().strip(), name, self.role, pin)

        def added(_card: object) -> None:
            for field in (self.new_id, self.new_name, self.add_pin, self.add_pin_again):
                field.clear()
            self.choose_role(Role.ASSOCIATE)
            self.say(f"{name} can sign in now.", "info")
            self.refresh()

        self.ops.run(call, added, self._refused)

    def _same_twice(self, first: QLineEdit, second: QLineEdit) -> str | None:
        if first.text() != second.text():
            self.say("The two PINs are not the same: type it again in both fields.")
            return None
        return first.text()

    def say(self, text: str, tone: str = "error") -> None:
        self.message.setText(text)
        self.message.setProperty("kind", "error" if tone == "error" else None)
        repolish(self.message)

    def _refused(self, exc: BaseException) -> None:
        self.say(person_message(exc))
