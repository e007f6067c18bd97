"""The audit log: one row per thing a person did that is not a state transition.

State transitions keep their own trail (`state_events`, written by `orders._move`); sign-ins,
lockouts and changes to people and rights are written here, in the same transaction as the change
they describe, so the log cannot claim what did not happen.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.actors import Actor
from core.domain.inventory import utc_now
from core.storage.models.associates import AuditEntry


def record(
    session: Session,
    actor: Actor,
    action: str,
    subject: str = "",
    detail: str = "",
    *,
    now: datetime | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=now or utc_now(),
            actor=actor.user,
            device=actor.device,
            action=action,
            subject=subject,
            detail=detail[:240],
        )
    )


def entries(session: Session, *, subject: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """Newest first, optionally only those about one subject (an associate id, an order id...)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if subject is not None:
        query = query.where(AuditEntry.subject == subject)
    return list(session.scalars(query))
