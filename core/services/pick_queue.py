"""The store's pick queue and one fulfilment's lines, read with SQL that filters, sorts and pages.

A busy store may hold 100,000 orders, so the queue never loads them: one query returns a page of
ids sorted by promise time, a second counts the matches, and the line totals and re-route notes are
read for that page only. The tablet's list model asks for the next page when the associate scrolls
near the end.

The page walks `ix_fulfilments_queue` (location, promise, id; only the queue's states) in order and
stops after offset + limit rows, so the first page reads 60 rows however many are open. Two things
keep SQLite on that index: the sort is on the fulfilment's copy of its order's promise, and the
states are written into the SQL as literals (a partial index is used only when the query's WHERE
visibly implies the index's, which bound parameters do not).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from core.domain.errors import NotFoundError, ValidationError
from core.domain.picking import (
    MAX_PAGE_ROWS,
    METHODS,
    DetailLine,
    FulfilmentDetail,
    QueuePage,
    QueueQuery,
    QueueRow,
    Shelf,
)
from core.services.lookups import like_pattern
from core.services.outbox import SyncKey, get_setting
from core.storage.models import (
    Bin,
    Fulfilment,
    FulfilmentLine,
    Order,
    Product,
    ProductBarcode,
    RoutingDecisionRecord,
    StateEvent,
    StockPosition,
    SyncMessage,
)

QUEUE_STATES = ("assigned", "picking")  # as in the index's WHERE (`models.orders.QUEUE_WHERE`)
REASON_LIMIT = 240  # state_events.reason holds the hub's explanation cut to this length


def store_location(session: Session) -> str | None:
    """This tablet's store (set at enrolment); None on a database that is not a store's copy."""
    return get_setting(session, SyncKey.LOCATION)


def _filtered(query: Select, session: Session, q: QueueQuery) -> Select:
    """The WHERE of the queue, shared by the page and the count so they always agree.

    Conditions on the order go into one `order_id IN (SELECT …)`: SQLite scans `orders` once for
    them instead of probing it once per fulfilment. LIKE is case-insensitive for ASCII on SQLite
    (ILIKE there would wrap both sides in lower() and halve the speed); PostgreSQL gets ILIKE.
    """
    location = store_location(session)
    query = query.where(
        Fulfilment.state.in_(bindparam("queue_states", QUEUE_STATES, expanding=True, literal_execute=True))
    )
    if location:
        query = query.where(Fulfilment.location_code == location)
    wanted = []
    if q.method is not None:
        if q.method not in METHODS:
            raise ValidationError(f"delivery method is ship or pickup, not {q.method!r}", field="method")
        wanted.append(Order.delivery_method == q.method)
    text = q.text.strip()
    if text:
        pattern = like_pattern(text)
        sqlite = session.get_bind().dialect.name == "sqlite"
        op = "like" if sqlite else "ilike"
        wanted.append(
            or_(
                getattr(Order.id, op)(pattern, escape="\\"),
                getattr(Order.customer_name, op)(pattern, escape="\\"),
            )
        )
    if wanted:
        query = query.where(Fulfilment.order_id.in_(select(Order.id).where(*wanted)))
    return query


def queue_page(session: Session, q: QueueQuery) -> QueuePage:
    """One page of the queue, earliest promise first (no promise last), and how many match in all."""
    if q.offset < 0 or not 0 < q.limit <= MAX_PAGE_ROWS:
        raise ValidationError(f"a page is 1 to {MAX_PAGE_ROWS} rows from offset 0 or more", field="limit")
    total = int(session.scalar(_filtered(select(func.count()).select_from(Fulfilment), session, q)) or 0)
    page = (
        select(
            Fulfilment.id,
            Order.id,
            Order.customer_name,
            Order.delivery_method,
            Order.promise_by,
            Fulfilment.state,
        )
        .join(Order, Order.id == Fulfilment.order_id)
        .order_by(Fulfilment.promise_by.is_(None), Fulfilment.promise_by, Fulfilment.id)
        .offset(q.offset)
        .limit(q.limit)
    )
    rows = session.execute(_filtered(page, session, q)).all()
    ids = [r[0] for r in rows]
    sizes = _line_totals(session, ids)
    notes = rerouted_notes(session, ids)
    return QueuePage(
        tuple(
            QueueRow(
                fulfilment_id=fid,
                order_id=oid,
                customer=customer,
                method=method,
                promise_by=promise,
                state=state,
                lines=sizes.get(fid, (0, 0))[0],
                units=sizes.get(fid, (0, 0))[1],
                rerouted=(notes.get(fid) or [""])[-1],
            )
            for fid, oid, customer, method, promise, state in rows
        ),
        q.offset,
        total,
    )


def _line_totals(session: Session, ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """(lines with units left, units left) per fulfilment of one page."""
    if not ids:
        return {}
    live = FulfilmentLine.qty - FulfilmentLine.rejected_qty
    query = (
        select(FulfilmentLine.fulfilment_id, func.count(), func.sum(live))
        .where(FulfilmentLine.fulfilment_id.in_(ids), live > 0)
        .group_by(FulfilmentLine.fulfilment_id)
    )
    return {fid: (int(n), int(units or 0)) for fid, n, units in session.execute(query)}


def rerouted_notes(session: Session, ids: Sequence[str]) -> dict[str, list[str]]:
    """What the hub said about units it moved off these fulfilments, oldest first."""
    if not ids:
        return {}
    query = (
        select(SyncMessage.fulfilment_id, SyncMessage.text)
        .where(SyncMessage.kind == "lines_rerouted", SyncMessage.fulfilment_id.in_(ids))
        .order_by(SyncMessage.id)
    )
    notes: dict[str, list[str]] = defaultdict(list)
    for fid, text in session.execute(query):
        notes[fid].append(text)
    return dict(notes)


def shelves(session: Session, location: str, skus: Sequence[str]) -> dict[str, Shelf]:
    """Each SKU's home bin at `location` with its zone, aisle and position (bins rows when known)."""
    if not skus:
        return {}
    query = (
        select(StockPosition.sku, StockPosition.bin_code, Bin.zone, Bin.aisle, Bin.position)
        .outerjoin(
            Bin, and_(Bin.location_code == StockPosition.location_code, Bin.code == StockPosition.bin_code)
        )
        .where(StockPosition.location_code == location, StockPosition.sku.in_(list(skus)))
    )
    return {
        sku: Shelf(code or "", zone or "", aisle or 0, position or 0)
        for sku, code, zone, aisle, position in session.execute(query)
    }


