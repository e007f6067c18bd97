"""Refund properties with hypothesis (pure, no database): the discount's parts sum to it exactly,
nothing is ever refunded beyond what was paid, and partial returns add up to one full return."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.refunds import allocate, from_cents, price_lines
from core.domain.returns import ReturnPolicy, ReturnRequest, SoldLine, SoldOrder, quote, quote_leftovers

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
NO_FEES = ReturnPolicy({})

cents = st.integers(min_value=1, max_value=50_000)
lines_st = st.lists(st.tuples(cents, st.integers(min_value=1, max_value=6)), min_size=1, max_size=5)


@st.composite
def orders(draw: st.DrawFn) -> SoldOrder:
    lines = draw(lines_st)
    gross = sum(p * q for p, q in lines)
    discount = draw(st.integers(min_value=0, max_value=gross))
    shipping = draw(st.integers(min_value=0, max_value=2_000))
    return SoldOrder(
        "W1",
        "web",
        tuple(
            SoldLine(i, f"SKU-{i}", f"Product {i}", from_cents(p), q, q, 0, 0, 30, NOW - timedelta(days=1))
            for i, (p, q) in enumerate(lines, start=1)
        ),
        discount=from_cents(discount),
        shipping=from_cents(shipping),
    )


def _paid(order: SoldOrder) -> Decimal:
    return (
        sum((ln.unit_price * ln.ordered for ln in order.lines), Decimal(0)) - order.discount + order.shipping
    )


def _after(order: SoldOrder, returned: dict[int, int], shipping_refunded: Decimal) -> SoldOrder:
    lines = tuple(
        replace(ln, returned=returned.get(ln.line_no, 0), refunded_before=returned.get(ln.line_no, 0))
        for ln in order.lines
    )
    return replace(order, lines=lines, shipping_refunded=shipping_refunded)


@given(
    st.integers(min_value=0, max_value=10**7),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8),
)
def test_allocation_is_exact_and_proportional(total: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        return
    parts = allocate(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    assert all(abs(part - total * w / whole) < 1 for part, w in zip(parts, weights, strict=True))


@given(orders())
def test_prorated_discounts_sum_to_the_order_discount(order: SoldOrder) -> None:
    priced = price_lines(
        [ln.unit_price for ln in order.lines], [ln.ordered for ln in order.lines], order.discount
    )
    assert from_cents(sum(p.discount_share for p in priced)) == order.discount
    units = sum((p.net_cents(0, p.ordered)[1] for p in priced), 0)
    assert from_cents(units) == order.discount


@settings(max_examples=150)
@given(orders(), st.data())
def test_partial_returns_add_up_to_a_full_return_and_never_exceed_what_was_paid(
    order: SoldOrder, data: st.DataObject
) -> None:
    full = quote(
        order,
        [ReturnRequest(ln.line_no, ln.ordered, "wrong_size", "new") for ln in order.lines],
        NO_FEES,
        NOW,
    )
    assert full.total == _paid(order) and full.discount == order.discount and full.shipping == order.shipping
    returned: dict[int, int] = {}
    shipping = Decimal("0.00")
    total = Decimal("0.00")
    current = order
    while any(returned.get(ln.line_no, 0) < ln.ordered for ln in order.lines):
        open_lines = [ln for ln in order.lines if returned.get(ln.line_no, 0) < ln.ordered]
        chosen = data.draw(st.lists(st.sampled_from(open_lines), min_size=1, unique_by=lambda ln: ln.line_no))
        requests = [
            ReturnRequest(
                ln.line_no,
                data.draw(st.integers(min_value=1, max_value=ln.ordered - returned.get(ln.line_no, 0))),
                "wrong_size",
                "opened",
            )
            for ln in chosen
        ]
        step = quote(current, requests, NO_FEES, NOW)
        assert step.total >= 0
        total += step.total
        shipping += step.shipping
        assert total <= _paid(order)
        for req in requests:
            returned[req.line_no] = returned.get(req.line_no, 0) + req.qty
        current = _after(order, returned, shipping)
    assert total == full.total and shipping == order.shipping


@given(orders(), st.data())
def test_fees_and_leftovers_never_refund_more_than_was_paid(order: SoldOrder, data: st.DataObject) -> None:
    line = data.draw(st.sampled_from(order.lines))
    left = data.draw(st.integers(min_value=0, max_value=line.ordered - 1))
    refunds = Decimal("0.00")
    if left:
        at_counter = quote_leftovers(order, [(line.line_no, left, "declined")])
        refunds += at_counter.total
        order = replace(
            order,
            lines=tuple(
                replace(ln, held=ln.held - left, refunded_before=left) if ln is line else ln
                for ln in order.lines
            ),
            shipping_refunded=at_counter.shipping,
        )
    reason = data.draw(st.sampled_from(["changed_mind", "defective", "wrong_size"]))
    requests = [ReturnRequest(ln.line_no, ln.held, reason, "new") for ln in order.lines if ln.held]
    refunds += quote(order, requests, ReturnPolicy(), NOW).total
    assert Decimal(0) <= refunds <= _paid(order)
