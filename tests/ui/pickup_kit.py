"""The Pickup screen on its own, bound to the real services as the app binds them, on a store (S01)
whose pickups were brought to the shelf through the real services (`tests.core.pickup_kit`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.store_pickup import pickup_services
from core.domain.associates import Role, SignedIn
from core.domain.barcodes import make_ean13
from core.storage.database import Database
from core.storage.models import AuditEntry, PickupScan
from tests.core.pickup_kit import setup_store
from ui.ops import OpRunner
from ui.screens.pickup import PickupScreen
from ui.sounds import ScanSounds

AMY = SignedIn("1001", "Amy Rivera", Role.ASSOCIATE, "tablet-1")
BARCODES = {f"SKU-{n}": make_ean13(f"40000000{n:04d}") for n in (1, 2, 3)}  # as tests.factories gives them


@dataclass
class PickupKit:
    db: Database
    ops: OpRunner
    screen: PickupScreen
    sounds: ScanSounds


@contextmanager
def store_at(tmp_path: Path) -> Iterator[Database]:
    """S01 with its people and stock (`tests.core.pickup_kit.setup_store`) in a SQLite file."""
    db = Database.open(str(tmp_path / "store.db"))
    setup_store(db)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def screen_on(qtbot: QtBot, db: Database, waiting: str = "W1-S01") -> Iterator[PickupKit]:
    """The screen, shown once the pickup `waiting` is listed; its database thread stopped after."""
    built = build(qtbot, db)
    qtbot.waitUntil(lambda: waiting in built.screen.search.tiles)
    for part in built.screen.build_later():  # as the main window builds them, a turn each, after opening
        part()
        qtbot.wait(1)
    try:
        yield built
    finally:
        built.ops.shutdown()


def build(qtbot: QtBot, db: Database) -> PickupKit:
    ops = OpRunner(db.transaction)
    sounds = ScanSounds(enabled=False)
    screen = PickupScreen(ops, pickup_services("tablet-1"), sounds)
    qtbot.addWidget(screen)
    screen.resize(1100, 740)
    screen.set_person(AMY)
    screen.show()
    return PickupKit(db, ops, screen, sounds)


def settle(qtbot: QtBot, kit: PickupKit) -> None:
    qtbot.waitUntil(lambda: kit.ops.pending == 0)


def sign(qtbot: QtBot, kit: PickupKit) -> None:
    """A stroke across the signature pad with the mouse (a finger on a tablet sends the same)."""
    pad = kit.screen.finish.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(40, 60))
    for x in range(60, 400, 30):
        qtbot.mouseMove(pad, QPoint(x, 60 + (x % 60)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(420, 90))


def count(db: Database, model: type, **where: object) -> int:
    with db.transaction() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.scalar(query) or 0)


def scans(db: Database) -> int:
    return count(db, PickupScan)


def audit_actions(db: Database, subject: str) -> list[tuple[str, str, str]]:
    """(action, who, device) of each audit entry about `subject`, oldest first."""
    with db.transaction() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.subject == subject).order_by(AuditEntry.id)
        )
        return [(r.action, r.actor, r.device) for r in rows]


def wait_step(qtbot: QtBot, kit: PickupKit, step: str) -> None:
    """Wait for the screen to reach `step`; a timeout names where it stopped and what it said."""
    try:
        qtbot.waitUntil(lambda: kit.screen.step == step, timeout=10_000)
    except qtbot.TimeoutError as exc:
        raise AssertionError(f"still on {kit.screen.step}: {kit.screen.banner.text.text()}") from exc
