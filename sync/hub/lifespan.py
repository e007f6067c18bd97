"""What a serving hub process changes about its interpreter, so a pull waits less beside pushes.

A pull served beside running pushes waits for the interpreter lock each time it comes back from
the network or the database. Two of the process's settings decide how long (`oms bench sync`,
BENCHMARKS.md "Sync"), and both are set for as long as the server runs, then restored:

* the switch interval: a thread waiting for the lock asks the holder to hand it over after this
  long, by default 5 ms, a dozen times per pull; the hub asks after `SWITCH_INTERVAL`;
* the cyclic garbage collector: a full collection holds the lock while it walks every tracked
  object, and a freshly started hub holds about 140,000 (its modules, the app, the router's rate
  sheet) that live as long as the process. Walking them took 65 ms on an idle core, and full
  collections took 140-700 ms under a push fleet (usually run by a push thread, which allocates
  most and runs at a lower priority, `push_gate`); every request of the process waited that
  long. They are frozen at start (`gc.freeze`): never collected, never walked again.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import AsyncIterator

SWITCH_INTERVAL = 0.0005  # seconds a thread waiting for the interpreter lock waits before asking for it


@contextlib.asynccontextmanager
async def serving(_app: object) -> AsyncIterator[None]:
    """The server's lifespan: a short switch interval, and what exists at start kept out of
    garbage collection; both undone when it stops (a process that built many apps, such as a
    test run, would otherwise keep every one of them). A heap that its owner already froze is
    left to that owner."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    freezing = gc.get_freeze_count() == 0
    if freezing:
        gc.collect()
        gc.freeze()
    try:
        yield
    finally:
        if freezing:
            gc.unfreeze()
        sys.setswitchinterval(before)
