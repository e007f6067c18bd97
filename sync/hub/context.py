"""What every route needs: the hub's database and router, the caller, and a retried unit of work.

Authentication runs in its own short transaction so a refused caller never holds locks. Units of
work retry a few times on PostgreSQL deadlocks and serialisation failures (SQLSTATE 40P01/40001):
lock ordering makes them rare, but routing and feeds lock rows of several locations, and a retry
is the standard, safe answer because the whole transaction rolled back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.services.allocation import Router
from core.services.hub.access import Principal, authenticate
from core.storage.database import Database
from sync.hub.push_gate import PushGate

T = TypeVar("T")
# deadlock, serialisation failure, and a unique key taken by a concurrent first-time insert (two
# first deliveries of one order, the default rule set created by two first orders): the retry
# sees the committed row and takes the idempotent path.
RETRYABLE = {"40P01", "40001", "23505"}
ATTEMPTS = 5


@dataclass
class Hub:
    database: Database
    router: Router
    max_body: int
    push_gate: PushGate = field(default_factory=PushGate)


def hub_of(request: Request) -> Hub:
    return request.app.state.hub


async def _hub(request: Request) -> Hub:
    """`hub_of` as a dependency. Dependencies that do no I/O are coroutines: the framework runs a
    plain function on a worker thread, and each trip there and back waits for the interpreter lock
    that running pushes hold (a pull would make two such trips more than it needs)."""
    return hub_of(request)


def _retryable(exc: DBAPIError) -> bool:
    """PostgreSQL's codes above; SQLite's "database is locked" when a read transaction had to
    become a writer after another writer committed (the busy timeout cannot wait that out)."""
    if getattr(exc.orig, "sqlstate", None) in RETRYABLE:
        return True
    return "database is locked" in str(exc.orig) or "UNIQUE constraint failed" in str(exc.orig)


def run_unit(hub: Hub, work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction (committed before returning), retrying on deadlock."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with hub.database.transaction() as session:
                return work(session)
        except DBAPIError as exc:
            if not _retryable(exc) or attempt == ATTEMPTS:
                raise
            time.sleep(0.01 * 2**attempt)
    raise AssertionError("unreachable")


_bearer = HTTPBearer(auto_error=False, description="a store-device, integration or manager token")


async def bearer_secret(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str | None:
    return credentials.credentials if credentials else None


BearerSecret = Annotated[str | None, Depends(bearer_secret)]


def principal(request: Request, secret: BearerSecret) -> Principal:
    with hub_of(request).database.transaction() as session:
        return authenticate(session, secret)


HubDep = Annotated[Hub, Depends(_hub)]
Caller = Annotated[Principal, Depends(principal)]
