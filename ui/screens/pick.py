"""The Pick screen: the queue, a walk over the chosen orders, and what the hub did with short picks.

It owns the walk's writes (start, short pick, finish) so the queue and the walk stay views. Every
call goes through the op runner; the answers come back here and the views redraw. Notes from the
hub ("1 × mug taken off W1 and routed to S02") are polled cheaply while the screen is visible and
shown in a strip the associate dismisses with "Got it"; a new one also refreshes the queue, whose
cards carry the latest note of their own order.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from core.domain.associates import SignedIn
from core.domain.picking import FinishResult, PickWalk, RerouteNotice, ShortLine, ShortPickResult, ShortReason
from ui.later import BuiltLater, Part
from ui.ops import OpRunner, person_message
from ui.pick_ports import PickServices
from ui.scan_panel import ScanAnswer
from ui.screens.pick_card import ChoiceButton
from ui.screens.pick_model import if_alive, ignore_error
from ui.screens.pick_queue import PickQueue
from ui.screens.pick_walk import PickWalkScreen
from ui.sounds import ScanSounds
from ui.theme import repolish
from ui.touch import SPACING, touch_size

log = logging.getLogger(__name__)
NOTICE_POLL_MS = 5000  # unread hub notes: one indexed query
QUEUE_REFRESH_MS = 30000  # new assignments arrive by sync; re-read the visible page now and then


class PickScreen(QWidget):
    def __init__(
        self, ops: OpRunner, services: PickServices, sounds: ScanSounds | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops, self._services = ops, services
        self.person: SignedIn | None = None
        self.notices: tuple[RerouteNotice, ...] = ()
        self._sounds = sounds
        self.queue = PickQueue(ops, services)
        self.queue.start_requested.connect(self.start_walk)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.queue)  # the walk page joins when built (`build_later`)

        self.message = QLabel("")
        self.message.setObjectName("Notice")
        self.message.setWordWrap(True)
        self.message.hide()
        self.notice_text = QLabel("")
        self.notice_text.setProperty("kind", "warn")
        self.notice_text.setWordWrap(True)
        self.got_it = touch_size(QPushButton("Got it"), width=120)
        self.got_it.clicked.connect(self.acknowledge)
        self.notice_strip = QWidget()
        strip = QHBoxLayout(self.notice_strip)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.addWidget(self.notice_text, 1)
        strip.addWidget(self.got_it)
        self.notice_strip.hide()
        self.taps_button = ChoiceButton("Taps allowed")
        self.taps_button.setToolTip("May items without a barcode be confirmed by a counted tap?")
        self.taps_button.clicked.connect(self._toggle_taps)
        self.taps_button.hide()

        top = QHBoxLayout()
        top.addWidget(self.notice_strip, 1)
        top.addWidget(self.taps_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(SPACING)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)

        self.notice_timer = QTimer(self)
        self.notice_timer.setInterval(NOTICE_POLL_MS)
        self.notice_timer.timeout.connect(self.poll_notices)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(QUEUE_REFRESH_MS)
        self.refresh_timer.timeout.connect(self._timed_refresh)

    walk: BuiltLater[PickWalkScreen] = BuiltLater("_build_walk")

    def _build_walk(self) -> None:
        walk = PickWalkScreen(self._ops, self._services, self._sounds)
        walk.finish_requested.connect(self.finish_walk)
        walk.leave_requested.connect(self.show_queue)
        walk.short_panel.confirmed.connect(self.confirm_short)
        walk.unit_counted.connect(self.save_in_tote)
        self.pages.addWidget(walk)
        self.walk = walk

    def build_later(self) -> list[Part]:
        """After the queue, one per turn (`ui.later`): the walk page, then its styling, so that
        starting a walk only lays it out."""
        return [
            lambda: self.walk,
            lambda: self.walk.short_panel.ensurePolished(),
            lambda: self.walk.ensurePolished(),
        ]

    # ------------------------------------------------------------------ lifecycle
    def start(self, person: SignedIn) -> None:
        """A person signed in: open on the queue, and show managers the tap setting."""
        self.person = person
        self.show_queue()
        self.say("")
        self.queue.why.show_message("Tap an order to see its items and why it came to this store.")
        self.queue.apply_filter()
        self.taps_button.setVisible(person.is_manager)
        self._ops.run(self._services.taps_allowed(), if_alive(self, self._show_taps), ignore_error)
        self.poll_notices()
        self._run_timers()

    def set_person(self, person: SignedIn | None) -> None:
        """Told by the main window at sign-in and sign-out (see `MainWindow._tell_screens`)."""
        if person is None:
            self.stop()
        else:
            self.start(person)

    def stop(self) -> None:
        self.person = None
        self.show_queue()
        self._run_timers()

    def _run_timers(self) -> None:
        """Poll only while someone is signed in and the screen is on show."""
        on = self.person is not None and self.isVisible()
        for timer in (self.notice_timer, self.refresh_timer):
            if on and not timer.isActive():
                timer.start()
            elif not on:
                timer.stop()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._run_timers()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        self._run_timers()

    def show_queue(self) -> None:
        self.pages.setCurrentWidget(self.queue)

    @property
    def walking(self) -> bool:
        return PickScreen.walk.built(self) and self.pages.currentWidget() is self.walk

    def say(self, text: str, tone: str = "error") -> None:
        self.message.setText(text)
        self.message.setProperty("tone", tone)
        self.message.setVisible(bool(text))
        repolish(self.message)

    def handle_scan(self, code: str, suffix: str | None) -> None:
        """On a walk a scan confirms an item; on the queue it looks the order up (pick slips)."""
        if self.walking:
            self.walk.handle_scan(code, suffix)
        else:
            self.queue.search.setText(code)
            self.queue.apply_filter()

    # ------------------------------------------------------------------ the walk's writes
    def start_walk(self, ids: list[str]) -> None:
        if self.person is None:
            return
        self.say("")
        self.queue.start_button.setEnabled(False)
        self._ops.run(
            self._services.start_walk(self.person, ids),
            if_alive(self, self._walk_started),
            if_alive(self, self._refused),
            changes={"fulfilments"},
        )

    def _walk_started(self, walk: PickWalk) -> None:
        self.queue.view.clearSelection()
        self.walk.load(walk)
        self.pages.setCurrentWidget(self.walk)
        self.queue.refresh()

    def save_in_tote(self, fulfilment_id: str, sku: str, units: int) -> None:
        """Behind every counted unit, so a walk survives the app closing; the scan was answered already."""
        self._ops.run(self._services.save_in_tote(fulfilment_id, sku, units), None, _tote_not_saved)

    def confirm_short(self, lines: list[ShortLine], reason: str, note: str) -> None:
        if self.person is None:
            return

        def done(result: ShortPickResult) -> None:
            self.walk.short_recorded(list(result.lines), result.rejected_fulfilments, result.effects)
            self.queue.refresh()

        def failed(exc: BaseException) -> None:
            self.walk.short_panel.message.setText(person_message(exc))
            self.walk.short_panel.confirm_button.setEnabled(True)

        call = self._services.confirm_short(self.person, lines, ShortReason(reason), note)
        self._ops.run(call, if_alive(self, done), if_alive(self, failed), changes={"fulfilments", "stock"})

    def finish_walk(self, picked: dict) -> None:
        if self.person is None:
            return
        if not picked:  # everything was short-picked: those orders already went back to the hub
            self.say("Nothing left to mark picked: the short-picked items go back to the hub.", "info")
            self.show_queue()
            return
        self._ops.run(
            self._services.finish_walk(self.person, picked),
            if_alive(self, self._finished),
            if_alive(self, self._finish_failed),
            changes={"fulfilments"},
        )

    def _finished(self, result: FinishResult) -> None:
        orders = ", ".join(fid.rsplit("-", 1)[0] for fid in result.picked)
        text = f"Picked: {orders}. They are waiting on the Pack screen." if result.picked else ""
        self.say(" ".join([text, *result.skipped]).strip(), "error" if result.skipped else "info")
        self.show_queue()
        self.queue.refresh()

    def _finish_failed(self, exc: BaseException) -> None:
        self.walk.finish_button.setEnabled(True)
        self.walk.banner.show_answer(ScanAnswer("error", person_message(exc)))

    def _refused(self, exc: BaseException) -> None:
        self.say(person_message(exc))
        self.queue.refresh()

    # ------------------------------------------------------------------ hub notes and settings
    def poll_notices(self) -> None:
        self._ops.run(self._services.notices(), if_alive(self, self._show_notices), ignore_error)

    def _show_notices(self, notices: tuple[RerouteNotice, ...]) -> None:
        fresh = {n.id for n in notices} - {n.id for n in self.notices}
        self.notices = notices
        self.notice_text.setText(
            "\n".join("↪ " + n.text for n in notices[-3:])
            + (f"\n(+{len(notices) - 3} more)" if len(notices) > 3 else "")
        )
        self.notice_strip.setVisible(bool(notices))
        if fresh and not self.walking:
            self.queue.refresh()

    def acknowledge(self) -> None:
        ids = [n.id for n in self.notices]
        self.notices = ()
        self.notice_strip.hide()
        if ids:
            self._ops.run(self._services.acknowledge(ids), None, ignore_error)

    def _timed_refresh(self) -> None:
        if not self.walking and self.isVisible():
            self.queue.refresh()

    def _show_taps(self, allowed: bool) -> None:
        self.taps_button.setChecked(allowed)
        self.taps_button.setText("Taps allowed" if allowed else "Taps forbidden")

    def _toggle_taps(self) -> None:
        if self.person is None:
            return
        wanted = self.taps_button.isChecked()
        self._ops.run(
            self._services.set_taps_allowed(self.person, wanted),
            if_alive(self, self._show_taps),
            if_alive(self, self._taps_refused),
        )

    def _taps_refused(self, exc: BaseException) -> None:
        self.say(person_message(exc))
        self._ops.run(self._services.taps_allowed(), if_alive(self, self._show_taps), ignore_error)


def _tote_not_saved(exc: BaseException) -> None:
    """The walk goes on from memory; only a restart of this walk would miss the unit."""
    log.warning("could not save a tote's progress: %s", exc)
