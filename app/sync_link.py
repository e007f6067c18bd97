"""The store's sync client, made on first use, and the enrolment check that does not need it.

The client brings httpx, pydantic and the wire protocol (about 0.3 s of imports) that the sign-in
screen has no use for. `oms app` asks for it once the sign-in screen is painted (the relay starts
then); anything that needs it sooner, such as enrolling on the setup screen, makes it on the spot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from core.services.outbox import SyncKey, settings
from core.storage.database import Database

if TYPE_CHECKING:
    import httpx

    from sync.client import SyncClient


def enrolled(session: Session) -> bool:
    """Has this store a hub and a token? (`sync.client.store_io.credentials`, without its imports.)"""
    values = settings(session)
    return bool(values.get(SyncKey.HUB_URL) and values.get(SyncKey.TOKEN))


class SyncLink:
    """Holds the sync client and its HTTP client once made; `http` lets tests bring their own."""

    def __init__(self, database: Database, http: httpx.AsyncClient | None = None) -> None:
        self._database, self._http = database, http
        self._client: SyncClient | None = None

    @property
    def made(self) -> bool:
        return self._client is not None

    def client(self) -> SyncClient:
        if self._client is None:
            import httpx

            from sync.client import SyncClient

            if self._http is None:
                self._http = httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0))
            self._client = SyncClient(self._database, self._http)
        return self._client

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._client is not None:
            self._client.close()
