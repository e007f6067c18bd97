"""Set-based writes that both backends understand (INSERT ... ON CONFLICT), for loads of many rows.

Row-by-row ORM upserts cost a query per row; a retailer's import or the demo network has tens of
thousands, so these run as one executemany.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text, update
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


def add_to_columns(
    session: Session, model: type, keys: Sequence[str], rows: Sequence[dict[str, Any]]
) -> None:
    """`column += value` for every row, matched on its key columns (every row names the same columns).

    On PostgreSQL it is one UPDATE … FROM unnest(arrays), a single round trip however many rows;
    SQLite runs in process, where an executemany of one UPDATE per row costs no round trips.
    """
    if not rows:
        return
    table = model.__table__  # type: ignore[attr-defined]
    names = list(rows[0])
    added = [name for name in names if name not in keys]
    if session.get_bind().dialect.name == "postgresql":
        dialect = session.get_bind().dialect
        arrays = ", ".join(f"CAST(:{n} AS {table.c[n].type.compile(dialect)}[])" for n in names)
        assignments = ", ".join(f"{n} = t.{n} + d.{n}" for n in added)
        matches = " AND ".join(f"t.{n} = d.{n}" for n in keys)
        statement = text(
            f"UPDATE {table.name} AS t SET {assignments} "
            f"FROM unnest({arrays}) AS d({', '.join(names)}) WHERE {matches}"
        )
        session.execute(statement, {n: [row[n] for row in rows] for n in names})
        return
    statement = (
        update(table)
        .where(*(table.c[n] == bindparam(f"key_{n}") for n in keys))
        .values({n: table.c[n] + bindparam(f"add_{n}") for n in added})
    )
    session.execute(
        statement, [{f"{'key' if n in keys else 'add'}_{n}": row[n] for n in names} for row in rows]
    )
