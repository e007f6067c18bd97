"""One-off questions to the hub from a screen, with failures turned into words a person can act on."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from core.domain.errors import ValidationError

T = TypeVar("T")


async def asking_hub(work: Awaitable[T], *, offline: str, field: str) -> T:
    """The hub's answer; `offline` when it cannot be asked (no network, not enrolled), the hub's
    own reason when it says no. Either is a `ValidationError` on `field`, which screens show."""
    from sync.client import HubRefusedError, HubUnavailableError, NotEnrolledError

    try:
        return await work
    except (HubUnavailableError, NotEnrolledError) as exc:
        raise ValidationError(offline, field=field) from exc
    except HubRefusedError as exc:
        raise ValidationError(f"The hub refused the lookup: {exc.detail}", field=field) from exc
