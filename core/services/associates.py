"""Associates: creating them, signing them in with a PIN, locking them out, and checking roles.

Roles are checked here, in the services, not only by hiding buttons: the tablet, the command line
and any later door all reach the same functions, so a manager-only action refuses an associate
whichever way it was called. The check reads the associate's row each time, so deactivating a
manager takes their rights away at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.actors import SYSTEM, Actor
from core.domain.associates import (
    IDLE_DEFAULT,
    IDLE_MOST,
    AssociateCard,
    PersonRow,
    Role,
    SignedIn,
    SignInOutcome,
)
from core.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from core.domain.inventory import utc_now
from core.domain.pins import burn_equal_time, check_pin, hash_pin, validate_pin
from core.services import audit
from core.services.outbox import get_setting, set_setting
from core.storage.models.associates import Associate

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)


def actor_of(person: SignedIn) -> Actor:
    """The audit identity of a signed-in person, for every service that takes an `Actor`."""
    return Actor(user=person.associate_id, device=person.device)


def _card(row: Associate) -> AssociateCard:
    return AssociateCard(row.id, row.name, Role(row.role), row.locked_until)


def require_role(session: Session, actor: Actor, role: Role | str) -> None:
    """Refuse unless `actor` is an active associate holding `role` (a manager holds every role).

    The system actor (the command line, the hub's own jobs) passes: whoever runs those already owns
    the database. No associate can be called "system" (see `create_associate`).
    """
    needed = Role(role)
    if actor.user == SYSTEM.user:
        return
    row = session.get(Associate, actor.user)
    if row is None or not row.active:
        raise PermissionDeniedError(f"{actor.user or 'nobody'} is not an active associate", field="actor")
    if not Role(row.role).includes(needed):
        raise PermissionDeniedError(f"only a {needed.value} may do this; {row.name} is an {row.role}")


def create_associate(
    session: Session,
    associate_id: str,
    name: str,
    role: Role | str,
    pin: str,
    *,
    by: Actor = SYSTEM,
    now: datetime | None = None,
) -> AssociateCard:
    """Add a person who can sign in; only a manager (or the system) may."""
    require_role(session, by, Role.MANAGER)
    associate_id, name = associate_id.strip(), name.strip()
    if not associate_id or len(associate_id) > 32 or associate_id.lower() == SYSTEM.user:
        raise ValidationError("an associate id is 1 to 32 characters and not 'system'", field="id")
    if not name or len(name) > 80:
        raise ValidationError("a name is 1 to 80 characters", field="name")
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError(f"role is associate or manager, not {role!r}", field="role") from None
    validate_pin(pin)
    if session.get(Associate, associate_id) is not None:
        raise ConflictError(f"associate {associate_id} already exists", field="id")
    stamp = now or utc_now()
    row = Associate(
        id=associate_id,
        name=name,
        role=role.value,
        pin_hash=hash_pin(pin),
        active=True,
        failed_attempts=0,
        created_at=stamp,
    )
    session.add(row)
    audit.record(session, by, "associate.created", associate_id, f"{name} ({role.value})", now=stamp)
    session.flush()
    return _card(row)


def list_associates(session: Session) -> list[AssociateCard]:
    """Active associates by name: the tiles of the sign-in screen."""
    rows = session.scalars(select(Associate).where(Associate.active).order_by(Associate.name, Associate.id))
    return [_card(row) for row in rows]


def everyone(session: Session, *, by: Actor) -> list[PersonRow]:
    """Everyone who has a PIN here, active or not, by name (manager only): the People card."""
    require_role(session, by, Role.MANAGER)
    rows = session.scalars(select(Associate).order_by(Associate.active.desc(), Associate.name, Associate.id))
    return [
        PersonRow(row.id, row.name, Role(row.role), row.active, row.locked_until, row.last_sign_in_at)
        for row in rows
    ]


def _attempt(
    session: Session, associate_id: str, pin: str, who: Actor, stamp: datetime, action: str
) -> tuple[Associate | None, SignInOutcome | None]:
    """Check a PIN against the lockout rules: (the associate, None) when right, (None, refusal) when not.

    Wrong PINs count; the fifth in a row locks the person out for `LOCKOUT`. The message never says
    whether the id or the PIN was wrong to someone guessing ids.
    """
    row = session.get(Associate, associate_id)
    if row is None or not row.active:
        burn_equal_time(pin)
        audit.record(session, who, f"{action}.refused", associate_id, "unknown or inactive", now=stamp)
        return None, SignInOutcome(None, "That PIN is not right for this person.")
    if row.locked_until is not None and row.locked_until > stamp:
        audit.record(session, who, f"{action}.refused", row.id, "locked", now=stamp)
        return None, SignInOutcome(None, _locked_message(row.locked_until), 0, row.locked_until)
    if not check_pin(pin, row.pin_hash):
        row.failed_attempts += 1
        left = MAX_FAILED_ATTEMPTS - row.failed_attempts
        if left <= 0:
            row.locked_until, row.failed_attempts = stamp + LOCKOUT, 0
            audit.record(
                session, who, f"{action}.locked", row.id, f"{MAX_FAILED_ATTEMPTS} wrong PINs", now=stamp
            )
            return None, SignInOutcome(None, _locked_message(row.locked_until), 0, row.locked_until)
        audit.record(session, who, f"{action}.failed", row.id, f"{left} attempt(s) left", now=stamp)
        plural = "s" if left != 1 else ""
        return None, SignInOutcome(None, f"Wrong PIN. {left} attempt{plural} left before a lockout.", left)
    row.failed_attempts, row.locked_until = 0, None
    return row, None


def sign_in(
    session: Session, associate_id: str, pin: str, *, device: str = "", now: datetime | None = None
) -> SignInOutcome:
    """Check a PIN and sign the person in (see `_attempt` for the lockout rules).

    Refusals are returned, not raised, so the caller's transaction commits the counter and the audit
    entry.
    """
    stamp = now or utc_now()
    who = Actor(user=associate_id, device=device)
    row, refusal = _attempt(session, associate_id, pin, who, stamp, "sign_in")
    if row is None:
        assert refusal is not None
        return refusal
    row.last_sign_in_at = stamp
    audit.record(session, who, "sign_in.ok", row.id, now=stamp)
    person = SignedIn(row.id, row.name, Role(row.role), device)
    return SignInOutcome(person, f"Hello, {row.name}.")


def verify_pin(
    session: Session,
    associate_id: str,
    pin: str,
    *,
    purpose: str,
    role: Role = Role.MANAGER,
    by: Actor = SYSTEM,
    now: datetime | None = None,
) -> SignInOutcome:
    """A PIN typed to approve something at someone else's tablet (a manager unlocking a pickup,
    a return without a receipt). Wrong PINs count toward the same lockout as sign-ins, and the
    refusal is returned, not raised, so the count commits with the caller's transaction."""
    stamp = now or utc_now()
    who = Actor(user=by.user, device=by.device)
    row, refusal = _attempt(session, associate_id, pin, who, stamp, "approval")
    if row is None:
        assert refusal is not None
        return refusal
    if not Role(row.role).includes(role):
        audit.record(session, who, "approval.refused", row.id, f"not a {role.value}: {purpose}", now=stamp)
        return SignInOutcome(None, f"{row.name} is not a {role.value}; ask a {role.value} to approve.")
    audit.record(session, who, "approval.ok", row.id, purpose, now=stamp)
    return SignInOutcome(SignedIn(row.id, row.name, Role(row.role), by.device), f"Approved by {row.name}.")


