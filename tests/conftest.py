"""Shared fixtures: a real database per test, on SQLite and (when configured) on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.storage.database import Database, normalise_url

POSTGRES_URL = os.environ.get("OMS_TEST_DATABASE_URL")


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(str(tmp_path / "store.db"))
    yield db
    db.close()


@pytest.fixture
def postgresql_db() -> Iterator[Database]:
    """A private schema on the real server, dropped afterwards, so tests never see each other's rows."""
    if not POSTGRES_URL:
        pytest.skip("OMS_TEST_DATABASE_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    db = Database.open(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield db
    finally:
        db.close()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on both backends: the store's SQLite and the hub's PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_db")
