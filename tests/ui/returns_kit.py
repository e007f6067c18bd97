"""The Returns screen on its own, on a real store database, with the services bound as the app binds
them and a clock the test moves (the return window is counted from delivery)."""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.store_returns import returns_services
from core.domain.associates import Role, SignedIn
from core.domain.return_desk import OrderHit
from core.domain.returns import Condition, ReturnReason
from core.storage.database import Database
from core.storage.models import Movement, Return
from tests.core.pickup_kit import delivered_order, setup_store
from tests.factories import NOW
from ui.ops import OpRunner
from ui.screens.returns import ReturnsScreen
from ui.screens.returns_line import ReturnLineRow
from ui.sounds import ScanSounds

AMY = SignedIn("1001", "Amy Rivera", Role.ASSOCIATE, "tablet-1")


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: NOW + timedelta(days=1))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class ReturnsKit:
    screen: ReturnsScreen
    ops: OpRunner
    db: Database
    clock: Clock
    sounds: ScanSounds
    documents: Path


def settle_garbage() -> None:
    """Collect garbage now: a full collection of a test process's millions of objects takes
    100-200 ms on whichever thread triggers it, and belongs to set-up or tear-down, not to a test
    body the UI watchdog measures."""
    gc.collect()


def open_returns(
    qtbot: QtBot,
    db: Database,
    documents: Path,
    clock: Clock | None = None,
    *,
    fetch_order: Callable[[str], Awaitable[OrderHit | None]] | None = None,
    search_hub: Callable[[str], Awaitable[list[OrderHit]]] | None = None,
) -> Iterator[ReturnsKit]:
    """The screen, signed in as Amy, 1280 × 800, on `db`; closed (threads and all) afterwards.
    `fetch_order` and `search_hub` ask a hub for orders the store did not sell
    (`app.store_returns.hub_lookup`, `hub_search`)."""
    ticking = clock or Clock()
    ops = OpRunner(db.transaction)
    sounds = ScanSounds(enabled=False)
    services = returns_services(
        "tablet-1", clock=ticking, documents_dir=documents, fetch_order=fetch_order, search_hub=search_hub
    )
    screen = ReturnsScreen(ops, services, sounds)
    qtbot.addWidget(screen)
    screen.resize(1180, 800)
    screen.show()
    screen.set_person(AMY)
    qtbot.waitUntil(lambda: ops.pending == 0)  # its first read, as after a sign-in (the ORM sets itself up)
    settle_garbage()
    yield ReturnsKit(screen, ops, db, ticking, sounds, documents)
    screen.close_jobs()
    ops.shutdown()
    settle_garbage()  # and this test's own, so the next test's body does not pay for it


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Database]:
    """S01 with W1 (2 × SKU-1 at 19.99, 1 × SKU-2 at 5.00, 1 × SKU-3 at 12.00) and W2 (final sale),
    both shipped to the customer on NOW from the DC, and the people of `setup_store`."""
    db = Database.open(str(tmp_path / "store.db"))
    setup_store(db)
    with db.transaction() as session:
        delivered_order(session, "W1", [("SKU-1", 2, "19.99"), ("SKU-2", 1, "5.00"), ("SKU-3", 1, "12.00")])
        delivered_order(session, "W2", [("SKU-9", 1, "3.50")])
    yield db
    db.close()


@pytest.fixture
def returns_kit(qtbot: QtBot, shop: Database, tmp_path: Path) -> Iterator[ReturnsKit]:
    yield from open_returns(qtbot, shop, tmp_path / "documents")


def recorded(db: Database) -> tuple[int, int]:
    """Returns recorded and `return` movements written: both stay put when a return is refused."""
    with db.transaction() as session:
        returns = session.scalar(select(func.count()).select_from(Return))
        moves = session.scalar(select(func.count()).select_from(Movement).where(Movement.reason == "return"))
    return int(returns or 0), int(moves or 0)


def scan(kit: ReturnsKit, code: str) -> None:
    kit.screen.handle_scan(code, "enter")


def open_order(qtbot: QtBot, kit: ReturnsKit, order_id: str) -> None:
    """Scan the receipt and wait for the order's lines."""
    scan(kit, order_id)
    sheet = kit.screen.sheet
    qtbot.waitUntil(
        lambda: kit.ops.pending == 0 and kit.screen.page is sheet and bool(sheet.rows) and not sheet.building
    )


def take_back(
    qtbot: QtBot, row: ReturnLineRow, units: int, reason: ReturnReason, condition: Condition
) -> None:
    """Tap + `units` times, then choose the reason and the condition in their lists."""
    for _ in range(units):
        qtbot.mouseClick(row.plus, Qt.MouseButton.LeftButton)
    row.choose(reason, condition)


def confirm(qtbot: QtBot, kit: ReturnsKit) -> None:
    """Wait for the quote, tap Refund, wait for the receipt page."""
    wait_quote(qtbot, kit)
    qtbot.mouseClick(kit.screen.sheet.quote.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kit.screen.page is kit.screen.done and kit.ops.pending == 0)


def wait_quote(qtbot: QtBot, kit: ReturnsKit, sheet: object = None) -> None:
    target = sheet or kit.screen.sheet
    qtbot.waitUntil(lambda: target.quote.confirm_button.isEnabled())  # type: ignore[attr-defined]
