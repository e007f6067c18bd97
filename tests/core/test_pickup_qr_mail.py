"""The "ready for pickup" e-mail carries its QR code as an inline PNG next to the text, and a
message without a QR payload stays plain text."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from core.domain.qr_image import payload_in, qr_png
from core.services.mail_senders import FolderSender
from core.services.notifications import deliver_pending, queue_email
from core.storage.database import Database
from tests.core.pickup_kit import T0, setup_store, staged


def _delivered(db: Database, folder: Path) -> list[EmailMessage]:
    report = deliver_pending(db.transaction, FolderSender(folder), now=T0)
    assert report.failed == 0
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for path in sorted(folder.glob("*.eml"))
    ]


def test_the_ready_email_shows_the_qr_code_as_an_inline_png(sqlite_db: Database, tmp_path: Path) -> None:
    setup_store(sqlite_db)
    done = staged(sqlite_db, "W1-S01", [("SKU-1", 1)])
    [mail] = _delivered(sqlite_db, tmp_path / "mail")
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    assert done.qr_payload in text.get_content() and done.code in text.get_content()
    images = [part for part in mail.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1
    image = images[0]
    assert image.get_payload(decode=True) == qr_png(done.qr_payload)
    assert f"cid:{image['Content-ID'].strip('<>')}" in html.get_content()
    assert done.qr_payload not in html.get_content()  # the picture stands for it


def test_a_message_without_a_qr_payload_stays_plain_text(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.transaction() as session:
        queue_email(session, "pickup_reminder", "ava@example.com", "Reminder", "Code: 123456\n", now=T0)
    [mail] = _delivered(sqlite_db, tmp_path / "mail")
    assert mail.get_content_type() == "text/plain"
    assert payload_in(mail.get_content()) is None
