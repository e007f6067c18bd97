"""Stock feeds from DCs, 3PLs and drop shippers, and network-wide stock visibility."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from core.services.hub.access import Role
from core.services.hub.feeds import FeedLine, apply_inventory_feed
from core.services.hub.views import stock_view
from sync.hub.context import Caller, HubDep, run_unit
from sync.protocol import Code
from sync.protocol.stock import NetworkStock

router = APIRouter(prefix="/v1/inventory", tags=["inventory"])


class FeedLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: Annotated[str, Field(min_length=1, max_length=100, description="the feed's idempotency key")]
    sku: Code
    on_hand: Annotated[int, Field(strict=True, ge=0, le=10_000_000)] | None = None
    qty: Annotated[int, Field(strict=True, ge=-10_000_000, le=10_000_000)] | None = None


class FeedRequest(BaseModel):
    """`snapshot` lines give `on_hand`; `delta` lines give a signed `qty`."""

    model_config = ConfigDict(extra="forbid")
    location: Code
    mode: Literal["snapshot", "delta"]
    occurred_at: AwareDatetime | None = None
    lines: Annotated[list[FeedLineIn], Field(min_length=1, max_length=5000)]

    @model_validator(mode="after")
    def _amounts(self) -> FeedRequest:
        wanted = "on_hand" if self.mode == "snapshot" else "qty"
        for i, line in enumerate(self.lines):
            if getattr(line, wanted) is None or (line.on_hand is not None and line.qty is not None):
                raise ValueError(f"lines[{i}]: a {self.mode} line gives {wanted} (only)")
        return self


class FeedResult(BaseModel):
    key: str
    id: uuid.UUID
    status: Literal["applied", "duplicate", "rejected"]
    reason: str = ""
    field: str | None = None


class FeedResponse(BaseModel):
    location: str
    results: list[FeedResult]


@router.post("/feeds", response_model=FeedResponse, summary="Apply a stock snapshot or deltas from a feed")
def post_feed(body: FeedRequest, hub: HubDep, caller: Caller) -> FeedResponse:
    caller.require(Role.INTEGRATION)
    lines = [
        FeedLine(ln.key, ln.sku, ln.on_hand if body.mode == "snapshot" else ln.qty)  # type: ignore[arg-type]
        for ln in body.lines
    ]
    outcomes = run_unit(
        hub,
        lambda s: apply_inventory_feed(
            s, hub.router, body.location, body.mode, lines, occurred_at=body.occurred_at
        ),
    )
    return FeedResponse(
        location=body.location,
        results=[
            FeedResult(key=ln.key, id=o.id, status=o.status, reason=o.reason, field=o.field)
            for ln, o in zip(body.lines, outcomes, strict=True)
        ],
    )


@router.get("/{sku}", response_model=NetworkStock, summary="Where a SKU is across the network (any token)")
def get_stock(sku: Annotated[str, Path(max_length=32)], hub: HubDep, caller: Caller) -> dict[str, Any]:
    return run_unit(hub, lambda s: stock_view(s, sku))
