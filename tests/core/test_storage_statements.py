"""`Database.statements`: single-statement reads without a transaction's round trips."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from core.storage.database import Database
from core.storage.models import HubMeta


def test_postgresql_statements_run_outside_a_transaction(postgresql_db: Database) -> None:
    """No BEGIN was sent before the read, and no COMMIT is owed after it: the server's session
    is idle, not in a transaction, once the statement has run."""
    with postgresql_db.statements() as session:
        session.execute(text("SELECT 1"))
        raw = session.connection().connection.dbapi_connection
        assert isinstance(raw, psycopg.Connection)
        assert raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    with postgresql_db.transaction() as session:  # the pooled connection is a transaction's again
        session.execute(text("SELECT 1"))
        raw = session.connection().connection.dbapi_connection
        assert raw.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS


def test_statements_read_what_units_of_work_committed(db: Database) -> None:
    with db.transaction() as session:
        session.add(HubMeta(name="statements", value="seen"))
    with db.statements() as session:
        assert session.scalar(select(HubMeta.value).where(HubMeta.name == "statements")) == "seen"


def test_a_failed_statement_leaves_the_database_usable(db: Database) -> None:
    with pytest.raises(DBAPIError), db.statements() as session:
        session.execute(text("SELECT * FROM no_such_table"))
    with db.statements() as session:
        assert session.scalar(select(func.count()).select_from(HubMeta)) is not None
