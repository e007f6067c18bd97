"""Routing (managers): is this store taking new orders, how many a day, and stopping or starting that.

A store manager pauses new orders when the floor is short-staffed or the stock is being counted,
and lowers the daily capacity on a busy day. Both switches live at the hub, where every order is
routed, so the screen reads them from the hub when it is shown and after each change, says plainly
that orders already here stay here, and says when the hub cannot be reached (nothing changes then).
A pause needs a reason, chosen with one tap (and words for "Other"); the hub records it with the
manager's name, so the regional manager sees who paused the store and why. Why each order came to
this store is on its card on the Pick screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import shiboken6
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from core.domain.associates import SignedIn
from core.domain.location_routing import REASON_LIMIT, LocationRouting
from ui.ops import person_message
from ui.routing_ports import RoutingServices
from ui.scan_panel import ScanAnswer, ScanBanner
from ui.screens.pick_card import ChoiceButton
from ui.sounds import ScanSounds
from ui.stepper import Stepper
from ui.theme import repolish
from ui.touch import SPACING, card, primary_button, row_of, text_label, touch_size

REASONS = ("Short-staffed", "Stock count", "Systems down", "Other")
CAPACITY_TOP, CAPACITY_STEP = 500, 5


def state_words(status: LocationRouting) -> str:
    """The status card's headline, with a glyph so the state does not rest on colour."""
    if status.enabled:
        return f"▶ {status.name} ({status.location}) is taking new orders"
    return f"‖ {status.name} ({status.location}) is paused: the hub sends no new orders here"


def detail_words(status: LocationRouting) -> str:
    left = max(status.daily_capacity - status.used_today, 0)
    lines = [f"Today: {status.used_today} of {status.daily_capacity} orders ({left} left)"]
    if status.changed_by and status.changed_at is not None:
        when = status.changed_at.astimezone().strftime("%a %d %b %H:%M")
        verb = "Resumed" if status.enabled else "Paused"
        why = f": {status.reason}" if status.reason else ""
        lines.append(f"{verb} by {status.changed_by} at {when}{why}")
    return "\n".join(lines)


