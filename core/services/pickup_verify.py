"""Who may take a pickup: the customer's code or QR, or a photo ID (the customer's or a named proxy's).

A wrong code is a guess at a secret, so it is counted and the fifth locks the pickup until a
manager unlocks it with their PIN. Those refusals are returned as values, not raised, so the count
and its audit entry commit; input that is simply malformed (a code that is not six digits, an ID
name that does not match) raises and records nothing. An ID check records the ID's type and last
four characters, never the whole number.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.associates import Role
from core.domain.errors import ValidationError
from core.domain.inventory import utc_now
from core.domain.pickup import (
    CODE_DIGITS,
    MAX_CODE_ATTEMPTS,
    VerifyMethod,
    check_id,
    code_matches,
    same_person,
)
from core.domain.pickup_desk import VerifyOutcome
from core.services import audit
from core.services.associates import require_role, verify_pin
from core.services.orders import SYSTEM, Actor, get_order
from core.services.pickup import get_pickup, require_open
from core.services.pickup_lookup import check_pickup_qr
from core.storage.models import Pickup


def _locked(pickup: Pickup) -> VerifyOutcome:
    return VerifyOutcome(
        False,
        f"order {pickup.order_id} is locked after {MAX_CODE_ATTEMPTS} wrong codes: a manager must unlock it",
        0,
        True,
        pickup.id,
    )


def _verified(
    session: Session, pickup: Pickup, method: VerifyMethod, actor: Actor, now: datetime, who: str, kind: str
) -> VerifyOutcome:
    pickup.failed_attempts = 0
    pickup.verified_at, pickup.verified_by, pickup.verified_method = now, actor.user, method.value
    pickup.collector_name, pickup.collector_kind = who[:120], kind
    pickup.updated_at = now
    detail = f"{method.value}; collected by {kind}" + (f" {who}" if who else "")
    if method is VerifyMethod.ID:
        detail += f"; {pickup.id_type} ending {pickup.id_last4}"
    audit.record(session, actor, "pickup.verified", pickup.id, detail, now=now)
    session.flush()
    return VerifyOutcome(
        True, f"order {pickup.order_id}: verified ({method.value})", MAX_CODE_ATTEMPTS, False, pickup.id
    )


def _start(session: Session, pickup_id: str, actor: Actor) -> Pickup:
    require_role(session, actor, Role.ASSOCIATE)
    pickup = get_pickup(session, pickup_id)
    require_open(pickup)
    return pickup


def verify_code(
    session: Session,
    pickup_id: str,
    code: str,
    *,
    collector_name: str = "",
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> VerifyOutcome:
    """The customer (or anyone they gave it to) says the six-digit code."""
    stamp = now or utc_now()
    pickup = _start(session, pickup_id, actor)
    if pickup.locked_at is not None:
        return _locked(pickup)
    typed = "".join(code.split())
    if len(typed) != CODE_DIGITS or not typed.isdigit():
        raise ValidationError(f"a pickup code is {CODE_DIGITS} digits", field="code")
    if not code_matches(typed, pickup.code_salt, pickup.code_hash):
        pickup.failed_attempts += 1
        pickup.updated_at = stamp
        left = MAX_CODE_ATTEMPTS - pickup.failed_attempts
        if left <= 0:
            pickup.locked_at = stamp
            audit.record(
                session, actor, "pickup.locked", pickup.id, f"{MAX_CODE_ATTEMPTS} wrong codes", now=stamp
            )
            session.flush()
            return _locked(pickup)
        audit.record(session, actor, "pickup.code_failed", pickup.id, f"{left} attempt(s) left", now=stamp)
        session.flush()
        return VerifyOutcome(
            False, f"wrong code for order {pickup.order_id}; {left} attempt(s) left", left, False, pickup.id
        )
    kind = (
        "proxy"
        if collector_name and not same_person(collector_name, _customer(session, pickup))
        else "customer"
    )
    return _verified(session, pickup, VerifyMethod.CODE, actor, stamp, collector_name.strip(), kind)


def _customer(session: Session, pickup: Pickup) -> str:
    return get_order(session, pickup.order_id).customer_name


def verify_qr(
    session: Session, payload: str, *, location: str, actor: Actor = SYSTEM, now: datetime | None = None
) -> VerifyOutcome:
    """A scanned QR from the ready-for-pickup e-mail: checked offline with the store's key."""
    stamp = now or utc_now()
    require_role(session, actor, Role.ASSOCIATE)
    verdict = check_pickup_qr(session, payload, location)
    if not verdict.ok or verdict.claim is None:
        raise ValidationError(verdict.message, field="qr")
    pickup = _start(session, verdict.claim.fulfilment_id, actor)
    if pickup.locked_at is not None:
        return _locked(pickup)
    if not code_matches(verdict.claim.code, pickup.code_salt, pickup.code_hash):
        raise ValidationError(
            f"this QR code for order {pickup.order_id} was replaced by a newer one", field="qr"
        )
    return _verified(session, pickup, VerifyMethod.QR, actor, stamp, "", "customer")


def verify_id(
    session: Session,
    pickup_id: str,
    *,
    id_type: str,
    id_last4: str,
    holder_name: str,
    proxy: bool = False,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> VerifyOutcome:
    """A photo ID instead of the code: the customer's, or the proxy's the customer named beforehand."""
    stamp = now or utc_now()
    pickup = _start(session, pickup_id, actor)
    if pickup.locked_at is not None:
        return _locked(pickup)
    kind, tail = check_id(id_type, id_last4)
    name = " ".join(holder_name.split())
    if not name:
        raise ValidationError("type the name shown on the ID", field="holder_name")
    if proxy:
        if not pickup.proxy_name:
            raise ValidationError(
                f"order {pickup.order_id} names nobody to collect it for the customer", field="proxy"
            )
        if not same_person(name, pickup.proxy_name):
            raise ValidationError(
                f"the ID says {name}; the proxy named on order {pickup.order_id} is {pickup.proxy_name}",
                field="holder_name",
            )
    elif not same_person(name, _customer(session, pickup)):
        raise ValidationError(
            f"the ID says {name}; order {pickup.order_id} is for {_customer(session, pickup)}",
            field="holder_name",
        )
    pickup.id_type, pickup.id_last4 = kind.value, tail
    return _verified(session, pickup, VerifyMethod.ID, actor, stamp, name, "proxy" if proxy else "customer")


def unlock_pickup(
    session: Session,
    pickup_id: str,
    *,
    manager_id: str,
    manager_pin: str,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> VerifyOutcome:
    """A manager's PIN lifts the lock (the wrong PIN counts toward the manager's own lockout)."""
    stamp = now or utc_now()
    pickup = _start(session, pickup_id, actor)
    approval = verify_pin(
        session, manager_id, manager_pin, purpose=f"unlock pickup {pickup.id}", by=actor, now=stamp
    )
    if not approval.ok:
        return VerifyOutcome(False, approval.message, 0, pickup.locked_at is not None, pickup.id)
    pickup.failed_attempts, pickup.locked_at, pickup.updated_at = 0, None, stamp
    audit.record(
        session,
        Actor(manager_id, actor.device),
        "pickup.unlocked",
        pickup.id,
        f"at {actor.user}'s request",
        now=stamp,
    )
    session.flush()
    return VerifyOutcome(
        True,
        f"order {pickup.order_id} unlocked by {approval.signed_in.name if approval.signed_in else manager_id}",
        MAX_CODE_ATTEMPTS,
        False,
        pickup.id,
    )
