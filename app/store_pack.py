"""The Pack screen's service calls, bound for the UI (see `ui.ports.PackServices`).

Kept beside the composition root rather than in it so `app/store_app.py` stays a list of parts:
the box list is read once here (a bad file is an error at start, not at the bench), and every
write names the signed-in associate and this tablet in the audit trail.
"""

from __future__ import annotations

from pathlib import Path

from app.settings import box_list_path
from app.settings import documents_dir as default_documents_dir
from core.domain.associates import SignedIn
from core.domain.boxes import Box, load_boxes
from core.domain.packing import ShipResult
from core.services import packing
from core.services.associates import actor_of
from core.services.orders import Actor
from core.services.pickup import stage_for_pickup
from ui.ports import PackServices


def _stage(session: object, fulfilment_id: str, bags: int, actor: Actor) -> ShipResult:
    """A packed pickup goes onto the store's staging shelf in the bags tagged at the bench, and the
    customer is e-mailed the code and QR (`pickup.stage_for_pickup`), not merely marked ready."""
    stage_for_pickup(session, fulfilment_id, bags=bags, actor=actor)  # type: ignore[arg-type]
    return ShipResult(fulfilment_id, "ready_for_pickup", None, 0)


def pack_services(
    device: str, *, boxes: list[Box] | None = None, documents_dir: Path | None = None
) -> PackServices:
    box_list = boxes if boxes is not None else load_boxes(box_list_path())

    def actor(person: SignedIn) -> Actor:
        return actor_of(SignedIn(person.associate_id, person.name, person.role, device))

    return PackServices(
        packable=lambda: packing.packable,
        sheet=lambda fid: lambda s: packing.pack_sheet(s, fid, box_list),
        packed=lambda person, fid, box: lambda s: packing.record_packed(s, fid, box, actor=actor(person)),
        shipped=lambda person, fid: lambda s: packing.mark_shipped(s, fid, actor=actor(person)),
        ready_for_pickup=lambda person, fid, bags: lambda s: _stage(s, fid, bags, actor(person)),
        documents_dir=documents_dir or default_documents_dir(),
    )
