"""What the Pickup screens need, handed in by the composition root (`app/store_pickup.py` binds it).

Same rule as `ui.ports`: the UI may not import `core.services`, so each entry is a bound call that
returns an `Op` for `ui.ops.OpRunner`. Calls that write take the signed-in person, so the audit
trail names who did it on which tablet; the store's own code is read inside each call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.domain.associates import SignedIn
from core.domain.handover import HandoverPlan, LeftLine
from core.domain.pickup import PickupSettings
from core.domain.pickup_desk import HandoverResult, HandoverScan, PickupCard, VerifyOutcome
from core.domain.return_desk import TaskCard, TaskProgress
from ui.ops import Op


@dataclass(frozen=True, slots=True)
class IdCheck:
    """What the associate reads off a photo ID: its type, the last 4 characters, the name on it."""

    id_type: str
    last4: str
    holder_name: str
    proxy: bool


@dataclass(frozen=True, slots=True)
class PickupServices:
    waiting: Callable[[], Op[list[PickupCard]]]  # open pickups, oldest first
    find: Callable[[str], Op[list[PickupCard]]]  # typed words, an order number or a QR payload
    card: Callable[[str], Op[PickupCard]]  # pickup id
    verify_qr: Callable[[SignedIn, str], Op[VerifyOutcome]]
    verify_code: Callable[[SignedIn, str, str], Op[VerifyOutcome]]  # (person, pickup id, code)
    verify_id: Callable[[SignedIn, str, IdCheck], Op[VerifyOutcome]]
    name_proxy: Callable[[SignedIn, str, str], Op[None]]  # (person, pickup id, proxy's name)
    unlock: Callable[[SignedIn, str, str, str], Op[VerifyOutcome]]  # (person, pickup, manager, PIN)
    plan: Callable[[str], Op[HandoverPlan]]
    progress: Callable[[str], Op[tuple[dict[str, int], tuple[int, ...]]]]  # scanned at this visit
    scan: Callable[[SignedIn, str, str], Op[HandoverScan]]  # (person, pickup id, code)
    # (person, pickup id, signature PNG, lines left, "refund" | "keep")
    complete: Callable[[SignedIn, str, bytes, Sequence[LeftLine], str], Op[HandoverResult]]
    reissue_code: Callable[[SignedIn, str], Op[None]]  # a new code and QR e-mailed; never shown here
    settings: Callable[[], Op[PickupSettings]]
    save_settings: Callable[[SignedIn, PickupSettings], Op[None]]  # managers only (checked by the service)
    restock_tasks: Callable[[], Op[list[TaskCard]]]
    scan_restock: Callable[[SignedIn, str], Op[TaskProgress]]
