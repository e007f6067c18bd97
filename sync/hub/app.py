"""The hub's FastAPI application factory: nothing is built at import time, everything is passed in."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import text
from starlette.middleware.gzip import GZipMiddleware

from core.domain.inventory import utc_now
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.services.allocation import Router
from core.services.hub.feed import feed_epoch
from core.services.rule_sets import active_rule_set
from core.storage.database import Database
from sync.hub import errors, openapi, routes_inventory, routes_locations, routes_orders, routes_sync
from sync.hub.context import Hub, HubDep
from sync.hub.lifespan import serving
from sync.hub.limits import BodyLimit
from sync.hub.push_gate import PUSH_SLOTS, PushGate
from sync.protocol import PROTOCOL_VERSION

MAX_BODY = 1_000_000
GZIP_FROM = 16_000  # bytes: small answers are not worth compressing

DESCRIPTION = """\
The Store OMS hub: network inventory, order intake and routing, and sync for store devices.

Authenticate with `Authorization: Bearer <token>`. Roles: `store-device` (its own store's
fulfilments and movements, via /v1/sync), `integration` (orders, stock feeds), `manager` (read).
Every error is `application/problem+json` with the failing `field`."""


def create_app(
    database: Database,
    router: Router | None = None,
    *,
    max_body: int = MAX_BODY,
    push_slots: int = PUSH_SLOTS,
) -> FastAPI:
    """The hub over an opened database; without a router, routing quotes the sample carrier sheet.
    `push_slots`: pushes applied at once by this process (`sync.hub.push_gate`)."""
    router = router or Router(RateBroker(load_sample_rate_sheet()))
    with database.transaction() as session:
        active_rule_set(session)  # created once here, not raced for by the first orders
        feed_epoch(session)  # likewise the name of the feed every cursor belongs to
    app = FastAPI(
        title="Store OMS hub",
        version=f"v{PROTOCOL_VERSION}",
        description=DESCRIPTION,
        lifespan=serving,
    )
    app.state.hub = Hub(database=database, router=router, max_body=max_body, push_gate=PushGate(push_slots))
    errors.install(app)
    openapi.install(app)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    # Snapshots are the big answers (about 0.5 MB of JSON for the 2,000-SKU demo store, a tenth of
    # that compressed); a tablet on a shop's link gets them gzipped when it says it accepts gzip.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_FROM, compresslevel=5)
    app.include_router(routes_sync.router)
    app.include_router(routes_orders.router)
    app.include_router(routes_inventory.router)
    app.include_router(routes_locations.router)

    @app.get("/healthz", tags=["ops"], summary="Liveness and database reachability (no token)")
    def healthz(hub: HubDep) -> dict[str, Any]:
        with hub.database.transaction() as session:
            session.execute(text("SELECT 1"))
        return {
            "status": "ok",
            "protocol": PROTOCOL_VERSION,
            "database": hub.database.dialect,
            "time": utc_now().isoformat(),
        }

    return app
