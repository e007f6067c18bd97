"""The e-mail outbox against a real SMTP server in process (aiosmtpd) and a folder: delivered once,
retried with backoff while the relay is down, failed after the last attempt, and never lost."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from core.services.mail_senders import FolderSender, OutgoingEmail, SmtpSender
from core.services.notifications import MAX_ATTEMPTS, deliver_pending, due_emails, queue_email
from core.storage.database import Database
from core.storage.models import Notification
from tests.core.pickup_kit import T0


class Inbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _queue(db: Database, to: str = "ava@example.com") -> uuid.UUID:
    with db.transaction() as session:
        return queue_email(
            session, "ready_for_pickup", to, "Your order W1 is ready", "Code: 123456\n", order_id="W1", now=T0
        ).id


def test_smtp_delivers_each_due_message_once(sqlite_db: Database, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    sender = SmtpSender("127.0.0.1", port, "Store S01 <s01@store.example>")
    first = _queue(sqlite_db)
    report = deliver_pending(sqlite_db.transaction, sender, now=T0)
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    assert deliver_pending(sqlite_db.transaction, sender, now=T0 + timedelta(hours=1)).sent == 0  # not twice
    [(mail_from, rcpt, content)] = inbox.messages
    parsed = message_from_bytes(content)
    assert (mail_from, rcpt) == ("s01@store.example", ["ava@example.com"])
    assert parsed["Subject"] == "Your order W1 is ready" and parsed["Message-ID"] == f"<{first}@store-oms>"
    assert "Code: 123456" in parsed.get_payload()


def test_relay_down_is_retried_with_backoff_then_failed(sqlite_db: Database, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    down = SmtpSender("127.0.0.1", _free_port(), "s01@store.example", timeout=2)
    notification_id = _queue(sqlite_db)
    at = T0
    for attempt in range(1, MAX_ATTEMPTS):
        report = deliver_pending(sqlite_db.transaction, down, now=at)
        assert report.retrying == 1
        with sqlite_db.transaction() as session:
            row = session.get(Notification, notification_id)
            assert row.attempts == attempt and row.state == "pending" and "Connection" in row.last_error
            assert row.next_attempt_at == at + timedelta(minutes=2 ** (attempt - 1))
            assert due_emails(session, now=at) == []  # not before its time
        at = row.next_attempt_at
    # the relay is back for the last attempt
    up = SmtpSender("127.0.0.1", port, "s01@store.example")
    assert deliver_pending(sqlite_db.transaction, up, now=at).sent == 1 and len(inbox.messages) == 1
    other = _queue(sqlite_db, "zoe@example.com")
    for i in range(MAX_ATTEMPTS):
        deliver_pending(sqlite_db.transaction, down, now=T0 + timedelta(days=i + 1))
    with sqlite_db.transaction() as session:
        row = session.get(Notification, other)
        assert (row.state, row.attempts) == ("failed", MAX_ATTEMPTS)


def test_folder_sender_writes_eml_files(tmp_path: Path) -> None:
    message = OutgoingEmail(uuid.uuid4(), "ava@example.com", "Hello", "Body text\n", T0)
    FolderSender(tmp_path / "out").send(message)
    [path] = list((tmp_path / "out").iterdir())
    assert path.name == f"{message.id}.eml"
    parsed = message_from_bytes(path.read_bytes())
    assert parsed["To"] == "ava@example.com" and parsed.get_payload() == "Body text\n"
