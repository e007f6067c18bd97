"""The store app's window: first-run setup, then sign-in, then the workspace.

The shell only moves between those three pages and hands scans to the page in front; each page
does its own work through the operation runner. Nothing here blocks: the first question (is
this store set up?) is itself an operation, and the window shows a blank page until it answers.

Once the first real page (sign-in tiles or setup) is up, `first_page_shown` fires, once, on the
next turn of the event loop: the composition root then loads what it held back (the workspace's
modules, then its screens with `MainWindow.prepare`, and the sync client), so none of it delays
the first paint.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from core.domain.associates import SignedIn
from ui.idle import IdleWatch
from ui.main_window import MainWindow
from ui.ops import OpRunner, person_message
from ui.ports import StoreServices
from ui.scanning import ScanDetector
from ui.screens.setup import SetupScreen
from ui.screens.sign_in import SignInScreen
from ui.sounds import ScanSounds
from ui.theme import ThemeManager


class StoreShell(QMainWindow):
    first_page_shown = Signal()

    def __init__(
        self,
        ops: OpRunner,
        services: StoreServices,
        themes: ThemeManager,
        sounds: ScanSounds | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Store OMS")
        self.setMinimumSize(1024, 700)
        self.ops, self.services, self.themes = ops, services, themes
        self.person: SignedIn | None = None
        self.idle_minutes = 0  # the store's policy, read at each sign-in
        self.pages = QStackedWidget()
        self.loading = QWidget()  # blank until the first question (is this store set up?) is answered
        QVBoxLayout(self.loading).addWidget(QLabel("Starting…"), 0, Qt.AlignmentFlag.AlignCenter)
        self.setup = SetupScreen(services.enroll)
        self.sign_in = SignInScreen(ops, services)
        self.main = MainWindow(ops, services, themes, sounds)
        for page in (self.loading, self.setup, self.sign_in, self.main):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        themes.targets = self.theme_targets

        self.setup.enrolled.connect(lambda _store: self.show_sign_in())
        self.sign_in.signed_in.connect(self.enter)
        self.sign_in.tiles_shown.connect(self._page_shown)
        self._first_page_told = False
        self.main.sign_out_requested.connect(self.sign_out)
        ops.failed.connect(lambda text: self.main.show_notice(text))

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.scanner = ScanDetector(app, self)
        self.scanner.scanned.connect(self.on_scan)
        self.scanner.burst_without_suffix.connect(self.on_burst_without_suffix)
        self.idle = IdleWatch(app, self)
        self.idle.timed_out.connect(self._idle_sign_out)

    def theme_targets(self) -> list[QWidget]:
        """Every part of the window that a theme switch restyles, what is on screen first."""
        main = self.main.theme_targets()
        others = [self.setup, self.sign_in, self.loading]
        return main + others if self.pages.currentWidget() is self.main else others + main

    def start(self) -> None:
        """Ask (off the UI thread) whether this store is enrolled, then show setup or sign-in."""
        self.ops.run(self.services.is_set_up(), self._set_up_answered, self._set_up_failed)

    def _set_up_answered(self, set_up: bool) -> None:
        if set_up:
            self.show_sign_in()
        else:
            self.pages.setCurrentWidget(self.setup)
            self._page_shown()

    def _set_up_failed(self, exc: BaseException) -> None:
        self.pages.setCurrentWidget(self.setup)
        self.setup.message.setText(person_message(exc))
        self._page_shown()

    def _page_shown(self) -> None:
        """After the page's paint (queued before this timer), tell `first_page_shown`, once."""
        if not self._first_page_told:
            self._first_page_told = True
            QTimer.singleShot(0, self._tell_first_page)

    def _tell_first_page(self) -> None:
        if self.isVisible():  # a window closed at once starts nothing more
            self.first_page_shown.emit()

    def show_sign_in(self) -> None:
        self.sign_in.reset()
        self.pages.setCurrentWidget(self.sign_in)

    def enter(self, person: SignedIn) -> None:
        """The workspace is readied in this turn and shown in the next.

        Its first show (the whole window laid out and painted) is the longest stretch of work the
        UI thread has; readying it in the same turn made that 15–30 ms longer on a slow tablet.
        """
        self.person = person
        self.main.start(person)
        QTimer.singleShot(0, self, lambda: self._show_workspace(person))
        idle_minutes = self.services.idle_minutes
        if idle_minutes is not None:

            def arm(minutes: int) -> None:
                if self.person is person:  # still the same person when the policy is read
                    self.idle_minutes = minutes
                    self.idle.arm(minutes)

            self.ops.run(idle_minutes(), arm, lambda exc: self.main.show_notice(person_message(exc)))

    def _show_workspace(self, person: SignedIn) -> None:
        if self.person is person:  # not signed out in between
            self.pages.setCurrentWidget(self.main)

    def sign_out(self) -> None:
        if self.person is not None:
            self.ops.run(self.services.sign_out(self.person))
        self.person = None
        self.idle.disarm()
        self.main.stop()
        self.show_sign_in()

    def _idle_sign_out(self) -> None:
        if self.page != "main":
            return
        self.sign_out()
        self.sign_in.message.setText(f"Signed out after {self.idle_minutes} minutes without a tap or scan.")

    @property
    def page(self) -> str:
        current = self.pages.currentWidget()
        return {self.setup: "setup", self.sign_in: "sign_in", self.main: "main"}.get(current, "loading")

    def on_scan(self, code: str, suffix: str) -> None:
        if self.page == "main":
            self.main.handle_scan(code, suffix)
        elif self.page == "sign_in":
            self.sign_in.message.setText("Sign in first, then scan.")

    def on_burst_without_suffix(self, code: str) -> None:
        """Only the self-test cares: a fast burst with no Enter/Tab is a scanner without a suffix."""
        if self.page == "main" and self.main.current == "settings":
            self.main.handle_scan(code, None)
