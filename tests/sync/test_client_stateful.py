"""A hypothesis state machine over two stores and the hub, all real: stores go offline and online,
sell, receive, take returns and work their fulfilments while the hub routes and cancels orders and
answers get lost. When everyone is back and quiet, every store agrees with the hub on its stock
(every bucket and reservations), its ledger ids and its open work, and `run_checks` passes everywhere."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule
from sqlalchemy import select

from core.domain.errors import OmsError
from core.domain.inventory import Bucket, MovementSpec, Reason
from core.services.hub.intake import cancel_order
from core.services.outbox import discard_rejected, mark_messages_read, review_list
from core.services.store_ops import record_fulfilment_action, record_store_movements
from core.storage.models import Fulfilment, Order
from sync.client import HubUnavailableError
from tests.sync.client_support import assert_consistent, balances, ledger_ids
from tests.sync.hub_harness import STORES, DroppingTransport, Hub, Store, pickup_order

T = TypeVar("T")
SKUS = st.sampled_from(["SKU-1", "SKU-2", "SKU-3"])
LOCATIONS = st.sampled_from(STORES)
UNITS = st.integers(1, 4)
NEXT_STEP = {
    "assigned": "picking",
    "picking": "picked",
    "picked": "packed",
    "packed": None,  # ready_for_pickup or shipped, by delivery method
    "ready_for_pickup": "collected",
}
OPEN = tuple(NEXT_STEP)
BUCKETS = [b.value for b in Bucket] + ["reserved"]


class StoresAndHub(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="oms-sync-"))
        self.loop = asyncio.new_event_loop()
        self.hub = Hub(self.dir / "hub.db")
        self.transports = {loc: DroppingTransport(self.hub) for loc in STORES}
        self.stores = {loc: Store(self.dir / f"{loc}.db", self.transports[loc]) for loc in STORES}
        self.online = dict.fromkeys(STORES, True)
        self.orders = 0
        for loc, store in self.stores.items():
            self.run(store.enroll(self.hub, loc))

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(work)

    def sync(self, loc: str) -> int:
        """One sync if the store is online; returns the changes pulled (0 when quiet)."""
        if not self.online[loc]:
            return 0
        try:
            _, pulled = self.run(self.stores[loc].client.sync_once())
        except HubUnavailableError:
            return -1
        return pulled.changes if not pulled.snapshot else 0

    def move(self, loc: str, spec: MovementSpec) -> None:
        with self.stores[loc].db.transaction() as session:
            record_store_movements(session, [spec])

    @rule(loc=LOCATIONS)
    def go_offline(self, loc: str) -> None:
        self.online[loc] = False

    @rule(loc=LOCATIONS)
    def come_online(self, loc: str) -> None:
        self.online[loc] = True
        self.sync(loc)

    @rule(loc=LOCATIONS)
    def sync_now(self, loc: str) -> None:
        self.sync(loc)

    @rule(loc=LOCATIONS)
    def ask_for_a_snapshot(self, loc: str) -> None:
        """As after restoring the tablet's database: the next pull resets stock and work from the hub."""
        self.run(self.stores[loc].client.reset_cursor())

    @rule(loc=LOCATIONS)
    def review_refused_events(self, loc: str) -> None:
        """A manager lets the hub's refusals go: the next pull takes a snapshot of the hub's word."""
        with self.stores[loc].db.transaction() as session:
            discard_rejected(session, [row.event_id for row in review_list(session)])
            mark_messages_read(session)

    @rule(loc=LOCATIONS)
    def lose_next_answer(self, loc: str) -> None:
        self.transports[loc].drop = 1

    @rule(loc=LOCATIONS, sku=SKUS, qty=UNITS)
    def sell(self, loc: str, sku: str, qty: int) -> None:
        self.move(loc, MovementSpec(loc, sku, -qty, Reason.SALE))

    @rule(loc=LOCATIONS, sku=SKUS)
    def sell_the_shelf_empty(self, loc: str, sku: str) -> None:
        """Everything on the shelf goes: once pushed, the hub must move promised units elsewhere."""
        left = balances(self.stores[loc].db, loc).get(sku, 0)
        if left > 0:
            self.move(loc, MovementSpec(loc, sku, -left, Reason.SALE))

    @rule(loc=LOCATIONS, sku=SKUS)
    def sell_out_and_miss_the_answer(self, loc: str, sku: str) -> None:
        """The shelf sold out and pushed, the answer lost: the hub moves promised units away while
        the store has not heard yet and keeps working (rejecting, picking, snapshotting) meanwhile."""
        self.sell_the_shelf_empty(loc, sku)
        self.transports[loc].drop = 1
        self.sync(loc)

    @rule(loc=LOCATIONS, sku=SKUS, qty=UNITS)
    def sell_while_syncing(self, loc: str, sku: str, qty: int) -> None:
        """A sale committed after the push and before the pulled page applies: pending at apply time."""
        transport = self.transports[loc]

        def at_the_till() -> None:
            transport.before_pull = None
            self.move(loc, MovementSpec(loc, sku, -qty, Reason.SALE))

        transport.before_pull = at_the_till
        self.sync(loc)
        transport.before_pull = None

    @rule(loc=LOCATIONS, sku=SKUS, qty=UNITS)
    def receive(self, loc: str, sku: str, qty: int) -> None:
        self.move(loc, MovementSpec(loc, sku, qty, Reason.RECEIPT))

    @rule(loc=LOCATIONS, sku=SKUS, qty=UNITS, damaged=st.booleans())
    def take_return(self, loc: str, sku: str, qty: int, damaged: bool) -> None:
        bucket = Bucket.DAMAGED if damaged else Bucket.SELLABLE
        self.move(loc, MovementSpec(loc, sku, qty, Reason.RETURN, bucket=bucket))

    @rule(loc=LOCATIONS, sku=SKUS, qty=UNITS)
    def customer_orders_for_pickup(self, loc: str, sku: str, qty: int) -> None:
        self.orders += 1
        with contextlib.suppress(OmsError):  # nothing to promise: refused, the hub's business
            self.hub.route(pickup_order(f"P{self.orders}", loc, [(sku, qty)]))

    @precondition(lambda self: self.orders > 0)
    @rule(data=st.data())
    def hub_cancels_an_order(self, data: st.DataObject) -> None:
        order_id = f"P{data.draw(st.integers(1, self.orders))}"
        with self.hub.db.transaction() as session:
            if session.get(Order, order_id) is None:
                return
        with contextlib.suppress(OmsError), self.hub.db.transaction() as session:  # maybe collected already
            cancel_order(session, order_id, "the customer cancelled")

    @rule(loc=LOCATIONS, data=st.data(), reject=st.integers(0, 5))
    def work_a_fulfilment(self, loc: str, data: st.DataObject, reject: int) -> None:
        with self.stores[loc].db.transaction() as session:
            open_ids = session.scalars(
                select(Fulfilment.id).where(Fulfilment.state.in_(OPEN)).order_by(Fulfilment.id)
            ).all()
        if not open_ids:
            return
        fid = data.draw(st.sampled_from(open_ids))
        with self.stores[loc].db.transaction() as session:
            fulfilment = session.get(Fulfilment, fid)
            step = NEXT_STEP[fulfilment.state]
            if step is None:
                pickup = fulfilment.order.delivery_method == "pickup"
                step = "ready_for_pickup" if pickup else "shipped"
            if reject == 0 and fulfilment.state in ("assigned", "picking", "picked"):
                line = fulfilment.lines[0]
                units = [(line.sku, 1)] if line.live_qty > 1 else []
                record_fulfilment_action(session, fid, "reject_lines", lines=units, reason="not on the shelf")
            else:
                record_fulfilment_action(session, fid, step)

    def teardown(self) -> None:
        try:
            self.settle_and_compare()
        finally:
            for store in self.stores.values():
                self.run(store.close())
            self.hub.close()
            self.loop.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def settle_and_compare(self) -> None:
        for loc in STORES:
            self.online[loc] = True
            self.transports[loc].drop = 0
        for _ in range(12):  # a store's sync can put work in another store's feed (re-routing)
            pulled = [self.sync(loc) for loc in STORES]
            pending = [self.run(self.stores[loc].client.status()).pending for loc in STORES]
            if not any(pulled) and not any(pending):
                break
        else:
            raise AssertionError(f"no quiet state: pulled {pulled}, pending {pending}")
        for loc, store in self.stores.items():
            for bucket in BUCKETS:
                assert balances(store.db, loc, bucket) == self.hub.balances(loc, bucket), (loc, bucket)
            assert ledger_ids(store.db, loc) == self.hub.ledger_ids(loc), loc
            assert self.open_work(store.db, loc) == self.open_work(self.hub.db, loc), loc
            assert_consistent(store.db)
        assert_consistent(self.hub.db)

    @staticmethod
    def open_work(db: Any, loc: str) -> dict[str, tuple[str, dict[str, int]]]:
        with db.transaction() as session:
            rows = session.scalars(
                select(Fulfilment).where(Fulfilment.location_code == loc, Fulfilment.state.in_(OPEN))
            )
            return {f.id: (f.state, {ln.sku: ln.live_qty for ln in f.lines if ln.live_qty}) for f in rows}


StoresAndHub.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_stores_and_hub_converge = StoresAndHub.TestCase
