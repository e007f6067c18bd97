"""Set-based writes that both backends understand (INSERT ... ON CONFLICT), for loads of many rows.

Row-by-row ORM upserts cost a query per row; a retailer's import or the demo network has tens of
thousands, so these run as one executemany.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(session: Session, model: type) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def insert_missing(session: Session, model: type, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows whose key is not there yet; existing rows stay as they are."""
    if rows:
        session.execute(_insert(session, model).on_conflict_do_nothing(), list(rows))


def upsert(session: Session, model: type, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """Insert rows, or update every given non-key column of rows whose key exists."""
    if not rows:
        return
    statement = _insert(session, model)
    changed = [name for name in rows[0] if name not in keys]
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in changed}
    )
    session.execute(statement, list(rows))
