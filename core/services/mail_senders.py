"""How queued e-mails leave the store: an SMTP relay, or .eml files in a folder (the demo's).

Senders are the edge of the world: they take one `OutgoingEmail` and either deliver it or raise.
They never touch the database, so delivery runs outside any transaction (`notifications.
deliver_pending` reads what is due, sends, then records each outcome). The Message-ID is derived
from the notification's id, so a message re-sent after a lost answer is recognisably the same one.
"""

from __future__ import annotations

import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Protocol

from core.domain.qr_image import payload_in, qr_png


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    id: uuid.UUID
    to: str
    subject: str
    body: str
    created_at: datetime


class EmailSender(Protocol):
    def send(self, message: OutgoingEmail) -> None:
        """Deliver the message or raise; the text of the exception is recorded as the failure."""


def build_message(message: OutgoingEmail, sender: str) -> EmailMessage:
    out = EmailMessage()
    out["From"] = sender
    out["To"] = message.to
    out["Subject"] = message.subject
    out["Date"] = format_datetime(message.created_at)
    out["Message-ID"] = f"<{message.id}@store-oms>"
    out.set_content(message.body)
    payload = payload_in(message.body)
    if payload is not None:
        _add_qr_image(out, message, payload)
    return out


def _add_qr_image(out: EmailMessage, message: OutgoingEmail, payload: str) -> None:
    """A pickup e-mail also carries its QR code as an inline PNG (an HTML alternative refers to it by
    Content-ID), so the customer can show it from the phone; the plain text keeps the payload."""
    cid = f"pickup-qr-{message.id}@store-oms"
    paragraphs = "".join(
        f"<p>{escape(part).replace(chr(10), '<br>')}</p>"
        for part in message.body.split("\n\n")
        if payload not in part
    )
    out.add_alternative(
        f'<html><body>{paragraphs}<p><img src="cid:{cid}" alt="pickup QR code" width="240" height="240">'
        "</p></body></html>",
        subtype="html",
    )
    html = out.get_payload()[1]
    html.add_related(qr_png(payload), "image", "png", cid=f"<{cid}>", filename="pickup-qr.png")


@dataclass(frozen=True, slots=True)
class SmtpSender:
    """A configured SMTP relay (host, port, From address; STARTTLS and login when given)."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    def send(self, message: OutgoingEmail) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(build_message(message, self.sender))


@dataclass(frozen=True, slots=True)
class FolderSender:
    """Writes each message as `<id>.eml` in a folder (written whole, then renamed into place)."""

    folder: Path
    sender: str = "Store OMS <no-reply@store-oms.example>"

    def send(self, message: OutgoingEmail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{message.id}.eml"
        partial = target.with_suffix(".part")
        partial.write_bytes(bytes(build_message(message, self.sender)))
        partial.replace(target)
