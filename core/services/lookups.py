"""Bulk existence checks that name what is missing, and text search patterns, shared by the services."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError
from core.storage.models import Location, Product

T = TypeVar("T")
CHUNK = 900  # well under SQLite's bound-parameter limit, also with two columns per key


def like_pattern(text: str) -> str:
    """`%text%` for LIKE with the wildcards in `text` escaped (use with `escape="\\"`)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def chunked(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _listed(missing: list[str]) -> str:
    shown = ", ".join(missing[:10])
    return shown + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")


def require_locations(
    session: Session, codes: Iterable[str], *, field: str = "location"
) -> dict[str, Location]:
    wanted = sorted(set(codes))
    found: dict[str, Location] = {}
    for chunk in chunked(wanted):
        found.update(
            (loc.code, loc) for loc in session.scalars(select(Location).where(Location.code.in_(chunk)))
        )
    missing = [code for code in wanted if code not in found]
    if missing:
        raise NotFoundError(f"unknown location {_listed(missing)}", field=field)
    return found


def require_products(
    session: Session, skus: Iterable[str], *, field: str | Callable[[list[str]], str] = "sku"
) -> None:
    """`field` names where the SKUs came from, or says it from the missing ones (an order's line)."""
    wanted = sorted(set(skus))
    found: set[str] = set()
    for chunk in chunked(wanted):
        found.update(session.scalars(select(Product.sku).where(Product.sku.in_(chunk))))
    missing = [sku for sku in wanted if sku not in found]
    if missing:
        where = field if isinstance(field, str) else field(missing)
        raise NotFoundError(f"unknown SKU {_listed(missing)}", field=where)