def barcodes(session: Session, skus: Sequence[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    query = select(ProductBarcode.sku, ProductBarcode.barcode).where(ProductBarcode.sku.in_(list(skus)))
    for sku, code in session.execute(query.order_by(ProductBarcode.barcode)):
        found[sku].append(code)
    return {sku: tuple(codes) for sku, codes in found.items()}


def product_names(session: Session, skus: Sequence[str]) -> dict[str, str]:
    return dict(session.execute(select(Product.sku, Product.name).where(Product.sku.in_(list(skus)))).all())


def why_this_store(session: Session, fulfilment: Fulfilment) -> tuple[str, ...]:
    """The routing reason in sentences: the stored decision when this database routed the order,
    otherwise what the hub sent with the assignment (kept on the fulfilment's first audit row)."""
    text = ""
    if fulfilment.decision_id is not None:
        record = session.get(RoutingDecisionRecord, fulfilment.decision_id)
        if record is not None:
            text = str(
                record.document.get("text") or record.document.get("explanation", {}).get("summary", "")
            )
    if not text:
        first = session.scalar(
            select(StateEvent.reason)
            .where(StateEvent.entity == "fulfilment", StateEvent.entity_id == fulfilment.id)
            .order_by(StateEvent.id)
            .limit(1)
        )
        text = first or ""
        if len(text) >= REASON_LIMIT and ". " in text:  # cut to fit the audit row: keep whole sentences
            text = text[: text.rindex(". ") + 1]
    sentences = [s.strip() + ("" if s.strip().endswith((".", "!", "?")) else ".") for s in _sentences(text)]
    if not sentences:
        sentences = [f"The hub assigned this order to {fulfilment.location_code}; it sent no reason."]
    if fulfilment.carrier:
        due = f", expected {fulfilment.eta:%a %d %b}" if fulfilment.eta else ""
        sentences.append(f"It leaves with {fulfilment.carrier} {fulfilment.service}{due}.")
    return tuple(sentences)


def _sentences(text: str) -> list[str]:
    """Split on ". " but not inside figures like "$1.50" or "3.2 km"."""
    parts, start = [], 0
    for i in range(len(text) - 1):
        if text[i] == "." and text[i + 1] == " " and i > 0 and not text[i - 1].isdigit():
            parts.append(text[start : i + 1])
            start = i + 2
    parts.append(text[start:])
    return [p for p in (p.strip() for p in parts) if p]


def fulfilment_detail(session: Session, fulfilment_id: str) -> FulfilmentDetail:
    """One card opened: its lines with product, barcodes and bin, and why it came to this store."""
    fulfilment = session.get(Fulfilment, fulfilment_id)
    if fulfilment is None:
        raise NotFoundError(f"no fulfilment {fulfilment_id}", field="fulfilment_id")
    order = fulfilment.order
    skus = sorted({line.sku for line in fulfilment.lines})
    names, codes = product_names(session, skus), barcodes(session, skus)
    places = shelves(session, fulfilment.location_code, skus)
    lines = tuple(
        sorted(
            (
                DetailLine(
                    sku=line.sku,
                    name=names.get(line.sku, line.sku),
                    barcodes=codes.get(line.sku, ()),
                    qty=line.qty,
                    rejected=line.rejected_qty,
                    rejection_reason=line.rejection_reason,
                    shelf=places.get(line.sku, Shelf()),
                )
                for line in fulfilment.lines
            ),
            key=lambda d: (d.shelf.walk_key, d.sku),
        )
    )
    live = [d for d in lines if d.qty > d.rejected]
    row = QueueRow(
        fulfilment_id=fulfilment.id,
        order_id=order.id,
        customer=order.customer_name,
        method=order.delivery_method,
        promise_by=order.promise_by,
        state=fulfilment.state,
        lines=len(live),
        units=sum(d.qty - d.rejected for d in live),
    )
    notes = tuple(rerouted_notes(session, [fulfilment.id]).get(fulfilment.id, []))
    return FulfilmentDetail(row, lines, why_this_store(session, fulfilment), notes)
