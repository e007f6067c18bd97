"""What the Pick screens need, handed in by the composition root (`app/store_pick.py` binds it).

Same rule as `ui.ports`: the UI may not import `core.services`, so each entry is a bound call that
returns an `Op` for `ui.ops.OpRunner`. Calls that write take the signed-in person, so the audit
trail and the events name who did it on which tablet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from core.domain.associates import SignedIn
from core.domain.picking import (
    FinishResult,
    FulfilmentDetail,
    PickWalk,
    QueuePage,
    QueueQuery,
    RerouteNotice,
    ShortLine,
    ShortPickPreview,
    ShortPickResult,
    ShortReason,
)
from ui.ops import Op


@dataclass(frozen=True, slots=True)
class PickServices:
    queue_page: Callable[[QueueQuery], Op[QueuePage]]
    detail: Callable[[str], Op[FulfilmentDetail]]
    start_walk: Callable[[SignedIn, Sequence[str]], Op[PickWalk]]
    # (person, fulfilment id -> SKU -> units in its tote)
    finish_walk: Callable[[SignedIn, Mapping[str, Mapping[str, int]]], Op[FinishResult]]
    # (fulfilment id, SKU, units now in its tote): written as each unit is counted
    save_in_tote: Callable[[str, str, int], Op[None]]
    preview_short: Callable[[Sequence[ShortLine], ShortReason], Op[ShortPickPreview]]
    confirm_short: Callable[[SignedIn, Sequence[ShortLine], ShortReason, str], Op[ShortPickResult]]
    product_name: Callable[[str], Op[str | None]]  # barcode -> "name (SKU)", None when unknown
    notices: Callable[[], Op[tuple[RerouteNotice, ...]]]
    acknowledge: Callable[[Sequence[int]], Op[int]]
    taps_allowed: Callable[[], Op[bool]]
    set_taps_allowed: Callable[[SignedIn, bool], Op[bool]]  # managers only (checked by the service)
