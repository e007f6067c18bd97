"""The demo without a display: the real store app, offscreen, driven the way an associate would.

On a server there is no window to open, so the demo signs in, picks one order by scanning its
items, packs it (scan to verify, box suggestion, label), saves the label and packing slip as
PDFs, marks it shipped and syncs with the hub — through the same widgets and services as on a
tablet — and writes a PNG of each screen along the way, so a newcomer still sees the app.

Scans go through the shell exactly as a keyboard-wedge scan does after detection
(`StoreShell.on_scan`). The Pick screen is driven through its walk when it is present; where the
Pick screen is still a placeholder, the pick is recorded through the store services instead and
the demo says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.screenshots import SIZE, camera, settle
from core.services.orders import Actor
from core.services.store_ops import record_fulfilment_action
from core.storage.database import Database
from core.storage.models import Fulfilment, Order, ProductBarcode
from ui.screens.pack import PackScreen

Echo = Callable[[str], None]


@dataclass
class HeadlessReport:
    fulfilment_id: str = ""
    order_id: str = ""
    tracking_number: str = ""
    pictures: list[Path] = field(default_factory=list)
    documents: list[Path] = field(default_factory=list)
    picked_on_screen: bool = False
    pushed: int = 0


def first_ship_order(database: Database) -> tuple[str, str] | None:
    """(fulfilment id, order id) of the most urgent assigned ship order, else any assigned one."""
    with database.transaction() as session:
        rows = session.execute(
            select(Fulfilment.id, Fulfilment.order_id, Order.delivery_method)
            .join(Order)
            .where(Fulfilment.state == "assigned")
            .order_by(Order.delivery_method.desc(), Order.promise_by, Fulfilment.id)  # 'ship' first
        ).all()
    return (rows[0][0], rows[0][1]) if rows else None


def barcodes(database: Database) -> dict[str, str]:
    with database.transaction() as session:
        return {
            sku: code for code, sku in session.execute(select(ProductBarcode.barcode, ProductBarcode.sku))
        }


def render_pdf_page(pdf: Path, png: Path, width: int = 576) -> Path:
    """The first page of a PDF as a PNG, through Qt's own PDF renderer (what a viewer would show)."""
    document = QPdfDocument()
    document.load(str(pdf))
    try:
        size = document.pagePointSize(0)
        image = document.render(0, QSize(width, round(width * size.height() / size.width())))
        image.save(str(png))
    finally:
        document.close()
    return png


def run_async(coroutine: Any, timeout: float = 60.0) -> Any:
    """Run a coroutine on the qasync loop while Qt keeps processing events."""
    future = asyncio.ensure_future(coroutine)
    settle(future.done, timeout)
    return future.result()


def _pick(
    shell: Any, database: Database, fid: str, report: HeadlessReport, shot: Callable[[str], None]
) -> None:
    """Pick `fid` through the Pick screen's walk (scan each unit), or record it when there is none."""
    screen = shell.main.screen("pick")
    codes = barcodes(database)
    if screen is not None and hasattr(screen, "queue") and hasattr(screen, "walk"):
        shell.main.open_screen("pick")
        settle(lambda: fid in screen.queue.model.ids(), 20)
        screen.queue.choose(fid)
        settle(lambda: screen.queue.chosen_ids() == [fid])
        shot("2-pick-queue")
        screen.queue.start_button.click()
        settle(lambda: screen.walking and shell.ops.pending == 0)
        walk = screen.walk
        for task in walk.progress.walk.tasks:
            for _ in range(task.qty):
                done = walk.progress.units_done
                code = task.barcodes[0] if task.barcodes else codes.get(task.sku)
                if code:
                    shell.on_scan(code, "enter")
                else:
                    walk.tap_button.click()
                settle(lambda d=done: walk.progress.units_done == d + 1)
                if done == 0:
                    shot("3-pick-walk")
        settle(walk.finish_button.isEnabled)
        walk.finish_button.click()
        settle(lambda: not screen.walking and shell.ops.pending == 0)
        report.picked_on_screen = True
        return
    with database.transaction() as session:  # no Pick screen yet: the same steps through the services
        actor = Actor("1001", "demo-tablet")
        record_fulfilment_action(session, fid, "picking", actor=actor)
        record_fulfilment_action(session, fid, "picked", actor=actor)


