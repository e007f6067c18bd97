"""Test databases made once and handed out fresh: what `tests/conftest.py` builds its fixtures on.

Migrating an empty database costs a quarter of a second on SQLite and about a second on PostgreSQL
(creating and dropping a schema included), and most tests want exactly that empty, migrated
database. So:

- **SQLite**: the first time a test process opens a new SQLite file, an empty file is migrated once
  as a template; every later new file starts as a byte copy of it, and `Database.open` then finds it
  at head and runs nothing. The copy is what the migrations make, so nothing a test sees changes.
- **PostgreSQL**: each test process migrates one private schema and keeps it. Before each test it is
  emptied (every table's rows deleted, every sequence restarted) and its structure compared with
  what the migrations made (tables, columns, defaults, constraints, indexes, triggers, functions and
  the recorded revision); if a test changed anything, the schema is dropped and migrated again.

Tests of the migrations themselves are marked `real_migrations` and get both the old way: an empty
file or schema that `Database.open` migrates.

With pytest-xdist each worker uses a database of its own on the server (`oms_test_gw0`, ...,
created when missing): PostgreSQL advisory locks, which routing and the hub's feed take, are
shared by the whole database, so two workers on one database would wait for each other.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError

from core.storage.database import Database, normalise_url

# --- SQLite --------------------------------------------------------------------------------------


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL or plain path; None for other backends and in-memory databases."""
    normalised = normalise_url(url)
    if not normalised.startswith("sqlite"):
        return None
    database = make_url(normalised).database
    return Path(database) if database and database != ":memory:" else None


def is_new_file(path: Path) -> bool:
    """Nothing there yet (or an empty file, which SQLite takes as an empty database)."""
    journals = (path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))
    return (not path.exists() or path.stat().st_size == 0) and not any(p.exists() for p in journals)


def fold_wal(path: Path) -> Path:
    """Checkpoint a closed SQLite database's WAL into its file, so the one file is the whole database."""
    with closing(sqlite3.connect(path)) as connection:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0, f"{path} is still in use"
    return path


class SqliteTemplate:
    """One migrated SQLite file per test process, copied wherever a test opens a new file."""

    def __init__(self, folder: Path, open_database: Any) -> None:
        self.path = folder / "migrated.db"
        self._open = open_database  # the real `Database.open`
        self._made = False

    def copy_to(self, path: Path) -> None:
        if not self._made:
            self._open(str(self.path)).close()
            fold_wal(self.path)
            self._made = True
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.path, path)


# --- PostgreSQL ----------------------------------------------------------------------------------


def worker_url(url: str, worker: str | None) -> str:
    """The URL of this xdist worker's own database (`oms_test` → `oms_test_gw1`), created if missing;
    the URL itself when not under xdist."""
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if found.scalar() is None:
                try:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                except (ProgrammingError, DBAPIError) as exc:  # made at the same moment by another run
                    if "already exists" not in str(exc):
                        raise
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def schema_options(schema: str) -> dict[str, Any]:
    return {"connect_args": {"options": f"-csearch_path={schema}"}}


# Everything about a schema's structure that a test could change, in one checksum.
_STRUCTURE = """
SELECT md5(string_agg(item, E'\\n' ORDER BY item)) FROM (
  SELECT 'rel ' || c.relname || ' ' || c.relkind::text AS item
    FROM pg_class c WHERE c.relnamespace = to_regnamespace(:schema)
  UNION ALL
  SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = to_regnamespace(:schema) AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = to_regnamespace(:schema)
  UNION ALL
  SELECT 'idx ' || pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
   WHERE c.relnamespace = to_regnamespace(:schema)
  UNION ALL
  SELECT 'trg ' || t.tgname || ' ' || t.tgenabled::text || ' ' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = to_regnamespace(:schema) AND NOT t.tgisinternal
  UNION ALL
  SELECT 'fn ' || p.proname || ' ' || md5(p.prosrc)
    FROM pg_proc p WHERE p.pronamespace = to_regnamespace(:schema)
) AS structure
"""


class PostgresSchema:
    """A migrated schema kept for the whole test session and emptied before each test."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin: Engine = create_engine(normalise_url(url))
        self.name = ""
        self._reset_sql = ""
        self._structure = ""
        self._make()

    def _make(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {self.name}"))
        Database.open(self.url, **schema_options(self.name)).close()  # the real migrations
        with self.admin.begin() as connection:
            tables = connection.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = :s AND tablename != 'alembic_version'"
                ),
                {"s": self.name},
            ).scalars()
            sequences = connection.execute(
                text("SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = :s"),
                {"s": self.name},
            ).all()
            self._reset_sql = "; ".join(
                # triggers off for the deletes: foreign keys in any order, and the ledger's own
                # refusal of DELETE (the rows go, as with the schema they were in before)
                ["SET LOCAL session_replication_role = replica"]
                + [f"DELETE FROM {self.name}.{table}" for table in tables]
                + [f"SELECT setval('{self.name}.{seq}', {start}, false)" for seq, start in sequences]
            )
            self._structure = self._checksum(connection)
            rows = sum(
                connection.execute(text(f"SELECT count(*) FROM {self.name}.{table}")).scalar_one()
                for table in tables
            )
        assert rows == 0, "the migrations leave rows behind: emptying would lose them"

    def _checksum(self, connection: Connection) -> str:
        version = connection.execute(
            text(f"SELECT string_agg(version_num, ',') FROM {self.name}.alembic_version")
        )
        structure = connection.execute(text(_STRUCTURE), {"schema": self.name}).scalar_one()
        return f"{version.scalar_one()}:{structure}"

    def fresh(self) -> str:
        """The schema's name, emptied and as migrated (made again if a test changed its structure)."""
        try:
            with self.admin.begin() as connection:
                connection.exec_driver_sql(self._reset_sql)
            with self.admin.connect() as connection:
                same = self._checksum(connection) == self._structure
        except DBAPIError:
            same = False
        if not same:
            self.drop()
            self._make()
        return self.name

    def drop(self) -> None:
        with self.admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {self.name} CASCADE"))

    def close(self) -> None:
        self.drop()
        self.admin.dispose()


def new_schema(url: str) -> tuple[Engine, str]:
    """An empty schema of its own, for the tests of migrations; drop it with `drop_schema`."""
    admin = create_engine(normalise_url(url))
    name = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {name}"))
    return admin, name


def drop_schema(admin: Engine, name: str) -> None:
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {name} CASCADE"))
    admin.dispose()
