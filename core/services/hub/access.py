"""Who may call the hub: bearer tokens with a role, and one-time enrolment codes for store devices.

Only SHA-256 hashes are stored: a token is 32 random bytes, so a plain hash is enough (no salt or
slow hash needed), and a copy of the database does not let anyone in. A code is spent by one
conditional UPDATE, so two devices racing with the same code cannot both enrol.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.domain.errors import OmsError, ValidationError
from core.domain.hub_roles import Role
from core.domain.inventory import utc_now
from core.services.lookups import require_locations
from core.storage.models import ApiToken, EnrolmentCode

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud over a phone
CODE_TTL = timedelta(hours=24)


class AuthenticationError(OmsError):
    """No credentials, or ones the hub does not accept (HTTP 401)."""


class PermissionDeniedError(OmsError):
    """Valid credentials that do not reach this data or operation (HTTP 403)."""


@dataclass(frozen=True, slots=True)
class Principal:
    token_id: int
    role: Role
    name: str
    location: str | None  # the store of a store-device token

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            wanted = " or ".join(roles)
            raise PermissionDeniedError(
                f"this needs a {wanted} token, not {self.role}", field="authorization"
            )

    def store(self) -> str:
        """The store this token speaks for; only store-device tokens have one."""
        self.require(Role.STORE_DEVICE)
        assert self.location is not None  # the schema's check constraint guarantees it
        return self.location


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    session: Session, role: Role, name: str, *, location: str | None = None, now: datetime | None = None
) -> str:
    """A new bearer token; the plain text is returned once and never stored."""
    role = Role(role)
    if not name.strip() or len(name) > 64:
        raise ValidationError("a token needs a name of 1-64 characters", field="name")
    if role is Role.STORE_DEVICE and not location:
        raise ValidationError("a store-device token belongs to a store", field="location")
    if location:
        require_locations(session, [location])
    secret = secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            token_hash=_digest(secret),
            role=role.value,
            location_code=location,
            name=name,
            created_at=now or utc_now(),
        )
    )
    session.flush()
    return secret


def token_hash(secret: str | None) -> str:
    """The stored hash a bearer secret is looked up by; a request without one is refused here."""
    if not secret:
        raise AuthenticationError("send 'Authorization: Bearer <token>'", field="authorization")
    return _digest(secret)


def token_principal(row: ApiToken | None) -> Principal:
    """The caller a looked-up token row stands for (or the refusal), wherever the row was read."""
    if row is None or row.revoked_at is not None:
        raise AuthenticationError("unknown or revoked token", field="authorization")
    return Principal(row.id, Role(row.role), row.name, row.location_code)


def authenticate(session: Session, secret: str | None) -> Principal:
    return token_principal(session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret))))


def revoke_token(session: Session, token_id: int, *, now: datetime | None = None) -> None:
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utc_now())
    )


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def create_enrolment_code(
    session: Session, location: str, *, ttl: timedelta = CODE_TTL, now: datetime | None = None
) -> str:
    """A one-time code (e.g. `K7QM-2XWP-RT9A`) a store manager types on a new tablet."""
    require_locations(session, [location])
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    stamp = now or utc_now()
    session.add(
        EnrolmentCode(
            code_hash=_digest(raw), location_code=location, created_at=stamp, expires_at=stamp + ttl
        )
    )
    session.flush()
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def enrol(session: Session, code: str, device_name: str, *, now: datetime | None = None) -> tuple[str, str]:
    """Spend a code for a store-device token; returns (token, location). Any failure looks the same,
    so guessing learns nothing about which codes exist."""
    stamp = now or utc_now()
    digest = _digest(_normalise_code(code))
    claimed = session.execute(
        update(EnrolmentCode)
        .where(
            EnrolmentCode.code_hash == digest,
            EnrolmentCode.used_at.is_(None),
            EnrolmentCode.expires_at > stamp,
        )
        .values(used_at=stamp)
        .returning(EnrolmentCode.location_code)
    ).scalar_one_or_none()
    if claimed is None:
        raise AuthenticationError("enrolment code is unknown, used or expired", field="code")
    token = issue_token(session, Role.STORE_DEVICE, device_name, location=claimed, now=stamp)
    token_id = session.scalar(select(ApiToken.id).where(ApiToken.token_hash == _digest(token)))
    session.execute(update(EnrolmentCode).where(EnrolmentCode.code_hash == digest).values(token_id=token_id))
    return token, claimed
