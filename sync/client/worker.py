"""Database work for the sync client, off the event loop and on one thread at a time.

Principle 6: a SQLAlchemy session belongs to one thread and the loop must never wait on disk.
Every call runs one unit of work (`Database.transaction`) on a single dedicated worker thread, so
calls are serialised in the order they were made and SQLite sees one writer from this client.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from core.storage.database import Database

T = TypeVar("T")


class DbWorker:
    """Runs `fn(session, *args)` in its own transaction on the worker thread and awaits the result."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oms-sync-db")

    def _unit_of_work(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        with self.database.transaction() as session:
            return fn(session, *args, **kwargs)

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        call = functools.partial(self._unit_of_work, fn, args, kwargs)
        return await loop.run_in_executor(self._executor, call)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
