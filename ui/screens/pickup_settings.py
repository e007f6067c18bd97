"""The store's pickup rules, for managers: the staging shelf, the reminder days and how long an
order is held before it is cancelled and restocked.

The form is checked by the same value the service stores (`core.domain.pickup.PickupSettings`), so
a wrong entry is named on the screen before anything is sent; the service checks the manager's
role again when it saves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core.domain.associates import SignedIn
from core.domain.errors import OmsError
from core.domain.pickup import PickupSettings
from ui.ops import OpRunner, person_message
from ui.page_header import page_header
from ui.pickup_ports import PickupServices
from ui.scan_panel import ScanAnswer
from ui.touch import SPACING, primary_button


class PickupSettingsPage(QWidget):
    """Emits `back()`; answers go to `say`, the screen's banner."""

    back = Signal()

    def __init__(
        self,
        ops: OpRunner,
        services: PickupServices,
        say: Callable[[ScanAnswer], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.services, self.say = ops, services, say
        self.person: SignedIn | None = None
        top, self.back_button = page_header("Pickup settings", "← Pickups", self.back.emit)
        self.shelf = QLineEdit()
        self.reminders = QLineEdit()
        self.reminders.setPlaceholderText("e.g. 1,3")
        self.days = QLineEdit()
        for field in (self.shelf, self.reminders, self.days):
            field.setMinimumHeight(48)
        card = QFrame()
        card.setObjectName("Card")
        form = QFormLayout(card)
        form.setContentsMargins(20, 14, 20, 14)
        form.setSpacing(SPACING)
        form.addRow("Staging shelf", self.shelf)
        form.addRow("Reminder e-mails after (days)", self.reminders)
        form.addRow("Cancel and restock after (days)", self.days)
        self.save_button = primary_button("Save", self.save, width=160)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addWidget(card)
        layout.addWidget(self.save_button)
        layout.addStretch(1)

    def open(self, person: SignedIn | None) -> None:
        self.person = person
        self.ops.run(
            self.services.settings(),
            self.show_settings,
            lambda exc: self.say(ScanAnswer("error", person_message(exc))),
        )

    def show_settings(self, settings: PickupSettings) -> None:
        self.shelf.setText(settings.shelf)
        self.reminders.setText(",".join(map(str, settings.reminder_days)))
        self.days.setText(str(settings.unclaimed_days))

    def save(self) -> None:
        if self.person is None:
            return
        blank = next(
            (name for name, field in (("staging shelf", self.shelf), ("days before cancelling", self.days))
             if not field.text().strip()),
            None,
        )  # fmt: skip
        if blank is not None:
            self.say(ScanAnswer("error", f"Type the {blank}. Nothing was saved."))
            return
        try:
            new = PickupSettings.from_mapping(
                {
                    "pickup.shelf": self.shelf.text().strip(),
                    "pickup.reminder_days": self.reminders.text().strip(),
                    "pickup.unclaimed_days": self.days.text().strip(),
                }
            )
        except OmsError as exc:
            self.say(ScanAnswer("error", f"{exc.message}. Nothing was saved."))
            return
        self.ops.run(
            self.services.save_settings(self.person, new),
            lambda _none: self.say(
                ScanAnswer(
                    "ok", "Pickup settings saved. The hold period counts for orders staged from now on."
                )
            ),
            lambda exc: self.say(ScanAnswer("error", f"{person_message(exc)} Nothing was saved.")),
            changes=("settings",),
        )
