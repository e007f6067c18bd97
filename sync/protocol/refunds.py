"""Refunds on the wire: what a store pushes when it records one, and what the hub lists for an order.

A refund is money the store already handed back (recorded, not charged), so it travels as a fact:
the hub keeps it so "units already returned anywhere" counts it, and a second store that looks the
order up afterwards cannot take the same units back again. The store's stock effects travel as
their own movement events; a refund event moves no stock.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from sync.protocol.base import Code, Qty, Wire

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class RefundKind(StrEnum):
    RETURN = "return"  # units brought back to a store
    PICKUP = "pickup"  # units the customer did not take at the pickup counter


class RefundMethod(StrEnum):
    ORIGINAL_TENDER = "original_tender"
    STORE_CREDIT = "store_credit"


class RefundLine(Wire):
    sku: Code
    qty: Qty
    reason: Annotated[str, Field(min_length=1, max_length=24)]
    condition: Annotated[str, Field(max_length=12)] = ""
    disposition: Annotated[str, Field(max_length=12)] = ""
    unit_price: Money
    gross: Money
    discount: Money
    fee: Money
    refund: Money


class RefundPayload(Wire):
    """One refund decision as the store recorded it (`returns` row and its lines)."""

    return_id: Annotated[str, Field(min_length=1, max_length=40)]
    kind: RefundKind
    order_id: Annotated[str, Field(min_length=1, max_length=64)] | None  # None: a return without receipt
    location: Code
    receipt: bool = True
    refund_method: RefundMethod
    tender: Annotated[str, Field(max_length=24)] = ""
    merchandise: Money
    discount: Money
    fees: Money
    shipping: Money
    total: Money
    approved_by: Annotated[str, Field(max_length=32)] = ""
    actor: Annotated[str, Field(max_length=64)] = ""
    device: Annotated[str, Field(max_length=64)] = ""
    created_at: AwareDatetime
    lines: Annotated[list[RefundLine], Field(min_length=1, max_length=200)]
