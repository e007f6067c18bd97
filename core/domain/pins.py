"""PIN hashing for associates: a real key-derivation function, a salt per person, constant-time checks.

A store PIN is short (4 to 8 digits), so a fast hash of it falls to a brute-force search in
seconds if the tablet's database leaks. scrypt makes every guess cost memory and time, the
per-person salt stops one precomputed table from cracking every PIN at once, and the comparison
never leaks through its timing how many bytes of a guess were right. Only the standard library is
used, so the hub and the store verify the same stored string.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from core.domain.errors import ValidationError

PIN_MIN, PIN_MAX = 4, 8
# scrypt cost: N=2^14, r=8, p=1 needs 16 MiB and about 50 ms per check on a tablet; slow for a
# guesser, unnoticeable for a person signing in (the check runs off the UI thread).
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES, SALT_BYTES = 2**14, 8, 1, 32, 16
SCHEME = "scrypt"


def validate_pin(pin: str, *, field: str = "pin") -> str:
    """A PIN is 4 to 8 digits: what a touch keypad can enter and a person can remember."""
    if not (pin.isascii() and pin.isdigit()):
        raise ValidationError("a PIN is digits only", field=field)
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        raise ValidationError(f"a PIN has {PIN_MIN} to {PIN_MAX} digits, not {len(pin)}", field=field)
    return pin


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=length)


def hash_pin(pin: str) -> str:
    """`scrypt$N$r$p$salt$key`: the parameters travel with the hash so they can be raised later."""
    validate_pin(pin)
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def check_pin(pin: str, stored: str) -> bool:
    """True when `pin` matches `stored`; a malformed stored value never matches."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(key, validate=True)
        derived = _derive(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, expected)


# A hash of no real PIN, checked when the named associate does not exist, so an unknown id costs
# the same time as a wrong PIN and the timing does not tell a guesser which ids are real.
_DECOY = None


def burn_equal_time(pin: str) -> None:
    """Spend one PIN check's time for nothing (see `_DECOY`)."""
    global _DECOY
    if _DECOY is None:
        _DECOY = hash_pin("0000")
    check_pin(pin, _DECOY)
