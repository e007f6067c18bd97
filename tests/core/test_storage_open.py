"""Opening databases: migrations from empty, reopening, and the SQLite durability settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from core.storage.database import Database, normalise_url
from core.storage.models import Base
from tests.factories import small_network

pytestmark = pytest.mark.real_migrations  # every database here is migrated by Database.open itself


def test_empty_database_is_migrated_to_the_newest_schema(db: Database) -> None:
    assert db.schema_revision() == Database.newest_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrated_schema_matches_the_models(db: Database) -> None:
    """A model change without a migration would show here as a difference."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_reopening_keeps_data_and_changes_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "store.db")
    first = Database.open(path)
    with first.transaction() as s:
        small_network(s)
    first.close()
    again = Database.open(path)
    assert again.schema_revision() == Database.newest_revision()
    with again.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM movements")).scalar() == 9
    again.close()


def test_sqlite_is_durable_and_checks_references(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_refuse_a_dangling_movement(db: Database) -> None:
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO movements (id, location_code, sku, qty, bucket, reason, reference, device,"
                " occurred_at, recorded_at) VALUES (:id, 'NOWHERE', 'NOTHING', 1, 'sellable', 'receipt', '', '',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"id": "0" * 32},
        )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/tmp/x.db", "sqlite:////tmp/x.db"),
        ("sqlite:///rel.db", "sqlite:///rel.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u:p@h:5/db", "postgresql+psycopg://u:p@h:5/db"),
    ],
)
def test_database_urls(given: str, expected: str) -> None:
    assert normalise_url(given) == expected