class RoutingScreen(QWidget):
    def __init__(
        self, services: RoutingServices, sounds: ScanSounds | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.person: SignedIn | None = None
        self.status: LocationRouting | None = None
        self.busy = False
        self._task: asyncio.Future[None] | None = None

        self.state = text_label("Asking the hub…", "subtitle")
        self.detail = text_label("")
        status_card, status_box = card()
        status_box.addWidget(self.state)
        status_box.addWidget(self.detail)
        status_box.addWidget(
            text_label(
                "Orders already given to this store stay here. A pause or a new capacity applies to the next "
                "order the hub routes.",
                "hint",
            )
        )

        self.reason_group = QButtonGroup(self)
        self.reason_buttons: dict[str, ChoiceButton] = {}
        reasons = QHBoxLayout()
        reasons.setSpacing(SPACING)
        for reason in REASONS:
            button = ChoiceButton(reason)
            button.clicked.connect(lambda _checked=False: self._set_enabled())
            self.reason_group.addButton(button)
            self.reason_buttons[reason] = button
            reasons.addWidget(button)
        reasons.addStretch(1)
        self.note = QLineEdit()
        self.note.setPlaceholderText("What is going on? (needed for Other)")
        self.note.setMaxLength(REASON_LIMIT - len("Other: "))
        touch_size(self.note)
        self.note.textChanged.connect(lambda _text: self._set_enabled())
        self.switch_button = primary_button("Pause new orders", self.switch, width=260)
        self.pause_box = QWidget()
        pause_column = QVBoxLayout(self.pause_box)
        pause_column.setContentsMargins(0, 0, 0, 0)
        pause_column.setSpacing(SPACING)
        pause_column.addWidget(text_label("Why stop new orders?"))
        pause_column.addLayout(reasons)
        pause_column.addWidget(self.note)
        switch_card, switch_box = card()
        switch_box.addWidget(text_label("New orders", "subtitle"))
        switch_box.addWidget(self.pause_box)
        switch_box.addLayout(row_of(self.switch_button))

        self.capacity = Stepper("order a day", step=CAPACITY_STEP)
        self.capacity.set_range(0, CAPACITY_TOP)
        self.save_button = touch_size(QPushButton("Save capacity"), width=180)
        self.save_button.clicked.connect(self.save_capacity)
        self.capacity.changed.connect(lambda _value: self._set_enabled())
        capacity_card, capacity_box = card()
        capacity_box.addWidget(text_label("Daily capacity: orders this store can take a day", "subtitle"))
        capacity_box.addLayout(row_of(self.capacity, self.save_button))

        self.banner = ScanBanner(sounds)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(SPACING)
        layout.addWidget(text_label("Routing", "title"))
        layout.addWidget(status_card)
        layout.addWidget(switch_card)
        layout.addWidget(capacity_card)
        layout.addStretch(1)
        layout.addWidget(self.banner)
        self.banner.show_answer(
            ScanAnswer("idle", "Changes here reach the hub at once: they need the network."), sound=False
        )
        self._show(None)

    # ------------------------------------------------------------------ lifecycle

    def set_person(self, person: SignedIn | None) -> None:
        self.person = person

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()

    def handle_scan(self, code: str, suffix: str | None) -> None:
        self.banner.show_answer(
            ScanAnswer(
                "warn",
                f"{code}: nothing to scan here. Scans work on Pick, Pack, Pickup, Returns and Inventory.",
            )
        )

    # ------------------------------------------------------------------ the hub's answers

    def refresh(self) -> None:
        self._ask(self.services.status(), quiet=True)

    def _ask(self, call: Awaitable[LocationRouting], *, quiet: bool = False, said: str = "") -> None:
        if self._task is not None and not self._task.done():
            if not quiet:
                self.banner.show_answer(ScanAnswer("warn", "Still waiting for the hub's last answer."))
            close = getattr(call, "close", None)  # a coroutine never awaited would warn
            if close is not None:
                close()
            return
        self.busy = True
        self._set_enabled()

        async def run() -> None:
            try:
                status = await call
            except Exception as exc:  # offline, refused, not a manager: said on the banner, nothing changed
                if shiboken6.isValid(self):
                    self.busy = False
                    self._set_enabled()
                    self.banner.show_answer(ScanAnswer("error", person_message(exc)), sound=False)
                    if self.status is None:
                        self.state.setText("The hub's answer is needed")
                return
            if shiboken6.isValid(self):
                self.busy = False
                self._show(status)
                if said:
                    self.banner.show_answer(ScanAnswer("ok", said), sound=False)

        self._task = asyncio.ensure_future(run())

    def _show(self, status: LocationRouting | None) -> None:
        self.status = status
        if status is not None:
            self.state.setText(state_words(status))
            self.detail.setText(detail_words(status))
            self.detail.setProperty("kind", None if status.enabled else "warn")
            repolish(self.detail)
            self.capacity.set_value(status.daily_capacity)
            self.capacity.set_range(0, max(CAPACITY_TOP, status.daily_capacity))
            self.pause_box.setVisible(status.enabled)
            if not status.enabled:  # the next pause starts from no reason
                self._clear_reason()
            self.switch_button.setText("Pause new orders" if status.enabled else "Resume taking orders")
        self._set_enabled()

    def _set_enabled(self) -> None:
        status = None if self.busy else self.status  # nothing is changed while the hub is asked
        self.switch_button.setEnabled(status is not None and (not status.enabled or bool(self.reason)))
        self.save_button.setEnabled(status is not None and self.capacity.value != status.daily_capacity)
        self.capacity.setEnabled(status is not None)

    # ------------------------------------------------------------------ the manager's changes

    @property
    def reason(self) -> str:
        chosen = self.reason_group.checkedButton()
        if chosen is None:
            return ""
        words = self.note.text().strip()
        if chosen.text() == "Other":
            return f"Other: {words}" if words else ""
        return f"{chosen.text()}: {words}" if words else chosen.text()

    def _clear_reason(self) -> None:
        self.reason_group.setExclusive(False)
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self.reason_group.setExclusive(True)
        self.note.clear()

    def switch(self) -> None:
        if self.person is None or self.status is None:
            return
        if self.status.enabled:
            reason = self.reason
            said = f"Paused: the hub sends no new orders to {self.status.location} until you resume."
            self._ask(self.services.steer(self.person, False, None, reason), said=said)
        else:
            said = f"Resumed: {self.status.location} takes new orders again."
            self._ask(self.services.steer(self.person, True, None, ""), said=said)

    def save_capacity(self) -> None:
        if self.person is None or self.status is None:
            return
        value = self.capacity.value
        said = f"Daily capacity is now {value} orders."
        self._ask(self.services.steer(self.person, None, value, ""), said=said)
