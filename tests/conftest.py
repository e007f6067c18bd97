"""Shared fixtures: a real database per test, on SQLite and (when configured) on PostgreSQL.

Each test gets an empty, migrated database of its own; the migrations run once per test process
and their result is handed out fresh (`tests/databases.py`), except to tests marked
`real_migrations`, which see an empty database migrated by `Database.open` as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.storage.database import Database
from tests.databases import (
    PostgresSchema,
    SqliteTemplate,
    drop_schema,
    is_new_file,
    new_schema,
    schema_options,
    sqlite_path,
    worker_url,
)

POSTGRES_URL = os.environ.get("OMS_TEST_DATABASE_URL")


class _Migrations:
    real = False  # True while a test marked `real_migrations` runs


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    _Migrations.real = item.get_closest_marker("real_migrations") is not None
    try:
        return (yield)
    finally:
        _Migrations.real = False


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under pytest-xdist's default `--dist load`: the screens' tests last, alone on one worker."""
    if config.getvalue("dist") != "load":
        return None
    from tests.phased_scheduling import PhasedScheduling

    return PhasedScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteTemplate]:
    """New SQLite files opened in this process start as a copy of one migrated file."""
    real_open = Database.open.__func__  # type: ignore[attr-defined]
    template = SqliteTemplate(tmp_path_factory.mktemp("migrated"), lambda url: real_open(Database, url))

    def open_from_template(cls: type[Database], url: str, **engine_options: Any) -> Database:
        path = sqlite_path(url)
        if path is not None and not _Migrations.real and is_new_file(path):
            template.copy_to(path)
        return real_open(cls, url, **engine_options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Database, "open", classmethod(open_from_template))
        yield template


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(str(tmp_path / "store.db"))
    yield db
    db.close()


@pytest.fixture(scope="session")
def postgresql_url() -> str:
    """OMS_TEST_DATABASE_URL, or under pytest-xdist this worker's own database beside it."""
    if not POSTGRES_URL:
        pytest.skip("OMS_TEST_DATABASE_URL is not set")
    return worker_url(POSTGRES_URL, os.environ.get("PYTEST_XDIST_WORKER"))


@pytest.fixture(scope="session")
def postgresql_schema(postgresql_url: str) -> Iterator[PostgresSchema]:
    schema = PostgresSchema(postgresql_url)
    yield schema
    schema.close()


@pytest.fixture
def postgresql_db(request: pytest.FixtureRequest, postgresql_url: str) -> Iterator[Database]:
    """A private schema on the real server, empty and migrated, so tests never see each other's rows."""
    if request.node.get_closest_marker("real_migrations") is not None:
        admin, name = new_schema(postgresql_url)
        db = Database.open(postgresql_url, **schema_options(name))
        try:
            yield db
        finally:
            db.close()
            drop_schema(admin, name)
        return
    schema: PostgresSchema = request.getfixturevalue("postgresql_schema")
    db = Database.open(postgresql_url, **schema_options(schema.fresh()))
    yield db
    db.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on both backends: the store's SQLite and the hub's PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_db")
