"""Pickup handoff rules with no database in them: codes, the signed QR payload, settings, ID and
signature checks.

Plain values and pure functions, so the Qt screens may hold them and the tablet can check a QR
code with the network down: the payload is signed with the store's own key (HMAC), so the store
that made it verifies it offline and anything altered or made elsewhere is recognised.

The six-digit code is a secret the customer holds. It is stored only as a salted hash, kept out of
every `repr` and never written to the audit log; wrong guesses are counted and lock the pickup.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from core.domain.errors import ValidationError
from core.domain.search_keys import normalise

CODE_DIGITS = 6
MAX_CODE_ATTEMPTS = 5
MAX_SIGNATURE_BYTES = 64 * 1024
QR_PREFIX = "OMSP1"
_SIG_BYTES = 16  # 128 bits of HMAC-SHA256: unforgeable, and short enough for a small QR code


class PickupState(StrEnum):
    READY = "ready"  # on the staging shelf, waiting for the customer
    HELD = "held"  # part collected; the rest is kept on the shelf for a later visit
    COLLECTED = "collected"
    UNCLAIMED = "unclaimed"  # not collected in time: cancelled, units to restock
    CANCELLED = "cancelled"  # cancelled otherwise (the hub or the customer)


OPEN_STATES = (PickupState.READY, PickupState.HELD)


class LeftReason(StrEnum):
    """Why a unit on the order did not leave with the customer."""

    DECLINED = "declined"  # the customer did not want it (or could not take it now)
    DAMAGED = "damaged"
    MISSING = "missing"  # not found on the staging shelf


class LeftOutcome(StrEnum):
    REFUND = "refund"
    KEEP = "keep"  # kept on the shelf for a later visit (declined units only)


class IdType(StrEnum):
    DRIVER_LICENCE = "driver_licence"
    STATE_ID = "state_id"
    PASSPORT = "passport"
    OTHER = "other"


class VerifyMethod(StrEnum):
    CODE = "code"
    QR = "qr"
    ID = "id"


# --------------------------------------------------------------------------- the pickup code


def new_code() -> str:
    """Six random digits from the OS's secure generator (a guess has one chance in a million)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_salt() -> str:
    return secrets.token_hex(16)


def hash_code(code: str, salt: str) -> str:
    """Salted SHA-256 of the code: never stored, logged or shown in clear."""
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def code_matches(code: str, salt: str, stored: str) -> bool:
    typed = "".join(code.split())
    return hmac.compare_digest(hash_code(typed, salt), stored)


# --------------------------------------------------------------------------- the QR payload


class QrProblem(StrEnum):
    MALFORMED = "malformed"
    TAMPERED = "tampered"  # well formed but not signed by this store's key
    OTHER_STORE = "other_store"
    UNKNOWN = "unknown"
    ALREADY_COLLECTED = "already_collected"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class QrClaim:
    """What a QR code says: which store's pickup of which order, and the code (hidden from repr)."""

    store: str
    order_id: str
    fulfilment_id: str
    code: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class QrCheck:
    """The verdict on one scanned QR: `claim` when it could be read, `problem` when it is refused."""

    claim: QrClaim | None
    problem: QrProblem | None
    message: str

    @property
    def ok(self) -> bool:
        return self.problem is None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, f"{QR_PREFIX}.{body}".encode(), hashlib.sha256).digest()[:_SIG_BYTES])


def qr_payload(store: str, order_id: str, fulfilment_id: str, code: str, key: bytes) -> str:
    """`OMSP1.<base64url body>.<base64url HMAC>`: opaque to the eye, verifiable offline by the store."""
    body = _b64("|".join((store, order_id, fulfilment_id, code)).encode())
    return f"{QR_PREFIX}.{body}.{_signature(key, body)}"


def _malformed(message: str) -> QrCheck:
    return QrCheck(None, QrProblem.MALFORMED, message)


