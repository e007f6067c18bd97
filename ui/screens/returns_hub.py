"""The Returns screen's questions to the hub: an order this store did not sell, and news of one it holds.

A customer may return anywhere, so a code the store's database does not know is asked of the hub,
and an order the store holds may have had units returned at other stores since it was copied. Both
are network work: they run as tasks on the asyncio loop (qasync), never on the UI thread, one of
each kind at a time, and their answers come back as signals (dropped once the screen is gone).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import shiboken6
from PySide6.QtCore import QObject, Signal

from core.domain.return_desk import OrderHit

Fetch = Callable[[str], Awaitable[OrderHit | None]]


class HubAsker(QObject):
    """`found(code, hit or None)` / `failed(exc)` answer `ask`; `updated(hit)` follows `refresh`."""

    found = Signal(str, object)
    failed = Signal(object)
    updated = Signal(object)

    def __init__(self, fetch: Fetch | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fetch = fetch  # None: no hub (the demo)
        self.lookup: asyncio.Future[None] | None = None
        self.refreshing: asyncio.Future[None] | None = None

    def ask(self, code: str) -> bool:
        """Ask for an order this store did not sell; False when there is no hub or a question is out."""
        if self.fetch is None or (self.lookup is not None and not self.lookup.done()):
            return False
        self.lookup = asyncio.ensure_future(self._ask(self.fetch, code))
        return True

    def refresh(self, hit: OrderHit) -> None:
        """Bring the store's copy of an order up to date; offline the copy stands and nothing is said."""
        if self.fetch is None or (self.refreshing is not None and not self.refreshing.done()):
            return
        self.refreshing = asyncio.ensure_future(self._refresh(self.fetch, hit))

    async def _ask(self, fetch: Fetch, code: str) -> None:
        try:
            hit = await fetch(code)
        except Exception as exc:  # said on the banner; nothing was copied
            if shiboken6.isValid(self):
                self.failed.emit(exc)
            return
        if shiboken6.isValid(self):
            self.found.emit(code, hit)

    async def _refresh(self, fetch: Fetch, hit: OrderHit) -> None:
        try:
            await fetch(hit.order_id)
        except Exception:  # offline or refused: the store's copy stands
            return
        if shiboken6.isValid(self):
            self.updated.emit(hit)
