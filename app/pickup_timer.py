"""The pickup counter's clock: reminders, the unclaimed timeout and the customer e-mails, every minute.

`run_pickup_schedule` is an operation on the database thread like any other (so it never races a
handover on the same pickup); sending the e-mails that are due (`deliver_pending`) talks to a mail
relay that may be slow or down, so it runs on a thread of its own and holds no transaction while it
waits. Nothing here touches the UI thread beyond starting the work and hearing how it went.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.orm import Session

from app.settings import mail_dir, smtp_settings
from core.domain.errors import ValidationError
from core.domain.inventory import utc_now
from core.services.mail_senders import EmailSender, FolderSender, SmtpSender
from core.services.notifications import DeliveryReport, deliver_pending
from core.services.pick_queue import store_location
from core.services.pickup_schedule import ScheduleReport, run_pickup_schedule
from ui.ops import OpRunner

log = logging.getLogger(__name__)
INTERVAL_MS = 60_000


def mail_sender() -> EmailSender:
    """The relay named in the settings (`app.settings.smtp_settings`), else .eml files in a folder."""
    smtp = smtp_settings()
    if smtp is None:
        return FolderSender(mail_dir())
    port = smtp.get("port", "25")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValidationError(
            f"OMS_SMTP_PORT {port!r} is not a port number (1 to 65535)", field="OMS_SMTP_PORT"
        )
    return SmtpSender(
        smtp["host"],
        int(port),
        smtp.get("from", "Store OMS <no-reply@store-oms.example>"),
        username=smtp.get("user"),
        password=smtp.get("password"),
        starttls=smtp.get("starttls", "") in ("1", "true", "yes"),
    )


def _schedule(session: Session, now: datetime) -> ScheduleReport | None:
    location = store_location(session)
    return run_pickup_schedule(session, location=location, now=now) if location else None


class PickupTimer(QObject):
    """Runs the pickup schedule, then the e-mail delivery, every `interval_ms` (and once at start).

    `clock` gives "now" (tests pass a moved clock). Emits `ran(schedule_report, delivery_report)`
    after each round; a round still running when the next tick comes is not started twice.
    """

    ran = Signal(object, object)
    _delivered = Signal(object, object)

    def __init__(
        self,
        ops: OpRunner,
        transaction: Callable[[], AbstractContextManager[Session]],
        sender: EmailSender,
        *,
        interval_ms: int = INTERVAL_MS,
        clock: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.transaction, self.sender, self.clock = ops, transaction, sender, clock
        self.running = False
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oms-mail")
        self._delivered.connect(self._finish)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_once)

    def start(self) -> None:
        self.timer.start()
        self.run_once()

    def stop(self) -> None:
        """Stop ticking and wait for an e-mail round in progress (at exit)."""
        self.timer.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def run_once(self) -> None:
        if self.running:
            return
        self.running = True
        now = self.clock()
        self.ops.run(
            lambda s: _schedule(s, now),
            self._deliver,
            self._failed,
            changes=("pickups", "stock", "outbox"),
        )

    def _deliver(self, schedule: ScheduleReport | None) -> None:
        future = self._pool.submit(deliver_pending, self.transaction, self.sender, now=self.clock())

        def done(f: Future[DeliveryReport]) -> None:  # on the mail thread: hand over to the UI thread
            error = f.exception()
            if error is not None:
                log.error("delivering pickup e-mails failed: %s", error)
            self._delivered.emit(schedule, None if error else f.result())

        future.add_done_callback(done)

    def _finish(self, schedule: ScheduleReport | None, delivery: DeliveryReport | None) -> None:
        self.running = False
        self.ran.emit(schedule, delivery)

    def _failed(self, exc: BaseException) -> None:
        log.error("the pickup schedule failed: %s", exc)
        self.running = False


def start_pickup_timer(
    ops: OpRunner, transaction: Callable[[], AbstractContextManager[Session]], parent: QObject
) -> PickupTimer:
    """The running app's timer, sending with what the settings choose, started now (its first round
    runs at once: reminders that fell due while the app was closed go out on start)."""
    timer = PickupTimer(ops, transaction, mail_sender(), parent=parent)
    timer.start()
    return timer
