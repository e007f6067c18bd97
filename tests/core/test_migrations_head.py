"""Opening a database at head skips Alembic; anything else still goes through it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from core.storage.database import Database, _alembic_config
from core.storage.migrations_head import applied_revision, script_head

pytestmark = pytest.mark.real_migrations  # every database here is migrated by Database.open itself


def test_the_head_read_from_the_files_is_alembics(db: Database) -> None:
    assert script_head() == Database.newest_revision()
    with db.engine.connect() as connection:
        assert applied_revision(connection) == script_head() == db.schema_revision()


def test_two_heads_or_an_unreadable_file_give_no_head(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.py").write_text(f'revision = "{name}"\ndown_revision = None\n')
    assert script_head(tmp_path) is None
    (tmp_path / "b.py").write_text('revision = "b"\ndown_revision = "a"\n')
    assert script_head(tmp_path) == "b"
    (tmp_path / "c.py").write_text("revision = compute()\n")
    assert script_head(tmp_path) is None


def test_a_database_behind_head_is_migrated_on_open(tmp_path: Path) -> None:
    path = str(tmp_path / "store.db")
    Database.open(path).close()
    behind = Database.open(path)
    with behind.engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "-1")
        assert applied_revision(connection) != script_head()
    behind.close()
    again = Database.open(path)
    with again.engine.connect() as connection:
        assert applied_revision(connection) == script_head()
    again.close()


def test_a_new_database_has_no_applied_revision(tmp_path: Path) -> None:
    with create_engine(f"sqlite:///{tmp_path / 'empty.db'}").connect() as connection:
        assert applied_revision(connection) is None


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    path = str(tmp_path / "store.db")
    Database.open(path).close()
    probe = (
        "import sys; from core.storage.database import Database; "
        f"Database.open({path!r}).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
