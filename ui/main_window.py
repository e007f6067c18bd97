"""The signed-in workspace: navigation rail, the current screen, a notice strip and the status bar.

Manager-only screens are hidden from associates *and* opened only after the service agrees
(`require_role`), so a stale button or a direct call cannot get an associate in. Scans are handed
to whichever screen is showing.

Screens are built on first use, each from a factory that imports its module: the sign-in screen
must be painted before any workspace screen's code is even loaded (cold start, issue 5). The
composition root calls `prepare` after sign-in is on screen (and the modules are imported, see
`app.warm_up`), which builds the rest one per turn of the event loop; a screen opened before that
is built on the spot. A screen builds only what it shows first and lists the rest in
`build_later()` (`ui.later`): those parts are built one per turn too, the newest screen's first,
whether or not `prepare` was called. No step runs while an operation is (both need the interpreter
lock), nor with the application-wide input filters on (`ui.app_filters`). A new screen follows
the same pattern: a factory in `_screen_factories` (a line in its `standard` table when it is
built as `Screen(ops, services(), sounds)`), its module imported only when called, and listed in
`app.store_app.WORKSPACE_MODULES`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from core.domain.associates import Role, SignedIn
from ui import app_filters
from ui.later import BUSY_WAIT_MS, Part
from ui.nav_rail import DESTINATIONS, SETTINGS, NavRail
from ui.ops import OpRunner, person_message
from ui.ports import StoreServices
from ui.sounds import ScanSounds
from ui.status_bar import StatusBar
from ui.theme import ThemeManager, repolish

if TYPE_CHECKING:
    from ui.screens.settings import SettingsScreen

COMING = {
    "pick": "Next: the pick list for orders routed to this store, grouped by aisle, scan to confirm each item.",
    "pack": "Next: pack a picked order, choose the box, print the label, and hand it to the carrier.",
    "pickup": "Next: customers collecting orders, found by scanning their pickup code or by name.",
    "returns": "Next: take returns back into sellable, damaged or quarantine stock with a reason.",
    "inventory": "Next: look up any product's stock here and in nearby stores, and count a bin.",
    "routing": "Next (managers): why each order came to this store, and the store's routing settings.",
}
ScreenFactory = Callable[[], QWidget]


def _standard_screen(
    module: str, name: str, ops: OpRunner, services: Callable[[], object], sounds: ScanSounds | None
) -> ScreenFactory:
    """A factory that imports `module` only when the screen is first wanted."""

    def build() -> QWidget:
        screen_class = getattr(import_module(module), name)
        return cast(QWidget, screen_class(ops, services(), sounds))

    return build


class MainWindow(QWidget):
    sign_out_requested = Signal()
    screens_prepared = Signal()  # every screen and part is built (`prepared`): start-up's work is done

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
        self._themes = themes
        self._factories = self._screen_factories(ops, services, themes, sounds)
        self.screens: dict[str, QWidget] = {}  # the screens built so far, by key
        self._later: deque[Part] = deque()  # parts of built screens still to build (`ui.later`)
        self._preparing = False  # `prepare` was called: build every screen, not only parts
        self._turn_waiting = False
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

    @staticmethod
    def _screen_factories(
        ops: OpRunner, services: StoreServices, themes: ThemeManager, sounds: ScanSounds | None
    ) -> dict[str, ScreenFactory]:
        """Key → a callable that builds the screen; each imports its module only when called."""

        def placeholder(label: str, coming: str) -> ScreenFactory:
            def build() -> QWidget:
                from ui.screens.placeholder import PlaceholderScreen

                return PlaceholderScreen(label, coming, sounds)

            return build

        factories = {d.key: placeholder(d.label, COMING[d.key]) for d in DESTINATIONS}
        pick_services = services.pick
        if pick_services is not None:

            def pick() -> QWidget:
                from ui.screens.pick import PickScreen

                screen = PickScreen(ops, pick_services(), sounds)
                screen.queue.delegate.set_theme(themes.name)
                themes.theme_changed.connect(screen.queue.delegate.set_theme)
                return screen

            factories["pick"] = pick
        # The screens built as `Screen(ops, services(), sounds)`: key → (module, class, services)
        standard = {
            "pack": ("ui.screens.pack", "PackScreen", services.pack),
            "returns": ("ui.screens.returns", "ReturnsScreen", services.returns),
            "pickup": ("ui.screens.pickup", "PickupScreen", services.pickup),
            "inventory": ("ui.screens.inventory", "InventoryScreen", services.inventory),
        }
        for key, (module, name, bound) in standard.items():
            if bound is not None:
                factories[key] = _standard_screen(module, name, ops, bound, sounds)

        routing_services = services.routing
        if routing_services is not None:

            def routing() -> QWidget:
                from ui.screens.routing import RoutingScreen

                return RoutingScreen(routing_services(), sounds)

            factories["routing"] = routing

        people_services = services.people

        def settings() -> QWidget:
            from ui.screens.my_pin import MyPinCard
            from ui.screens.people import PeopleCard
            from ui.screens.settings import SettingsScreen

            if people_services is None:
                return SettingsScreen(themes, sounds)
            bound = people_services()
            return SettingsScreen(themes, sounds, PeopleCard(ops, bound), MyPinCard(ops, bound))

        factories[SETTINGS.key] = settings
        return factories

    def screen(self, key: str) -> QWidget:
        """The screen for `key`, built now if it has not been yet (its `build_later` parts follow)."""
        built = self.screens.get(key)
        if built is not None:
            return built
        with app_filters.lifted():  # thousands of events, none of them input (`ui.app_filters`)
            screen = self._factories[key]()
            self._themes.style_late(screen)
            self.screens[key] = screen
            self.stack.addWidget(screen)
        build_later = getattr(screen, "build_later", None)
        if build_later is not None:
            self._later.extendleft(reversed(build_later()))  # before the parts of screens built earlier
            self._next_turn()
        set_person = getattr(screen, "set_person", None)
        if set_person is not None and self.person is not None:
            set_person(self.person)
        return screen

    @property
    def settings(self) -> SettingsScreen:
        return cast("SettingsScreen", self.screen(SETTINGS.key))

    @property
    def prepared(self) -> bool:
        """Every screen and every part is built: nothing is left to slow the first open of one."""
        return not self._later and all(key in self.screens for key in self._factories)

    def prepare(self) -> None:
        """Build the screens not built yet, one step per turn of the event loop, so taps keep flowing."""
        self._preparing = True
        self._next_turn()

    def _next_turn(self, delay_ms: int = 0) -> None:
        if not self._turn_waiting:
            self._turn_waiting = True
            QTimer.singleShot(delay_ms, self, self._build_step)  # none once the window is gone

    def _build_step(self) -> None:
        """One part of a built screen (the newest screen's first), else, when preparing, one screen."""
        self._turn_waiting = False
        waiting = [key for key in self._factories if key not in self.screens] if self._preparing else []
        if not (self._later or waiting) or not self.window().isVisible():
            return  # all built, or the window was closed: it builds nothing more
        if self._ops.pending:  # racing the database thread for the interpreter would slow both
            self._next_turn(BUSY_WAIT_MS)
            return
        if self._later:
            part = self._later.popleft()
            with app_filters.lifted():
                part()
        else:
            self.screen(waiting[0])
        if self._later or len(waiting) > 1:
            self._next_turn()
        elif self.prepared:
            self.screens_prepared.emit()

    def theme_targets(self) -> list[QWidget]:
        """Disjoint parts of this window to restyle, the visible screen first (see `ui.theme`)."""
        current = self.stack.currentWidget()
        rest = [w for w in self.screens.values() if w is not current]
        first = [current] if current is not None else []
        return [*first, self.rail, self.notice, self.status, *rest]

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
        self.stack.setCurrentWidget(self.screen(key))
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
