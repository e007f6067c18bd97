"""The signed-in workspace: navigation rail, the current screen, a notice strip and the status bar.

Manager-only screens are hidden from associates *and* opened only after the service agrees
(`require_role`), so a stale button or a direct call cannot get an associate in. Scans are handed
to whichever screen is showing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from core.domain.associates import Role, SignedIn
from ui.nav_rail import DESTINATIONS, SETTINGS, NavRail
from ui.ops import OpRunner, person_message
from ui.ports import StoreServices
from ui.screens.pack import PackScreen
from ui.screens.pick import PickScreen
from ui.screens.placeholder import PlaceholderScreen
from ui.screens.settings import SettingsScreen
from ui.sounds import ScanSounds
from ui.status_bar import StatusBar
from ui.theme import ThemeManager, repolish

COMING = {
    "pick": "Next: the pick list for orders routed to this store, grouped by aisle, scan to confirm each item.",
    "pack": "Next: pack a picked order, choose the box, print the label, and hand it to the carrier.",
    "pickup": "Next: customers collecting orders, found by scanning their pickup code or by name.",
    "returns": "Next: take returns back into sellable, damaged or quarantine stock with a reason.",
    "inventory": "Next: look up any product's stock here and in nearby stores, and count a bin.",
    "routing": "Next (managers): why each order came to this store, and the store's routing settings.",
}


class MainWindow(QWidget):
    sign_out_requested = Signal()

    def __init__(
        self,
        ops: OpRunner,
        services: StoreServices,
        themes: ThemeManager,
        sounds: ScanSounds | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops, self._services = ops, services
        self.person: SignedIn | None = None
        self.current = ""
        self.rail = NavRail()
        self.rail.chosen.connect(self.open_screen)
        self.rail.sign_out_requested.connect(self.sign_out_requested)
        self.rail.set_theme(themes.name)
        themes.theme_changed.connect(self.rail.set_theme)
        self.notice = QLabel("")
        self.notice.setObjectName("Notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.stack = QStackedWidget()
        self.screens: dict[str, QWidget] = {}
        for destination in DESTINATIONS:
            if destination.key == "pick" and services.pick is not None:
                pick = PickScreen(ops, services.pick, sounds)
                pick.queue.delegate.set_theme(themes.name)
                themes.theme_changed.connect(pick.queue.delegate.set_theme)
                self._add("pick", pick)
                continue
            if destination.key == "pack" and services.pack is not None:
                self._add("pack", PackScreen(ops, services.pack, sounds))
                continue
            self._add(destination.key, PlaceholderScreen(destination.label, COMING[destination.key], sounds))
        self.settings = SettingsScreen(themes, sounds)
        self._add(SETTINGS.key, self.settings)
        self.status = StatusBar(services.sync_status)

        content = QVBoxLayout()
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(self.notice)
        content.addWidget(self.stack, 1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.rail)
        row.addLayout(content, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(row, 1)
        outer.addWidget(self.status)

    def theme_targets(self) -> list[QWidget]:
        """Disjoint parts of this window to restyle, the visible screen first (see `ui.theme`)."""
        current = self.stack.currentWidget()
        rest = [w for w in self.screens.values() if w is not current]
        return [current, self.rail, self.notice, self.status, *rest]

    def _add(self, key: str, screen: QWidget) -> None:
        self.screens[key] = screen
        self.stack.addWidget(screen)

    def start(self, person: SignedIn) -> None:
        """A person signed in: show what they may open, and start on Pick."""
        self.person = person
        self._tell_screens(person)
        self.rail.show_for(manager=person.is_manager)
        self.status.show_person(person)
        self.status.start()
        self.show_notice("")
        self._show("pick")

    def _tell_screens(self, person: SignedIn | None) -> None:
        """Screens that write name the person in the audit trail: tell them who is signed in."""
        for screen in self.screens.values():
            set_person = getattr(screen, "set_person", None)
            if set_person is not None:
                set_person(person)

    def stop(self) -> None:
        self.person = None
        self._tell_screens(None)
        self.status.stop()
        self.status.show_person(None)

    def open_screen(self, key: str) -> None:
        """Open a screen; a manager-only one only after the service has checked the role."""
        if self.person is None:
            return
        manager_only = any(d.key == key and d.manager_only for d in DESTINATIONS)
        if not manager_only:
            self._show(key)
            return
        self._ops.run(
            self._services.require_role(self.person, Role.MANAGER),
            lambda _ok: self._show(key),
            self._refused,
        )

    def _show(self, key: str) -> None:
        self.current = key
        self.stack.setCurrentWidget(self.screens[key])
        self.rail.mark(key)
        self.show_notice("")

    def _refused(self, exc: BaseException) -> None:
        self.show_notice(person_message(exc))
        if self.current:
            self.rail.mark(self.current)

    def show_notice(self, text: str, *, tone: str = "error") -> None:
        self.notice.setText(text)
        self.notice.setProperty("tone", tone)
        self.notice.setVisible(bool(text))
        repolish(self.notice)

    def handle_scan(self, code: str, suffix: str | None) -> None:
        screen = self.screens.get(self.current)
        handler = getattr(screen, "handle_scan", None)
        if handler is not None:
            handler(code, suffix)
