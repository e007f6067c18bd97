"""Associates as the tablet app sees them: roles, who is signed in, and how a sign-in went.

These are plain values with no database in them, so the Qt screens can hold and show them (the UI
may import `core.domain` but not the services, which bring SQLAlchemy along).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """What a person may do; a manager may do everything an associate may."""

    ASSOCIATE = "associate"
    MANAGER = "manager"

    def includes(self, needed: Role) -> bool:
        return self is Role.MANAGER or self is needed


@dataclass(frozen=True, slots=True)
class AssociateCard:
    """One tile on the sign-in screen."""

    associate_id: str
    name: str
    role: Role
    locked_until: datetime | None = None


IDLE_DEFAULT, IDLE_MOST = 10, 120  # minutes without a tap or scan before a tablet signs out


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person as a manager sees them on the People card: may they sign in, and are they locked out."""

    associate_id: str
    name: str
    role: Role
    active: bool
    locked_until: datetime | None = None
    last_sign_in_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The person using the tablet now; every service call they make names them in the audit trail."""

    associate_id: str
    name: str
    role: Role
    device: str = ""

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER


@dataclass(frozen=True, slots=True)
class SignInOutcome:
    """A sign-in attempt's answer. A refusal is a value, not an exception, so the failed attempt
    it counts is committed rather than rolled back with the error."""

    signed_in: SignedIn | None
    message: str
    attempts_left: int | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.signed_in is not None
