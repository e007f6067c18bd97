"""Opening a database: engine settings per backend, migrations on open, and the unit of work.

A store's SQLite file must survive power loss on a tablet (WAL, synchronous=FULL) and keep its
references honest (foreign keys on); the hub's PostgreSQL gets the same schema from the same
migrations, so every service runs unchanged on both.

Alembic is imported only when there is something to migrate (`core.storage.migrations_head`): an
up-to-date store database opens without it, which keeps it out of the store app's cold start.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from core.storage.migrations_head import at_head

MIGRATIONS = Path(__file__).with_name("migrations")


def normalise_url(url_or_path: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (taken as SQLite), and pick psycopg 3 for PostgreSQL."""
    if "://" not in url_or_path:
        return f"sqlite:///{Path(url_or_path).expanduser().resolve()}"
    url = make_url(url_or_path)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_database_engine(url: str, **engine_options: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **engine_options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **engine_options)


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


class Database:
    """An opened, migrated database and the way to run one unit of work against it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, **engine_options: Any) -> Database:
        """Open (creating if needed) and bring the schema up to the newest migration."""
        engine = create_database_engine(url, **engine_options)
        with engine.begin() as connection:
            if not at_head(connection):
                from alembic import command

                command.upgrade(_alembic_config(connection), "head")
        return cls(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def schema_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def newest_revision() -> str | None:
        from alembic.script import ScriptDirectory

        return ScriptDirectory(str(MIGRATIONS)).get_current_head()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back whole when it raises."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def statements(self) -> Iterator[Session]:
        """A session for work that is a single read statement, which sees one snapshot of the
        database by itself. On PostgreSQL its statements run in autocommit, so the read is one round
        trip instead of three: a transaction's BEGIN and COMMIT are each a wait on the server, and
        under load each wait ends with one more wait for a core and the interpreter lock. On SQLite,
        where neither is a round trip, it is an ordinary unit of work."""
        if self.dialect != "postgresql":
            with self.transaction() as session:
                yield session
            return
        with self.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            with Session(bind=connection, expire_on_commit=False) as session:
                yield session

    def close(self) -> None:
        self.engine.dispose()
