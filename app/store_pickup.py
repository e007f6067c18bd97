"""The Pickup screens' service calls, bound for the UI (see `ui.pickup_ports.PickupServices`).

Kept beside the composition root so `app/store_app.py` stays a list of parts. Every write names
the signed-in associate and this tablet; the store's code is read from its settings inside each
call, so a tablet enrolled after start-up needs no restart.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.domain.associates import SignedIn
from core.domain.errors import ValidationError
from core.services import pickup, pickup_handover, pickup_lookup, pickup_verify, store_tasks
from core.services.associates import actor_of
from core.services.orders import Actor
from core.services.pick_queue import store_location
from ui.pickup_ports import PickupServices


def location(session: Session) -> str:
    code = store_location(session)
    if code is None:
        raise ValidationError("this tablet is not enrolled with a store yet", field="location")
    return code


def _reissue(session: Session, pickup_id: str, actor: Actor) -> None:
    """The new code goes to the customer by e-mail only: the tablet never sees it."""
    pickup.reissue_code(session, pickup_id, actor=actor)


def pickup_services(device: str) -> PickupServices:
    def actor(person: SignedIn) -> Actor:
        return actor_of(SignedIn(person.associate_id, person.name, person.role, device))

    return PickupServices(
        waiting=lambda: lambda s: pickup_lookup.waiting_pickups(s, location=location(s)),
        find=lambda text: lambda s: pickup_lookup.find_pickups(s, text, location=location(s)),
        card=lambda pid: lambda s: pickup_lookup.pickup_card(s, pid),
        verify_qr=lambda person, payload: (
            lambda s: pickup_verify.verify_qr(s, payload, location=location(s), actor=actor(person))
        ),
        verify_code=lambda person, pid, code: (
            lambda s: pickup_verify.verify_code(s, pid, code, actor=actor(person))
        ),
        verify_id=lambda person, pid, check: (
            lambda s: pickup_verify.verify_id(
                s,
                pid,
                id_type=check.id_type,
                id_last4=check.last4,
                holder_name=check.holder_name,
                proxy=check.proxy,
                actor=actor(person),
            )
        ),
        name_proxy=lambda person, pid, name: lambda s: pickup.name_proxy(s, pid, name, actor=actor(person)),
        unlock=lambda person, pid, manager, pin: (
            lambda s: pickup_verify.unlock_pickup(
                s, pid, manager_id=manager, manager_pin=pin, actor=actor(person)
            )
        ),
        plan=lambda pid: lambda s: pickup_handover.handover_plan(s, pid),
        progress=lambda pid: lambda s: pickup_handover.handover_progress(s, pid),
        scan=lambda person, pid, code: (
            lambda s: pickup_handover.scan_for_handover(s, pid, code, actor=actor(person))
        ),
        complete=lambda person, pid, signature, left, outcome: (
            lambda s: pickup_handover.complete_handover(
                s, pid, signature=signature, left=list(left), left_outcome=outcome, actor=actor(person)
            )
        ),
        reissue_code=lambda person, pid: lambda s: _reissue(s, pid, actor(person)),
        settings=lambda: pickup.pickup_settings,
        save_settings=lambda person, new: lambda s: pickup.save_pickup_settings(s, new, actor=actor(person)),
        restock_tasks=lambda: lambda s: store_tasks.open_tasks(s, store_tasks.RESTOCK),
        scan_restock=lambda person, code: (
            lambda s: store_tasks.scan_restock(s, code, location=location(s), actor=actor(person))
        ),
    )
