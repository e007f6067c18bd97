"""The customer e-mail outbox: queued with the change it announces, delivered later with retries.

Like the sync outbox (principle 3), a message is written in the same transaction as its cause
(ready for pickup, a reminder, a cancellation), so a customer is never told about something that
rolled back, and nothing is lost when the mail relay is down. Delivery reads what is due, sends it
outside any transaction (a slow relay must not hold the store's database), then records each
outcome: sent, or an error and a later retry with exponential backoff, or `failed` after the last
attempt. An order without an e-mail address gets a `skipped` row, so the counter can see why.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError
from core.domain.inventory import utc_now
from core.services.mail_senders import EmailSender, OutgoingEmail
from core.storage.models import Notification

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)


def queue_email(
    session: Session,
    kind: str,
    to: str,
    subject: str,
    body: str,
    *,
    order_id: str | None = None,
    pickup_id: str | None = None,
    now: datetime | None = None,
) -> Notification:
    stamp = now or utc_now()
    row = Notification(
        id=uuid.uuid4(),
        kind=kind,
        to_address=to.strip(),
        subject=subject[:200],
        body=body,
        order_id=order_id,
        pickup_id=pickup_id,
        state="pending" if to.strip() else "skipped",
        attempts=0,
        last_error="" if to.strip() else "the order has no e-mail address",
        next_attempt_at=stamp,
        created_at=stamp,
    )
    session.add(row)
    session.flush()
    return row


def due_emails(session: Session, *, now: datetime | None = None, limit: int = 50) -> list[OutgoingEmail]:
    rows = session.scalars(
        select(Notification)
        .where(Notification.state == "pending", Notification.next_attempt_at <= (now or utc_now()))
        .order_by(Notification.next_attempt_at, Notification.created_at)
        .limit(limit)
    )
    return [OutgoingEmail(r.id, r.to_address, r.subject, r.body, r.created_at) for r in rows]


def record_delivery(
    session: Session, notification_id: uuid.UUID, error: str | None, *, now: datetime | None = None
) -> Notification:
    """Mark one attempt: sent, or failed with its error and the time of the next try (if any left)."""
    row = session.get(Notification, notification_id)
    if row is None:
        raise NotFoundError(f"no notification {notification_id}", field="id")
    stamp = now or utc_now()
    row.attempts += 1
    if error is None:
        row.state, row.sent_at, row.last_error = "sent", stamp, ""
    else:
        row.last_error = error[:240]
        if row.attempts >= MAX_ATTEMPTS:
            row.state = "failed"
        else:
            row.next_attempt_at = stamp + FIRST_RETRY * 2 ** (row.attempts - 1)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int
    retrying: int
    failed: int


def deliver_pending(
    transaction: Callable[[], AbstractContextManager[Session]],
    sender: EmailSender,
    *,
    now: datetime | None = None,
    limit: int = 50,
) -> DeliveryReport:
    """Send what is due with `sender`; `transaction` opens one unit of work (`Database.transaction`)."""
    stamp = now or utc_now()
    with transaction() as session:
        due = due_emails(session, now=stamp, limit=limit)
    outcomes: list[tuple[uuid.UUID, str | None]] = []
    for message in due:
        try:
            sender.send(message)
            outcomes.append((message.id, None))
        except Exception as exc:  # any failure of the relay is recorded and retried, never raised
            outcomes.append((message.id, f"{type(exc).__name__}: {exc}"))
    sent = retrying = failed = 0
    with transaction() as session:
        for notification_id, error in outcomes:
            row = record_delivery(session, notification_id, error, now=stamp)
            sent += row.state == "sent"
            retrying += row.state == "pending"
            failed += row.state == "failed"
    return DeliveryReport(sent, retrying, failed)


def notifications_for(session: Session, order_id: str) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification).where(Notification.order_id == order_id).order_by(Notification.created_at)
        )
    )
