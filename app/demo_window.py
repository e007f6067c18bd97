"""The demo with a display: the store app in a window, signed in, while new web orders keep coming.

Like `oms app`: Qt on a qasync loop with the sync relay beside it. The demo signs Amy Rivera in
(the sign-in screen, driven as a person would), and posts a new order for the store every
`trickle_seconds` so the queue grows while you watch; after each one the relay is nudged to pull
at once. Closing the window ends the demo (the caller then stops the hub).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable, Iterator

import httpx
from PySide6.QtWidgets import QApplication

from core.domain.orders import OrderRequest
from core.storage.database import Database

Echo = Callable[[str], None]


async def _sign_in(shell: object) -> None:
    """Tap Amy's tile and type her PIN once the sign-in page has its tiles."""
    sign_in = shell.sign_in  # type: ignore[attr-defined]
    for _ in range(200):
        if shell.page == "sign_in" and sign_in.cards:  # type: ignore[attr-defined]
            sign_in.choose_id("1001")
            sign_in.pin.setText("1234")
            sign_in.submit()
            return
        await asyncio.sleep(0.05)


async def _trickle(
    hub_url: str,
    token: str,
    orders: Iterator[OrderRequest],
    every: float,
    notify: Callable[[], None],
    echo: Echo,
) -> None:
    async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0)) as http:
        for order in orders:
            await asyncio.sleep(every)
            response = await http.post(
                f"{hub_url}/v1/orders",
                content=order.model_dump_json(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            if response.status_code in (200, 201):
                places = ", ".join(s["location"] for s in response.json()["shipments"]) or "nowhere"
                echo(f"  new web order {order.id} → {places}")
                notify()


def run_window(
    database: Database,
    hub_url: str,
    token: str,
    orders: Iterator[OrderRequest],
    config: object,
    echo: Echo,
) -> int:
    import qasync

    from app.pickup_timer import start_pickup_timer
    from app.settings import mail_dir
    from app.store_app import assemble

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Store OMS demo")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    out = getattr(config, "out", None)
    store = assemble(app, database, documents_dir=out)
    every = float(getattr(config, "trickle_seconds", 20.0))

    # Closing the window must not stop the loop under our feet: the relay, the order trickle and
    # the databases still have to be wound down in this coroutine, on this loop.
    app.setQuitOnLastWindowClosed(False)

    async def main() -> None:
        closed = asyncio.Event()
        app.lastWindowClosed.connect(closed.set)
        app.aboutToQuit.connect(closed.set)
        stop = asyncio.Event()
        relay = asyncio.ensure_future(store.client.run(stop))
        trickle = asyncio.ensure_future(_trickle(hub_url, token, orders, every, store.client.notify, echo))
        store.shell.resize(1280, 800)
        store.shell.show()
        store.shell.start()
        pickup_timer = start_pickup_timer(store.ops, database.transaction, store.shell)
        await _sign_in(store.shell)
        echo(
            "\nThe store app is open, signed in as Amy Rivera (PIN 1234; Ben 2468, manager Morgan 9876). "
            f"Pick, then Pack. Labels and slips you save go to {out}; customers' pickup e-mails (code and "
            f"QR code) to {mail_dir()}. Close the window to end the demo."
        )
        await closed.wait()
        stop.set()
        pickup_timer.stop()
        for task in (relay, trickle):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        screen = store.shell.main.screens.get("pack")
        close_jobs = getattr(screen, "close_jobs", None)
        if close_jobs is not None:
            close_jobs()
        await store.close()

    with loop:
        loop.run_until_complete(main())
    return 0
