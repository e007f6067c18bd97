"""The Returns screen's questions to the hub: an order this store did not sell (by its code, or by
the customer's name, e-mail or phone), and news of an order it holds.

A customer may return anywhere, so what the store's database does not know is asked of the hub,
and an order the store holds may have had units returned at other stores since it was copied. All
of it is network work: each question runs as a task on the asyncio loop (qasync), never on the UI
thread, one of each kind at a time, and its answer comes back as a signal (dropped once the screen
is gone).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from core.domain.return_desk import OrderHit

Fetch = Callable[[str], Awaitable[OrderHit | None]]
Search = Callable[[str], Awaitable[list[OrderHit]]]


class HubAsker(QObject):
    """`found(code, hit or None)` answers `ask`, `searched(words, hits)` answers `search`, `failed(exc)`
    either; `updated(hit)` follows `refresh` (which says nothing when the hub cannot be asked)."""

    found = Signal(str, object)
    searched = Signal(str, object)
    failed = Signal(object)
    updated = Signal(object)

    def __init__(self, fetch: Fetch | None, search: Search | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fetch, self.search_words = fetch, search  # None: no hub (the demo)
        self.tasks: dict[str, asyncio.Future[None]] = {}

    def _start(self, kind: str, work: Coroutine[Any, Any, None]) -> bool:
        running = self.tasks.get(kind)
        if running is not None and not running.done():
            work.close()
            return False
        self.tasks[kind] = asyncio.ensure_future(work)
        return True

    def ask(self, code: str) -> bool:
        """Ask for an order by its code; False when there is no hub or a question is out."""
        return self.fetch is not None and self._start("ask", self._ask(self.fetch, code))

    def search(self, words: str) -> bool:
        """Ask for orders by the customer; False when there is no hub or a search is out."""
        return self.search_words is not None and self._start("search", self._search(self.search_words, words))

    def refresh(self, hit: OrderHit) -> None:
        """Bring the store's copy of an order up to date; offline the copy stands."""
        if self.fetch is not None:
            self._start("refresh", self._refresh(self.fetch, hit))

    def _emit(self, signal: Any, *values: object) -> None:
        if shiboken6.isValid(self):
            signal.emit(*values)

    async def _ask(self, fetch: Fetch, code: str) -> None:
        try:
            hit = await fetch(code)
        except Exception as exc:  # said on the banner; nothing was copied
            self._emit(self.failed, exc)
            return
        self._emit(self.found, code, hit)

    async def _search(self, search: Search, words: str) -> None:
        try:
            hits = await search(words)
        except Exception as exc:  # said on the banner
            self._emit(self.failed, exc)
            return
        self._emit(self.searched, words, hits)

    async def _refresh(self, fetch: Fetch, hit: OrderHit) -> None:
        try:
            await fetch(hit.order_id)
        except Exception:  # offline or refused: the store's copy stands
            return
        self._emit(self.updated, hit)
