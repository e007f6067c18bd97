"""A pick walk's totes kept in the store database: saved per counted unit, restored when the walk
starts again, capped by what is still due, emptied when the walk ends; bad saves change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.domain.errors import NotFoundError, ValidationError
from core.domain.pick_progress import WalkProgress
from core.services.pick_progress import save_in_tote
from core.services.pick_walk import finish_walk, start_walk
from core.services.store_ops import reject_units
from core.storage.database import Database
from core.storage.models import Fulfilment, PickProgress
from tests.ui.pick_kit import seed_pick_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(str(tmp_path / "store.db"))
    seed_pick_store(db)  # W1-S01: 2 × SKU-1, 1 × SKU-2
    yield db
    db.close()


def test_units_saved_during_a_walk_are_in_the_totes_when_it_starts_again(store: Database) -> None:
    with store.transaction() as session:
        start_walk(session, ["W1-S01"])
        save_in_tote(session, "W1-S01", "SKU-1", 1)
        save_in_tote(session, "W1-S01", "SKU-1", 1)  # a save run twice writes the same row
    with store.transaction() as session:
        walk = start_walk(session, ["W1-S01"])
    assert walk.in_totes == (("W1-S01", "SKU-1", 1),)
    progress = WalkProgress(walk)
    assert progress.units_done == 1
    [mugs] = [i for i, t in enumerate(walk.tasks) if t.sku == "SKU-1"]
    assert progress.remaining(mugs) == 1


def test_restored_units_never_exceed_what_is_still_due(store: Database) -> None:
    with store.transaction() as session:
        start_walk(session, ["W1-S01"])
        save_in_tote(session, "W1-S01", "SKU-1", 2)
        reject_units(session, session.get(Fulfilment, "W1-S01"), {"SKU-1": 1}, "damaged")  # one went back
        walk = start_walk(session, ["W1-S01"])
    progress = WalkProgress(walk)
    [mugs] = [i for i, t in enumerate(walk.tasks) if t.sku == "SKU-1"]
    assert progress.picked(mugs) == 1 and progress.remaining(mugs) == 0


def test_finishing_the_walk_empties_its_totes(store: Database) -> None:
    with store.transaction() as session:
        start_walk(session, ["W1-S01", "W2-S01"])
        save_in_tote(session, "W1-S01", "SKU-1", 2)
        save_in_tote(session, "W1-S01", "SKU-2", 1)
        save_in_tote(session, "W2-S01", "SKU-1", 1)
        result = finish_walk(session, {"W1-S01": {"SKU-1": 2, "SKU-2": 1}, "W2-S01": {"SKU-1": 1}})
        left = session.execute(select(PickProgress.fulfilment_id, PickProgress.picked)).all()
    assert result.picked == ("W1-S01",)
    assert left == [("W2-S01", 1)]  # W2 still has units to pick: its tote stays for next time


@pytest.mark.parametrize(
    ("fid", "units", "error"), [("W1-S01", -1, ValidationError), ("NOPE", 1, NotFoundError)]
)
def test_a_bad_save_changes_nothing(store: Database, fid: str, units: int, error: type[Exception]) -> None:
    with store.transaction() as session, pytest.raises(error):
        save_in_tote(session, fid, "SKU-1", units)
    with store.transaction() as session:
        assert session.scalars(select(PickProgress)).all() == []
