"""Hub → store: an order of any channel as a store needs it to take units of it back.

A customer may return anywhere, so a store asks the hub for an order it did not sell (a web order
shipped from a DC, one collected at another store). The answer carries what the store's return
rules read: each line's price and window, what was delivered and when, what the network already
refunded (every refund record, so the store counts and positions its own refund's cents exactly as
the hub would), and the payment when the hub knows it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, Field

from sync.protocol.base import PROTOCOL_VERSION, Code, Qty, Wire
from sync.protocol.refunds import Money, RefundLine, RefundPayload

Count = Annotated[int, Field(ge=0, le=1_000_000)]


class OrderLineForReturn(Wire):
    line_no: Annotated[int, Field(ge=1)]
    sku: Code
    name: Annotated[str, Field(max_length=200)]
    qty: Qty  # ordered
    unit_price: Money
    returnable_days: Count  # 0: final sale
    delivered: Count  # units in the customer's hands: shipped or collected, less refunded at pickup
    delivered_at: AwareDatetime | None  # the latest delivery of this line; None: not delivered yet
    returned: Count  # units returned anywhere in the network, as far as the hub has heard


class DeliveredLine(Wire):
    line_no: Annotated[int, Field(ge=1)]
    sku: Code
    qty: Qty  # units delivered (rejected ones excluded)


class DeliveredFulfilment(Wire):
    id: Annotated[str, Field(min_length=1, max_length=80)]
    location: Code
    state: Annotated[str, Field(pattern=r"^(shipped|collected)$")]
    delivered_at: AwareDatetime
    lines: list[DeliveredLine]


class RefundRecordLine(RefundLine):
    line_no: Annotated[int, Field(ge=1)] | None = None  # the hub's order line it refunded


class RefundRecord(RefundPayload):
    lines: Annotated[list[RefundRecordLine], Field(min_length=1, max_length=200)]


class OrderForReturn(Wire):
    protocol: int = PROTOCOL_VERSION
    id: Annotated[str, Field(min_length=1, max_length=64)]
    channel: Annotated[str, Field(max_length=16)]
    state: Annotated[str, Field(max_length=20)]
    placed_at: AwareDatetime
    customer_name: Annotated[str, Field(max_length=200)]
    customer_email: Annotated[str, Field(max_length=254)] = ""
    customer_phone: Annotated[str, Field(max_length=40)] = ""
    delivery_method: Annotated[str, Field(pattern=r"^(ship|pickup)$")]
    total: Money
    discount: Money  # order-level discount, when the hub knows it (else 0)
    shipping: Money  # shipping charged, when the hub knows it (else 0)
    tender: Annotated[str, Field(max_length=24)] = ""  # "": not known, refunds go to "original payment"
    lines: Annotated[list[OrderLineForReturn], Field(min_length=1)]
    fulfilments: list[DeliveredFulfilment]  # delivered ones only
    refunds: list[RefundRecord]  # every refund of this order the hub holds, oldest first


class OrderSearchHit(Wire):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    channel: Annotated[str, Field(max_length=16)]
    customer_name: Annotated[str, Field(max_length=200)]
    placed_at: AwareDatetime
    total: Money


class OrderSearchResult(Wire):
    """Orders of any channel matching a customer's name, e-mail or phone, newest first (a few only)."""

    protocol: int = PROTOCOL_VERSION
    orders: list[OrderSearchHit]
