"""My PIN (on Settings, for whoever is signed in): change your own PIN after typing the current one.

The current PIN is asked so that a tablet left signed in does not let someone else take the
account over; a wrong one counts toward the same lockout as signing in.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from core.domain.associates import SignedIn, SignInOutcome
from ui.ops import OpRunner, person_message
from ui.people_ports import PeopleServices
from ui.screens.people import pin_field
from ui.theme import repolish
from ui.touch import Card, row_of, text_label, touch_size


class MyPinCard(Card):
    def __init__(self, ops: OpRunner, services: PeopleServices, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.ops, self.services = ops, services
        self.person: SignedIn | None = None
        column = self.column
        self.title = text_label("My PIN", "subtitle")
        self.current, self.new, self.again = (
            pin_field("Current PIN"),
            pin_field("New PIN"),
            pin_field("Again"),
        )
        self.change_button = touch_size(QPushButton("Change PIN"), width=160)
        self.change_button.clicked.connect(self.change)
        row = row_of(self.current, self.new, self.again, self.change_button)
        self.message = text_label("")
        column.addWidget(self.title)
        column.addLayout(row)
        column.addWidget(self.message)
        self.hide()

    def set_person(self, person: SignedIn | None) -> None:
        self.person = person
        self.setVisible(person is not None)
        self.title.setText(f"My PIN ({person.name})" if person is not None else "My PIN")
        for field in (self.current, self.new, self.again):
            field.clear()
        self._say("", error=False)

    def change(self) -> None:
        if self.person is None:
            return
        if self.new.text() != self.again.text():
            self._say("The two new PINs are not the same: type it again in both fields.", error=True)
            return
        call = self.services.change_own_pin(self.person, self.current.text(), self.new.text())
        self.change_button.setEnabled(False)
        self.ops.run(call, self._answered, self._refused)

    def _answered(self, outcome: SignInOutcome) -> None:
        self.change_button.setEnabled(True)
        for field in (self.current, self.new, self.again):
            field.clear()
        self._say(outcome.message, error=outcome.signed_in is None)

    def _refused(self, exc: BaseException) -> None:
        self.change_button.setEnabled(True)
        self._say(person_message(exc), error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setProperty("kind", "error" if error else None)
        repolish(self.message)
