"""The Returns screens' service calls, bound for the UI (see `ui.returns_ports.ReturnsServices`).

Kept beside the composition root so `app/store_app.py` stays a list of parts. An order this store
did not sell is fetched from the hub through the sync client (`hub_lookup`, by its code;
`hub_search`, by the customer). Every write names
the signed-in associate and this tablet. The policy's "today" comes from `clock`, read when each
call runs (not when the screen opened), so a return window that closes while the customer is at
the counter is refused at Confirm; tests hand in their own clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.hub_asking import asking_hub
from app.settings import documents_dir as default_documents_dir
from core.domain.associates import SignedIn
from core.domain.inventory import utc_now
from core.domain.return_desk import OrderHit
from core.services import returns, returns_extra, store_tasks
from core.services.associates import actor_of
from core.services.catalog import product_by_barcode
from core.services.orders import Actor
from core.storage.models import Product
from ui.returns_ports import ReturnsServices

if TYPE_CHECKING:
    from sync.client import SyncClient

OFFLINE = (
    "This order was not sold here and the hub cannot be reached; try again when online "
    "or take a receipt-less return with a manager."
)


def _product(session: Session, code: str) -> tuple[str, str, Decimal] | None:
    product = product_by_barcode(session, code) or session.get(Product, code.strip())
    return (product.sku, product.name, product.price) if product is not None else None


def hub_lookup(client: Callable[[], SyncClient]) -> Callable[[str], Awaitable[OrderHit | None]]:
    """The hub's copy of an order this store did not sell, by its code, copied here."""

    async def fetch(code: str) -> OrderHit | None:
        from sync.client.order_fetch import fetch_order_for_return

        return await asking_hub(fetch_order_for_return(client(), code), offline=OFFLINE, field="order_id")

    return fetch


def hub_search(client: Callable[[], SyncClient]) -> Callable[[str], Awaitable[list[OrderHit]]]:
    """Orders of any channel by the customer's name, e-mail or phone, as the hub finds them."""

    async def search(words: str) -> list[OrderHit]:
        from sync.client.order_fetch import search_orders_at_hub

        return await asking_hub(search_orders_at_hub(client(), words), offline=OFFLINE, field="order_id")

    return search


def returns_services(
    device: str,
    *,
    clock: Callable[[], datetime] = utc_now,
    documents_dir: Path | None = None,
    fetch_order: Callable[[str], Awaitable[OrderHit | None]] | None = None,
    search_hub: Callable[[str], Awaitable[list[OrderHit]]] | None = None,
) -> ReturnsServices:
    def actor(person: SignedIn) -> Actor:
        return actor_of(SignedIn(person.associate_id, person.name, person.role, device))

    return ReturnsServices(
        find_orders=lambda text: lambda s: returns.find_orders_for_return(s, text),
        returnable=lambda order_id: lambda s: returns.returnable_lines(s, order_id, now=clock()),
        quote=lambda order_id, requests: lambda s: returns.quote_return(s, order_id, requests, now=clock()),
        record=lambda person, order_id, requests: (
            lambda s: returns.record_return(s, order_id, requests, actor=actor(person), now=clock())
        ),
        product=lambda code: lambda s: _product(s, code),
        quote_receiptless=lambda items: lambda s: returns_extra.quote_receiptless(s, items),
        record_receiptless=lambda person, items, manager, pin: (
            lambda s: returns_extra.record_receiptless_return(
                s, items, manager_id=manager, manager_pin=pin, actor=actor(person), now=clock()
            )
        ),
        inspections=lambda: lambda s: store_tasks.open_tasks(s, store_tasks.INSPECTION),
        resolve_inspection=lambda person, task_id, sellable, damaged: (
            lambda s: store_tasks.resolve_inspection(
                s, task_id, sellable=sellable, damaged=damaged, actor=actor(person), now=clock()
            )
        ),
        documents_dir=documents_dir or default_documents_dir(),
        fetch_order=fetch_order,
        search_hub=search_hub,
    )
