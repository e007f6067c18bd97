"""Pushes are admitted a few at a time per hub process, on worker threads of their own.

A fleet of stores coming back online sends hundreds of pushes at once, and each is seconds of
CPU and database work holding a pooled connection. Run all at once they would take every worker
thread and connection of the process, so a pull, an order or a stock read would queue behind them
(tens of seconds under load) and a push could outwait the connection pool's timeout. Admitted
`slots` at a time, waiting pushes hold neither a thread nor a connection, everything else is
served beside them, and the pushes themselves finish no later: the CPU was the limit anyway.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

T = TypeVar("T")
PUSH_SLOTS = 2  # per process: more only adds contention for the one interpreter lock (see BENCHMARKS.md)


class PushGate:
    """A capacity limiter per event loop (tests drive an app from a new loop per request)."""

    def __init__(self, slots: int = PUSH_SLOTS) -> None:
        if slots < 1:
            raise ValueError(f"push slots must be at least 1, not {slots}")
        self.slots = slots
        self._limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
            weakref.WeakKeyDictionary()
        )

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = self._limiters[loop] = CapacityLimiter(self.slots)
        return await anyio.to_thread.run_sync(functools.partial(work, *args), limiter=limiter)
