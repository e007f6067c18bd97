"""Versioned routing rule sets: drafts, activation, history.

Rules change without code, so every change is a new version with an author and a comment, and a
decision always names the version it used. Exactly one version is active at a time; activating
another retires it, and the next order routes under the new rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError, ValidationError
from core.domain.inventory import utc_now
from core.routing.rules import RuleSet, default_rule_set, validate_rule_set
from core.storage.models import RuleSetStatus, RuleSetVersion


@dataclass(frozen=True, slots=True)
class RuleSetInfo:
    rule_set_id: str
    version: int
    status: str
    author: str
    comment: str
    created_at: datetime
    activated_at: datetime | None
    activated_by: str | None


def _info(row: RuleSetVersion) -> RuleSetInfo:
    return RuleSetInfo(
        row.rule_set_id,
        row.version,
        row.status,
        row.author,
        row.comment,
        row.created_at,
        row.activated_at,
        row.activated_by,
    )


def save_draft(
    session: Session,
    document: RuleSet | dict | str,
    *,
    author: str,
    comment: str = "",
    now: datetime | None = None,
) -> RuleSetInfo:
    """Store a validated rule set as the next version of its id, as a draft."""
    if not author.strip():
        raise ValidationError("say who is making the change", field="author")
    rules = document if isinstance(document, RuleSet) else validate_rule_set(document)
    latest = session.scalar(
        select(func.max(RuleSetVersion.version)).where(RuleSetVersion.rule_set_id == rules.id)
    )
    version = (latest or 0) + 1
    row = RuleSetVersion(
        rule_set_id=rules.id,
        version=version,
        status=RuleSetStatus.DRAFT,
        document=rules.model_copy(update={"version": version}).model_dump(mode="json"),
        author=author,
        comment=comment,
        created_at=now or utc_now(),
    )
    session.add(row)
    session.flush()
    return _info(row)


def _row(session: Session, rule_set_id: str, version: int) -> RuleSetVersion:
    row = session.get(RuleSetVersion, (rule_set_id, version))
    if row is None:
        raise NotFoundError(f"no rule set {rule_set_id} version {version}", field="version")
    return row


def activate(
    session: Session, rule_set_id: str, version: int, *, actor: str, now: datetime | None = None
) -> RuleSetInfo:
    """Make a draft (or a retired version, to roll back) the active rules; the previous one retires."""
    row = _row(session, rule_set_id, version)
    if row.status == RuleSetStatus.ACTIVE:
        raise ValidationError(f"{rule_set_id} version {version} is already active", field="version")
    validate_rule_set(row.document)
    for current in session.scalars(
        select(RuleSetVersion).where(RuleSetVersion.status == RuleSetStatus.ACTIVE)
    ):
        current.status = RuleSetStatus.RETIRED
    session.flush()
    row.status = RuleSetStatus.ACTIVE
    row.activated_at, row.activated_by = now or utc_now(), actor
    session.flush()
    return _info(row)


def active_rule_set(session: Session) -> RuleSet:
    """The rules routing uses now; the built-in default becomes version 1 the first time none exists."""
    row = session.scalar(select(RuleSetVersion).where(RuleSetVersion.status == RuleSetStatus.ACTIVE))
    if row is None:
        info = save_draft(session, default_rule_set(), author="system", comment="built-in default")
        activate(session, info.rule_set_id, info.version, actor="system")
        row = _row(session, info.rule_set_id, info.version)
    return validate_rule_set(row.document)


def load_rule_set(session: Session, rule_set_id: str, version: int | None = None) -> RuleSet:
    """A stored version (the newest when `version` is None)."""
    if version is None:
        version = session.scalar(
            select(func.max(RuleSetVersion.version)).where(RuleSetVersion.rule_set_id == rule_set_id)
        )
        if version is None:
            raise NotFoundError(f"no rule set {rule_set_id}", field="rule_set_id")
    return validate_rule_set(_row(session, rule_set_id, version).document)


def history(session: Session, rule_set_id: str | None = None) -> list[RuleSetInfo]:
    query = select(RuleSetVersion).order_by(RuleSetVersion.rule_set_id, RuleSetVersion.version)
    if rule_set_id is not None:
        query = query.where(RuleSetVersion.rule_set_id == rule_set_id)
    return [_info(row) for row in session.scalars(query)]