def check_qr(
    payload: str, *, store: str, key: bytes, state_of: Callable[[str], str | None] = lambda _: "ready"
) -> QrCheck:
    """Read a scanned QR and say whether it may start a handover here, and if not, why.

    `state_of(fulfilment_id)` gives the pickup's state at this store (None: no such pickup), so the
    function stays pure: the service passes a database lookup, a test a dict's `get`.
    """
    parts = payload.strip().split(".")
    if len(parts) != 3 or parts[0] != QR_PREFIX:
        return _malformed("this is not a pickup QR code of Store OMS")
    try:
        fields = _unb64(parts[1]).decode("utf-8").split("|")
    except (binascii.Error, ValueError):
        return _malformed("the pickup QR code is damaged: it cannot be read")
    if len(fields) != 4 or not all(fields):
        return _malformed("the pickup QR code is damaged: a part is missing")
    claim = QrClaim(*fields)
    if claim.store != store:
        return QrCheck(
            claim,
            QrProblem.OTHER_STORE,
            f"this QR code is for a pickup at store {claim.store} (order {claim.order_id}), not {store}",
        )
    if not hmac.compare_digest(_signature(key, parts[1]), parts[2]):
        return QrCheck(
            claim,
            QrProblem.TAMPERED,
            "the QR code's signature does not match: it was altered or not made here",
        )
    state = state_of(claim.fulfilment_id)
    if state is None:
        return QrCheck(claim, QrProblem.UNKNOWN, f"order {claim.order_id} has no pickup waiting at {store}")
    if state == PickupState.COLLECTED:
        return QrCheck(claim, QrProblem.ALREADY_COLLECTED, f"order {claim.order_id} was already collected")
    if state in (PickupState.UNCLAIMED, PickupState.CANCELLED):
        return QrCheck(claim, QrProblem.CANCELLED, f"order {claim.order_id} was cancelled ({state})")
    return QrCheck(claim, None, f"order {claim.order_id}: QR code accepted")


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True, slots=True)
class PickupSettings:
    """What a store decides about its pickup counter (stored as `pickup.*` store settings)."""

    shelf: str = "PICKUP"
    reminder_days: tuple[int, ...] = (1, 3)
    unclaimed_days: int = 7

    def __post_init__(self) -> None:
        if not self.shelf.strip() or len(self.shelf) > 32:
            raise ValidationError("a staging shelf is 1 to 32 characters", field="shelf")
        if not 1 <= self.unclaimed_days <= 90:
            raise ValidationError("orders are held 1 to 90 days", field="unclaimed_days")
        days = tuple(sorted(set(self.reminder_days)))
        if any(not 0 < d < self.unclaimed_days for d in days):
            raise ValidationError(
                f"reminders come after 1 to {self.unclaimed_days - 1} days (before the order is cancelled)",
                field="reminder_days",
            )
        object.__setattr__(self, "reminder_days", days)

    def as_mapping(self) -> dict[str, str]:
        return {
            "pickup.shelf": self.shelf,
            "pickup.reminder_days": ",".join(map(str, self.reminder_days)),
            "pickup.unclaimed_days": str(self.unclaimed_days),
        }

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> PickupSettings:
        default = cls()

        def days(key: str, text: str) -> list[int]:
            try:
                return [int(part) for part in text.split(",") if part.strip()]
            except ValueError:
                raise ValidationError(f"{text!r} is not a list of whole days", field=key) from None

        reminders = values.get("pickup.reminder_days")
        unclaimed = values.get("pickup.unclaimed_days")
        return cls(
            shelf=values.get("pickup.shelf") or default.shelf,
            reminder_days=tuple(days("pickup.reminder_days", reminders))
            if reminders is not None
            else default.reminder_days,
            unclaimed_days=days("pickup.unclaimed_days", unclaimed)[0]
            if unclaimed
            else default.unclaimed_days,
        )


# --------------------------------------------------------------------------- ID and signature


def check_id(id_type: str, last4: str) -> tuple[IdType, str]:
    """An ID check records the type and the last four characters only, never the full number."""
    try:
        kind = IdType(id_type)
    except ValueError:
        allowed = ", ".join(t.value for t in IdType)
        raise ValidationError(f"{id_type!r} is not one of {allowed}", field="id_type") from None
    tail = last4.strip().upper()
    if len(tail) > 4:
        raise ValidationError(
            "give only the last 4 characters of the ID number; the full number is never recorded",
            field="id_last4",
        )
    if len(tail) != 4 or not tail.isalnum() or not tail.isascii():
        raise ValidationError("the last 4 characters of the ID are 4 letters or digits", field="id_last4")
    return kind, tail


_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_SVG_PATH = re.compile(r"^[Mm][MmLlHhVvCcSsQqTtAaZz0-9eE.,\s+-]*$")


def check_signature(signature: bytes | str) -> tuple[str, bytes]:
    """A signature is a PNG image (bytes) or SVG path data (text), at most 64 KiB: ('png'|'svg', bytes)."""
    if isinstance(signature, str):
        data = signature.strip().encode("ascii", errors="replace")
        kind = "svg"
        if not _SVG_PATH.match(signature.strip()) or len(data) < 4:
            raise ValidationError("the signature is not SVG path data (M x y L ...)", field="signature")
    else:
        data, kind = bytes(signature), "png"
        if not data.startswith(_PNG_MAGIC):
            raise ValidationError("the signature is not a PNG image", field="signature")
    if len(data) > MAX_SIGNATURE_BYTES:
        raise ValidationError(
            f"the signature is {len(data)} bytes; at most {MAX_SIGNATURE_BYTES} are kept", field="signature"
        )
    return kind, data


def same_person(a: str, b: str) -> bool:
    """Names as written on an order and on an ID: case, accents and spacing do not matter."""
    return normalise(a).split() == normalise(b).split()
