"""The Pick screens' service calls, bound for the UI (see `ui.pick_ports.PickServices`).

Kept beside the composition root so `app/store_app.py` stays a list of parts. Every write names
the signed-in associate and this tablet, so the audit trail and the hub's events say who did it.
"""

from __future__ import annotations

from core.domain.associates import SignedIn
from core.services import pick_progress, pick_queue, pick_short, pick_walk
from core.services.associates import actor_of
from core.services.catalog import product_by_barcode
from core.services.orders import Actor
from ui.pick_ports import PickServices


def _product_name(session: object, code: str) -> str | None:
    product = product_by_barcode(session, code)  # type: ignore[arg-type]
    return f"{product.name} ({product.sku})" if product is not None else None


def pick_services(device: str) -> PickServices:
    def actor(person: SignedIn) -> Actor:
        return actor_of(SignedIn(person.associate_id, person.name, person.role, device))

    return PickServices(
        queue_page=lambda query: lambda s: pick_queue.queue_page(s, query),
        detail=lambda fid: lambda s: pick_queue.fulfilment_detail(s, fid),
        start_walk=lambda person, ids: lambda s: pick_walk.start_walk(s, list(ids), actor=actor(person)),
        finish_walk=lambda person, picked: lambda s: pick_walk.finish_walk(s, picked, actor=actor(person)),
        save_in_tote=lambda fid, sku, units: lambda s: pick_progress.save_in_tote(s, fid, sku, units),
        preview_short=lambda lines, reason: lambda s: pick_short.preview_short_pick(s, lines, reason),
        confirm_short=lambda person, lines, reason, note: (
            lambda s: pick_short.confirm_short_pick(s, lines, reason, note=note, actor=actor(person))
        ),
        product_name=lambda code: lambda s: _product_name(s, code),
        notices=lambda: pick_walk.reroute_notices,
        acknowledge=lambda ids: lambda s: pick_walk.acknowledge_notices(s, list(ids)),
        taps_allowed=lambda: pick_walk.taps_allowed,
        set_taps_allowed=lambda person, allowed: (
            lambda s: pick_walk.set_taps_allowed(s, allowed, actor=actor(person))
        ),
    )
