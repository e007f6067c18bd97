"""Hypothesis: any sequence of movements and reservations keeps balance == Σ ledger and ATP right.

A plain-Python model of the ledger runs beside the database; after every step both must agree and
`run_checks` must find nothing. Each run uses fresh location codes, so runs share one database.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from core.domain.errors import InsufficientStockError
from core.domain.inventory import Bucket, MovementSpec, Reason
from core.services.catalog import upsert_locations, upsert_products
from core.services.checks import run_checks
from core.services.inventory import close_reservations, record_movements, reserve, set_safety_stock
from core.storage.database import Database
from core.storage.models import Reservation, ReservationStatus, StockPosition
from tests.factories import product, store

SKUS = ("P-1", "P-2")
quantities = st.integers(-4, 8).filter(bool)  # stock must build up before reservations can bite


def run_ledger_machine(db: Database, examples: int) -> None:
    class LedgerMachine(RuleBasedStateMachine):
        @initialize()
        def network(self) -> None:
            tag = uuid.uuid4().hex[:6]
            self.strict, self.lenient = f"A{tag}", f"B{tag}"
            with db.transaction() as s:
                upsert_locations(s, [store(self.strict), store(self.lenient, allow_negative_stock=True)])
                upsert_products(s, [product(sku, i) for i, sku in enumerate(SKUS, start=1)])
            self.balance: dict[tuple[str, str, Bucket], int] = defaultdict(int)
            self.reserved: dict[tuple[str, str], int] = defaultdict(int)
            self.safety: dict[tuple[str, str], int] = defaultdict(int)
            self.applied: list[MovementSpec] = []
            self.holds: list[Reservation] = []

        def loc(self, lenient: bool) -> str:
            return self.lenient if lenient else self.strict

        @rule(
            moves=st.lists(
                st.tuples(st.booleans(), st.sampled_from(SKUS), st.sampled_from(list(Bucket)), quantities),
                min_size=1,
                max_size=4,
            )
        )
        def record(self, moves: list[tuple[bool, str, Bucket, int]]) -> None:
            specs = [
                MovementSpec(self.loc(lenient), sku, q, Reason.ADJUSTMENT, bucket=b)
                for lenient, sku, b, q in moves
            ]
            after = dict(self.balance)
            for spec in specs:
                after[(spec.location, spec.sku, spec.bucket)] = (
                    after.get((spec.location, spec.sku, spec.bucket), 0) + spec.qty
                )
            refused = any(
                value < 0 and not (bucket is Bucket.SELLABLE and loc == self.lenient)
                for (loc, _, bucket), value in after.items()
            )
            try:
                with db.transaction() as s:
                    record_movements(s, specs)
            except InsufficientStockError:
                assert refused
                return
            assert not refused
            self.balance.update(after)
            self.applied.extend(specs)

        @rule(data=st.data())
        def replay(self, data: st.DataObject) -> None:
            if self.applied:
                spec = data.draw(st.sampled_from(self.applied))
                with db.transaction() as s:
                    assert record_movements(s, [spec])[0].outcome == "duplicate"

        @rule(
            lenient=st.booleans(), sku=st.sampled_from(SKUS), qty=st.integers(1, 5), all_of_it=st.booleans()
        )
        def hold(self, lenient: bool, sku: str, qty: int, all_of_it: bool) -> None:
            """Reserve some units, or exactly what is available, where off-by-one mistakes live."""
            key = (self.loc(lenient), sku)
            atp = self.balance[(*key, Bucket.SELLABLE)] - self.reserved[key] - self.safety[key]
            if all_of_it and atp > 0:
                qty = atp
            try:
                with db.transaction() as s:
                    self.holds.append(reserve(s, *key, qty))
            except InsufficientStockError:
                assert atp < qty
                return
            assert atp >= qty
            self.reserved[key] += qty

        @rule(data=st.data(), consumed=st.booleans())
        def release(self, data: st.DataObject, consumed: bool) -> None:
            if self.holds:
                held = self.holds.pop(data.draw(st.integers(0, len(self.holds) - 1)))
                outcome = ReservationStatus.CONSUMED if consumed else ReservationStatus.RELEASED
                with db.transaction() as s:
                    close_reservations(s, [s.merge(held)], outcome)
                self.reserved[(held.location_code, held.sku)] -= held.qty

        @rule(lenient=st.booleans(), sku=st.sampled_from(SKUS), units=st.integers(0, 3))
        def safety_stock(self, lenient: bool, sku: str, units: int) -> None:
            with db.transaction() as s:
                set_safety_stock(s, self.loc(lenient), sku, units)
            self.safety[(self.loc(lenient), sku)] = units

        @invariant()
        def database_agrees_with_model(self) -> None:
            with db.transaction() as s:
                for loc in (self.strict, self.lenient):
                    for sku in SKUS:
                        p = s.get(StockPosition, (loc, sku))
                        held = {b: getattr(p, b.value) if p else 0 for b in Bucket}
                        assert held == {b: self.balance[(loc, sku, b)] for b in Bucket}
                        expected_atp = (
                            held[Bucket.SELLABLE] - self.reserved[(loc, sku)] - self.safety[(loc, sku)]
                        )
                        assert (p.atp if p else 0) == expected_atp
                assert run_checks(s) == []

    run_state_machine_as_test(
        LedgerMachine, settings=settings(max_examples=examples, stateful_step_count=30, deadline=None)
    )


def test_ledger_properties_on_sqlite(sqlite_db: Database) -> None:
    run_ledger_machine(sqlite_db, examples=60)


def test_ledger_properties_on_postgresql(postgresql_db: Database) -> None:
    run_ledger_machine(postgresql_db, examples=25)
