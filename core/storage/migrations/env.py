"""Alembic environment: always run in-process on a connection handed over by `core.storage.database`."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.types import TypeDecorator

from core.storage.models import Base


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write the application's column types as the plain SQL types they store, so migrations stay frozen."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
