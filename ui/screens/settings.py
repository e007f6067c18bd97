"""Settings: light or dark, the scanner self-test, My PIN, and for managers the People card."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from core.domain.associates import SignedIn
from ui.scanner_test import ScannerSelfTest
from ui.screens.my_pin import MyPinCard
from ui.screens.people import PeopleCard
from ui.sounds import ScanSounds
from ui.theme import ThemeManager
from ui.touch import kinetic, touch_size


class SettingsScreen(QScrollArea):
    def __init__(
        self,
        themes: ThemeManager,
        sounds: ScanSounds | None,
        people: PeopleCard | None = None,
        my_pin: MyPinCard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._themes = themes
        self.people, self.my_pin = people, my_pin
        body = QWidget()
        heading = QLabel("Settings")
        heading.setProperty("kind", "title")

        theme_card = QFrame()
        theme_card.setObjectName("Card")
        theme_row = QHBoxLayout(theme_card)
        theme_row.setContentsMargins(20, 14, 20, 14)
        label = QLabel("Theme")
        label.setProperty("kind", "subtitle")
        theme_row.addWidget(label, 1)
        self.theme_buttons: dict[str, QPushButton] = {}
        for name in ("light", "dark"):
            button = touch_size(QPushButton(name.capitalize()), width=140)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, n=name: self.choose_theme(n))
            self.theme_buttons[name] = button
            theme_row.addWidget(button)
        themes.theme_changed.connect(self._mark_theme)
        self._mark_theme(themes.name)

        self.self_test = ScannerSelfTest(sounds)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(16)
        layout.addWidget(heading)
        layout.addWidget(theme_card)
        layout.addWidget(self.self_test)
        for extra in (my_pin, people):
            if extra is not None:
                layout.addWidget(extra)
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        kinetic(self)

    def set_person(self, person: SignedIn | None) -> None:
        """Told by the main window at sign-in and sign-out: the People card is for managers."""
        for extra in (self.my_pin, self.people):
            if extra is not None:
                extra.set_person(person)

    def choose_theme(self, name: str) -> None:
        self._themes.apply(name)

    def _mark_theme(self, name: str) -> None:
        for key, button in self.theme_buttons.items():
            button.setChecked(key == name)

    def handle_scan(self, code: str, suffix: str | None) -> None:
        """Every scan here is a self-test scan."""
        self.self_test.take_scan(code, suffix)
