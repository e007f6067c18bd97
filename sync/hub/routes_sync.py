"""Store devices: enrol once, push events, pull changes (DESIGN.md "Hub API v1")."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import pydantic
from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from core.domain.errors import ValidationError
from core.domain.inventory import utc_now
from core.services.hub.access import enrol
from core.services.hub.events import StoreEvent, apply_events
from core.services.hub.inbox import EventOutcome
from core.services.hub.pull_read import read_pull
from core.services.hub.snapshot import store_snapshot
from sync.hub.context import BearerSecret, Caller, Hub, HubDep, run_unit
from sync.hub.translate import to_store_events
from sync.protocol import (
    MAX_EVENTS_PER_PUSH,
    MAX_PULL_LIMIT,
    PROTOCOL_VERSION,
    Change,
    EnrollRequest,
    EnrollResponse,
    PullResponse,
    PushResponse,
)

router = APIRouter(prefix="/v1", tags=["sync"])


class PushEnvelope(BaseModel):
    """`PushRequest` as received: events are validated one by one (see `sync.protocol.Event`)."""

    model_config = ConfigDict(extra="forbid")
    protocol: int = PROTOCOL_VERSION
    events: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_EVENTS_PER_PUSH)]


def _check_protocol(version: int) -> None:
    if version != PROTOCOL_VERSION:
        raise ValidationError(f"this hub speaks protocol {PROTOCOL_VERSION}, not {version}", field="protocol")


@router.post(
    "/enroll", response_model=EnrollResponse, summary="Spend a one-time store code for a device token"
)
def enroll(body: EnrollRequest, hub: HubDep) -> EnrollResponse:
    token, location = run_unit(hub, lambda s: enrol(s, body.code, body.device_name))
    return EnrollResponse(token=token, location=location, hub_time=utc_now())


@router.post("/sync/push", response_model=PushResponse, summary="Apply a batch of store events exactly once")
async def push(request: Request, hub: HubDep, caller: Caller) -> Response:
    """One result per event, in order; the answer is sent only after the batch committed. Pushes
    wait their turn at the process's push gate holding no thread or connection, and their body
    only as bytes: it is parsed when the push's turn comes (`_envelope`). The body is described
    in the OpenAPI document by `sync.hub.openapi`."""
    store = caller.store()
    body = await request.body()
    return await hub.push_gate.run(_apply_push, hub, store, body)


def _envelope(body: bytes) -> PushEnvelope:
    """The push's body, parsed on its slot rather than on arrival. A queued push parsed on
    arrival held a few thousand objects for the garbage collector to walk while it waited, and a
    fleet's queue held hundreds of thousands: each full collection then kept every request of the
    process waiting for tens of milliseconds. Errors are the framework's own 422s."""
    try:
        raw = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        invalid = {"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error"}
        raise RequestValidationError([invalid | {"input": {}, "ctx": {"error": exc.msg}}]) from None
    try:
        envelope = PushEnvelope.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise RequestValidationError([e | {"loc": ("body", *e["loc"])} for e in exc.errors()]) from None
    _check_protocol(envelope.protocol)
    return envelope


def _apply_push(hub: Hub, store: str, body: bytes) -> Response:
    parsed = to_store_events(_envelope(body).events)
    valid = [p for p in parsed if isinstance(p, StoreEvent)]
    applied = run_unit(hub, lambda s: apply_events(s, hub.router, store, valid)) if valid else []
    in_order = iter(applied)
    return _push_answer([p if isinstance(p, EventOutcome) else next(in_order) for p in parsed])


def _push_answer(outcomes: list[EventOutcome]) -> Response:
    """`PushResponse` written directly: a model per result, validated and dumped again by the
    framework, cost more than applying the movement it answers."""
    results = [{"id": o.id, "status": o.status, "reason": o.reason, "field": o.field} for o in outcomes]
    body = orjson.dumps({"protocol": PROTOCOL_VERSION, "results": results})
    return Response(body, media_type="application/json")


@router.get("/sync/pull", response_model=PullResponse, summary="Changes for this store after a cursor")
def pull(
    hub: HubDep,
    secret: BearerSecret,
    cursor: Annotated[int, Query(ge=0, description="seq of the last change applied; 0 on a new device")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 200,
    epoch: Annotated[
        str | None, Query(max_length=64, description="the `epoch` of the answer the cursor came from")
    ] = None,
) -> PullResponse:
    """The caller is authenticated by the same statement that reads its page (`read_pull`), run
    outside a transaction (`Database.statements`): a pull is that statement and the pooled
    connection's liveness check. A snapshot reads more, in a unit of work of its own."""
    with hub.database.statements() as session:
        found = read_pull(session, secret, cursor, limit)
    store = found.caller.store()
    current = found.facts.epoch
    if found.facts.needs_snapshot(cursor, epoch):
        entries, head = run_unit(hub, lambda session: store_snapshot(session, store))
        changes = [Change(seq=head, kind=kind, payload=payload) for kind, payload in entries]
        return PullResponse(changes=changes, cursor=head, more=False, snapshot=True, epoch=current)
    changes = [Change(seq=seq, kind=kind, payload=payload) for seq, kind, payload in found.entries]
    return PullResponse(
        changes=changes,
        cursor=changes[-1].seq if changes else cursor,
        more=found.more,
        epoch=current,
    )