def _locked_message(until: datetime) -> str:
    return (
        f"Too many wrong PINs: locked until {until.astimezone().strftime('%H:%M')}. "
        "A manager can unlock you sooner."
    )


def sign_out(session: Session, person: SignedIn, *, now: datetime | None = None) -> None:
    audit.record(session, actor_of(person), "sign_out", person.associate_id, now=now)


def _get(session: Session, associate_id: str) -> Associate:
    row = session.get(Associate, associate_id)
    if row is None:
        raise NotFoundError(f"no associate {associate_id}", field="id")
    return row


def unlock_associate(session: Session, associate_id: str, *, by: Actor, now: datetime | None = None) -> None:
    """Lift a lockout before it runs out (manager only)."""
    require_role(session, by, Role.MANAGER)
    row = _get(session, associate_id)
    row.failed_attempts, row.locked_until = 0, None
    audit.record(session, by, "associate.unlocked", associate_id, now=now)
    session.flush()


def set_active(
    session: Session, associate_id: str, active: bool, *, by: Actor, now: datetime | None = None
) -> None:
    """Let someone sign in again, or stop them (manager only); rights end with the next call."""
    require_role(session, by, Role.MANAGER)
    if associate_id == by.user and not active:
        raise ValidationError("you cannot deactivate yourself", field="id")
    _get(session, associate_id).active = active
    audit.record(
        session, by, "associate.activated" if active else "associate.deactivated", associate_id, now=now
    )
    session.flush()


