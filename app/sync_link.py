"""The store's sync client, made on first use, and the enrolment check that does not need it.

The client brings httpx, pydantic and the wire protocol (about 0.3 s of imports) that the sign-in
screen has no use for. `oms app` asks for it once the sign-in screen is painted (the relay starts
then); anything that needs it sooner, such as enrolling on the setup screen, makes it on the spot.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from core.services.outbox import SyncKey, settings
from core.storage.database import Database

if TYPE_CHECKING:
    import httpx

    from sync.client import SyncClient
    from sync.client.status import SyncStatus


def enrolled(session: Session) -> bool:
    """Has this store a hub and a token? (`sync.client.store_io.credentials`, without its imports.)"""
    values = settings(session)
    return bool(values.get(SyncKey.HUB_URL) and values.get(SyncKey.TOKEN))


class SyncLink:
    """Holds the sync client and its HTTP client once made; `http` lets tests bring their own."""

    def __init__(self, database: Database, http: httpx.AsyncClient | None = None) -> None:
        self._database, self._http = database, http
        self._client: SyncClient | None = None
        self._http_lock = threading.Lock()  # `prepare` runs on the warm-up thread

    @property
    def made(self) -> bool:
        return self._client is not None

    def prepare(self) -> None:
        """Make the HTTP client: its TLS context costs about 80 ms of CPU, so the warm-up does it."""
        with self._http_lock:
            if self._http is None:
                import httpx

                self._http = httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0))

    def client(self) -> SyncClient:
        if self._client is None:
            from sync.client import SyncClient

            self.prepare()
            assert self._http is not None
            self._client = SyncClient(self._database, self._http)
        return self._client

    def notify(self) -> None:
        """A change was committed: push it soon. Before the client is made there is nothing to wake;
        the relay pushes what is waiting when it starts."""
        if self._client is not None:
            self._client.notify()

    async def status(self) -> SyncStatus | None:
        """The client's status, or None ("checking…") while it is not made.

        Asking must not make it: that would import the network stack on the UI thread when someone
        signs in before the warm-up has made the client (a 100 ms stall).
        """
        return None if self._client is None else await self._client.status()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._client is not None:
            self._client.close()
