"""Keeping a pick walk's totes in the database as the associate scans, and reading them back.

The walk is followed in memory (`core.domain.pick_progress`); each counted unit is written here
too, in the background, as the tote's new total for that order and SKU (an absolute number, so a
save that runs twice writes the same row). `build_walk` reads them back for orders still
`picking`, so closing the app, a crash or a flat battery mid-walk costs nothing but the walk back
to where the associate stood. Finishing a fulfilment removes its rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError, ValidationError
from core.domain.inventory import utc_now
from core.storage.models import Fulfilment, PickProgress


def save_in_tote(
    session: Session, fulfilment_id: str, sku: str, picked: int, *, now: datetime | None = None
) -> None:
    """`picked` units of `sku` are in `fulfilment_id`'s tote now."""
    if isinstance(picked, bool) or not isinstance(picked, int) or picked < 0:
        raise ValidationError(f"{picked!r} units in a tote?", field="picked")
    if session.get(Fulfilment, fulfilment_id) is None:
        raise NotFoundError(f"no fulfilment {fulfilment_id}", field="fulfilment_id")
    row = session.get(PickProgress, (fulfilment_id, sku))
    if row is None:
        session.add(
            PickProgress(fulfilment_id=fulfilment_id, sku=sku, picked=picked, updated_at=now or utc_now())
        )
    else:
        row.picked, row.updated_at = picked, now or utc_now()
    session.flush()


def in_totes(session: Session, fulfilment_ids: Iterable[str]) -> tuple[tuple[str, str, int], ...]:
    """(fulfilment, SKU, units) already picked for these fulfilments, for `PickWalk.in_totes`."""
    rows = session.execute(
        select(PickProgress.fulfilment_id, PickProgress.sku, PickProgress.picked)
        .where(PickProgress.fulfilment_id.in_(list(fulfilment_ids)), PickProgress.picked > 0)
        .order_by(PickProgress.fulfilment_id, PickProgress.sku)
    )
    return tuple((fid, sku, picked) for fid, sku, picked in rows)


def empty_totes(session: Session, fulfilment_ids: Iterable[str]) -> None:
    """The walk of these fulfilments is over (picked, or out of this store's hands)."""
    ids = list(fulfilment_ids)
    if ids:
        session.execute(delete(PickProgress).where(PickProgress.fulfilment_id.in_(ids)))