def _pack(shell: Any, fid: str, report: HeadlessReport, shot: Callable[[str], None]) -> None:
    shell.main.open_screen("pack")
    screen = shell.main.screen("pack")
    assert isinstance(screen, PackScreen), "the Pack screen is not wired in"
    settle(lambda: fid in screen.list.tiles, 20)
    shot("4-pack-list")
    screen.list.tiles[fid].click()
    settle(lambda: screen.sheet is not None and screen.jobs.pending == 0)
    sheet = screen.sheet
    assert sheet is not None
    units = [line.barcodes[0] if line.barcodes else line.sku for line in sheet.lines for _ in range(line.qty)]
    shell.on_scan(units[0], "enter")
    shell.on_scan("0000000000000", "enter")  # a stray item from the bench: refused, nothing recorded
    shot("5-pack-verify")
    for code in units[1:]:
        shell.on_scan(code, "enter")
    settle(lambda: screen.bench.finish_button.isEnabled() and screen.jobs.pending == 0)
    shot("6-pack-label")
    screen.bench.save_button.click()
    settle(lambda: len(screen.saved) == 2, 20)
    report.documents = list(screen.saved)
    report.tracking_number = sheet.tracking_number
    screen.bench.finish_button.click()
    settle(lambda: screen.pages.currentWidget() is screen.list and shell.ops.pending == 0)


def run_headless(database: Database, out: Path, echo: Echo) -> HeadlessReport:
    """Sign in, pick, pack, save the label, ship and sync one order; PNGs and PDFs go to `out`."""
    import qasync

    from app.store_app import assemble

    app = QApplication.instance() or QApplication(["oms-demo"])
    assert isinstance(app, QApplication)
    outer = asyncio.events._get_running_loop()  # qasync's already_running loop marks itself running;
    asyncio.set_event_loop(qasync.QEventLoop(app, already_running=True))  # put things back afterwards
    out.mkdir(parents=True, exist_ok=True)
    for pattern in ("[0-9]-*.png", "label-*.p[dn][fg]", "slip-*.p[dn][fg]"):  # the last run's, not others'
        for old in out.glob(pattern):
            old.unlink()
    report = HeadlessReport()
    http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=5.0))
    store = assemble(app, database, sounds=False, http=http, documents_dir=out)
    shell = store.shell
    shell.resize(*SIZE)
    shell.show()
    shot = camera(store, out, report.pictures)

    try:
        shell.start()
        settle(lambda: shell.page == "sign_in" and len(shell.sign_in.cards) > 0, 20)
        shell.sign_in.choose_id("1001")
        shell.sign_in.pin.setText("1234")
        shot("1-sign-in")
        shell.sign_in.submit()
        settle(lambda: shell.page == "main", 20)
        chosen = first_ship_order(database)
        if chosen is None:
            raise RuntimeError("no order reached the demo store; nothing to pick")
        report.fulfilment_id, report.order_id = chosen
        echo(f"Signed in as Amy Rivera. Picking order {report.order_id} by scanning its items...")
        _pick(shell, database, report.fulfilment_id, report, shot)
        echo("Packing it: every item scanned to verify, the box suggested, label and slip saved as PDF...")
        _pack(shell, report.fulfilment_id, report, shot)
        pushed, _pulled = run_async(store.client.sync_once())
        report.pushed = pushed.sent
        bar = shell.main.status
        bar.status = None  # ask again now (a no-op while a question is out), until the answer is fresh
        settle(lambda: (bar.poll(), bar.status is not None and bool(bar.status.online))[1])
        shot("7-shipped-and-synced")
        for pdf in report.documents:
            report.pictures.append(
                render_pdf_page(pdf, pdf.with_suffix(".png"), 576 if "label" in pdf.name else 918)
            )
    finally:
        shell.main.status.stop()
        shell.scanner.detach()
        shell.close()
        screen = shell.main.screens.get("pack")
        if isinstance(screen, PackScreen):
            screen.close_jobs()
        store.ops.shutdown()
        run_async(http.aclose(), 10)
        store.client.close()
        asyncio.events._set_running_loop(outer)
        asyncio.set_event_loop(outer)
    return report