def change_pin(
    session: Session, associate_id: str, new_pin: str, *, by: Actor, now: datetime | None = None
) -> None:
    """A person changes their own PIN; a manager may set anyone's."""
    if by.user != associate_id:
        require_role(session, by, Role.MANAGER)
    validate_pin(new_pin)
    row = _get(session, associate_id)
    row.pin_hash = hash_pin(new_pin)
    row.failed_attempts, row.locked_until = 0, None
    audit.record(session, by, "associate.pin_changed", associate_id, now=now)
    session.flush()


def change_own_pin(
    session: Session, person: SignedIn, current_pin: str, new_pin: str, *, now: datetime | None = None
) -> SignInOutcome:
    """The signed-in person changes their PIN on the tablet, proving the current one first (so a
    tablet left signed in does not let someone else take the account over). A wrong current PIN
    counts toward the lockout and is returned, not raised, so the count commits."""
    validate_pin(new_pin, field="new_pin")
    stamp = now or utc_now()
    who = actor_of(person)
    row, refusal = _attempt(session, person.associate_id, current_pin, who, stamp, "pin_change")
    if row is None:
        assert refusal is not None
        return refusal
    change_pin(session, person.associate_id, new_pin, by=who, now=stamp)
    return SignInOutcome(person, "Your PIN is changed. Use the new one from your next sign-in.")


IDLE_KEY = "idle_sign_out_minutes"


def idle_sign_out_minutes(session: Session) -> int:
    """Minutes without a tap or scan before a tablet signs its person out."""
    return int(get_setting(session, IDLE_KEY, str(IDLE_DEFAULT)) or IDLE_DEFAULT)


def set_idle_sign_out_minutes(
    session: Session, minutes: int, *, by: Actor, now: datetime | None = None
) -> int:
    """A store policy (manager only): 1 to 120 minutes; never would leave tablets open to anyone."""
    require_role(session, by, Role.MANAGER)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= IDLE_MOST:
        raise ValidationError(f"sign out after 1 to {IDLE_MOST} minutes, not {minutes!r}", field="minutes")
    set_setting(session, IDLE_KEY, str(minutes))
    audit.record(session, by, "policy.idle_sign_out", "store", f"{minutes} minutes", now=now)
    return minutes


# The demo's people: fixed PINs so anyone trying the demo can sign in (printed by `oms init --demo`).
DEMO_ASSOCIATES = (
    ("1001", "Amy Rivera", Role.ASSOCIATE, "1234"),
    ("1002", "Ben Okafor", Role.ASSOCIATE, "2468"),
    ("9001", "Morgan Lee", Role.MANAGER, "9876"),
)


def add_demo_associates(session: Session) -> list[tuple[str, str, Role, str]]:
    """Create the demo associates that do not exist yet; returns (id, name, role, PIN) of each."""
    for associate_id, name, role, pin in DEMO_ASSOCIATES:
        if session.get(Associate, associate_id) is None:
            create_associate(session, associate_id, name, role, pin)
    return list(DEMO_ASSOCIATES)
