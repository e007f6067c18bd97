"""Set-based writes that both backends understand (INSERT ... ON CONFLICT), for loads of many rows.

Row-by-row ORM upserts cost a query per row; a retailer's import or the demo network has tens of
thousands, and a store's push hundreds, so these run as one statement (one executemany on SQLite,
which runs in process and pays no round trip per row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import bindparam, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(session: Session, model: type) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _recordset(session: Session, table: Any) -> str:
    """The rows of a JSON array parameter `:rows` as records of `table`'s row type (PostgreSQL).

    The rows travel as one JSON text: its size grows with the rows but the statement does not,
    where a multi-row VALUES list costs the driver more to parse than the server to run, an
    executemany one statement per row, and arrays per column are slow for the driver to dump.
    """
    name = session.get_bind().dialect.identifier_preparer.quote(table.name)
    return f"json_populate_recordset(CAST(NULL AS {name}), CAST(:rows AS json))"


def _json_rows(rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """orjson writes UUIDs, enums and aware datetimes natively as PostgreSQL reads them (anything
    else, such as a Decimal, as its text) at a tenth of the json module's cost per row."""
    return {"rows": orjson.dumps(list(rows), default=str, option=orjson.OPT_NON_STR_KEYS).decode()}


def insert_missing(session: Session, model: type, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows whose key is not there yet; existing rows stay as they are."""
    insert_rows(session, model, rows, skip_existing=True)


def insert_rows(
    session: Session,
    model: type,
    rows: Sequence[dict[str, Any]],
    *,
    skip_existing: bool = False,
    returning: str | None = None,
) -> list[Any]:
    """Insert rows of scalar columns (every row names the same ones) in one statement; with
    `skip_existing`, rows whose key exists are left out (ON CONFLICT DO NOTHING). Returns the
    `returning` column of the rows inserted.

    On PostgreSQL it is one INSERT … SELECT from the rows as JSON (`_recordset`).
    """
    if not rows:
        return []
    table = model.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name != "postgresql":
        statement = _insert(session, model)
        if skip_existing:
            statement = statement.on_conflict_do_nothing()
        if returning is None:
            session.execute(statement, list(rows))
            return []
        return list(session.scalars(statement.returning(table.c[returning]), list(rows)))
    defaults = {c.name: c.default.arg for c in table.columns if c.default is not None and c.default.is_scalar}
    full = [{**defaults, **row} for row in rows]
    quote = session.get_bind().dialect.identifier_preparer.quote
    names = ", ".join(quote(n) for n in full[0])
    sql = f"INSERT INTO {quote(table.name)} ({names}) SELECT {names} FROM {_recordset(session, table)}"
    if skip_existing:
        sql += " ON CONFLICT DO NOTHING"
    if returning is not None:
        sql += f" RETURNING {quote(returning)}"
    result = session.execute(text(sql), _json_rows(full))
    return list(result.scalars()) if returning is not None else []


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

    On PostgreSQL it is one UPDATE … FROM the rows as JSON (`_recordset`), however many rows;
    SQLite runs in process, where an executemany of one UPDATE per row costs no round trips.
    """
    if not rows:
        return
    table = model.__table__  # type: ignore[attr-defined]
    names = list(rows[0])
    added = [name for name in names if name not in keys]
    if session.get_bind().dialect.name == "postgresql":
        assignments = ", ".join(f"{n} = t.{n} + d.{n}" for n in added)
        matches = " AND ".join(f"t.{n} = d.{n}" for n in keys)
        statement = text(
            f"UPDATE {table.name} AS t SET {assignments} FROM {_recordset(session, table)} AS d WHERE {matches}"
        )
        session.execute(statement, _json_rows(rows))
        return
    statement = (
        update(table)
        .where(*(table.c[n] == bindparam(f"key_{n}") for n in keys))
        .values({n: table.c[n] + bindparam(f"add_{n}") for n in added})
    )
    session.execute(
        statement, [{f"{'key' if n in keys else 'add'}_{n}": row[n] for n in names} for row in rows]
    )
