"""Pushes are admitted a few at a time per hub process, on threads of their own at a lower priority.

A fleet of stores coming back online sends hundreds of pushes at once, and each is seconds of
CPU and database work holding a pooled connection. Run all at once they would take every worker
thread and connection of the process, so a pull, an order or a stock read would queue behind them
(tens of seconds under load) and a push could outwait the connection pool's timeout. Admitted
`slots` at a time, waiting pushes hold neither a thread nor a connection, everything else is
served beside them, and the pushes themselves finish no later: the CPU was the limit anyway.

Served beside them, a pull still competes with the running pushes for a core: the pushes keep both
cores of a small host busy, and a pull, its database backend and its client each waited for the
scheduler in turn (`oms bench sync`, BENCHMARKS.md). Push threads therefore run at a lower priority
(`PUSH_NICENESS`, Linux only): a pull's work is run first, and the pushes take what is left, which
under a fleet is nearly all of it. (The wait for the interpreter lock is `sync.hub.lifespan`'s.)
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
PUSH_SLOTS = 1  # per process; with 2, pull p99 under a push fleet never fell below 100 ms (BENCHMARKS.md)
PUSH_NICENESS = 10  # added to the push threads' nice value


def _lower_priority(niceness: int) -> None:
    """Once per push thread. A raised nice value cannot be lowered again without privileges, so the
    threads are the gate's own and never serve other requests. A host that refuses it (a sandbox)
    still pushes, at the usual priority: an initializer that raised would stop every push."""
    if niceness and sys.platform.startswith("linux"):  # a thread id names one thread only on Linux
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)


class PushGate:
    """`slots` push threads; pushes beyond them wait in the queue, in the order they came."""

    def __init__(self, slots: int = PUSH_SLOTS, niceness: int = PUSH_NICENESS) -> None:
        if slots < 1:
            raise ValueError(f"push slots must be at least 1, not {slots}")
        self.slots = slots
        self._threads = ThreadPoolExecutor(
            slots, thread_name_prefix="oms-push", initializer=_lower_priority, initargs=(niceness,)
        )

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, functools.partial(work, *args))
