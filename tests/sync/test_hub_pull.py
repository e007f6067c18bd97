"""Pulling changes: cursor paging with `more`, snapshots for new, stale and foreign cursors, restarts."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import text

from core.domain.inventory import utc_now
from core.routing.rates import RateBroker, load_sample_rate_sheet
from core.services.allocation import Router
from core.services.hub.feed import feed_epoch, prune_feed
from core.storage.database import Database
from sync.protocol import Catalog, FulfilmentAssigned, StockBalances
from tests.sync import hub_kit
from tests.sync.hub_kit import HubClient, movement, pickup_at

hub, hub_db, router = hub_kit.hub, hub_kit.hub_db, hub_kit.router  # fixtures, used by name


def test_cursor_paging_follows_more_and_sees_only_this_store(hub: HubClient) -> None:
    hub.order(pickup_at("S02", "Q0"))
    start = hub.pull("S01", 0).cursor  # a snapshot (cursor 0 always is), then incremental pages
    ids = [hub.order(pickup_at("S01", f"P{i}"))["fulfilments"][0] for i in range(5)]
    hub.order(pickup_at("S02", "Q1"))  # another store's news
    seen, cursor, pages = [], start, 0
    while True:
        page = hub.pull("S01", cursor, limit=2)
        pages += 1
        assert not page.snapshot and len(page.changes) <= 2
        assert all(c.seq > cursor for c in page.changes)
        seen += [c.typed_payload() for c in page.changes]
        cursor = page.cursor
        if not page.more:
            break
    assert pages == 3
    assert [p.fulfilment_id for p in seen if isinstance(p, FulfilmentAssigned)] == ids
    assert all(p.location == "S01" for p in seen if isinstance(p, FulfilmentAssigned))
    again = hub.pull("S01", cursor)
    assert again.changes == [] and again.cursor == cursor and not again.more


def test_cursor_zero_after_history_answers_a_snapshot(hub: HubClient) -> None:
    open_one = hub.order(pickup_at("S01", "P1", SKU_1=3))["fulfilments"][0]
    hub.push("S01", movement("S01", "SKU-2", -4))
    snapshot = hub.pull("S01", 0)
    assert snapshot.snapshot and not snapshot.more and snapshot.cursor > 0
    by_kind = {c.kind.value: c.typed_payload() for c in snapshot.changes}
    catalog, stock, assigned = by_kind["catalog"], by_kind["stock"], by_kind["fulfilment_assigned"]
    assert isinstance(catalog, Catalog) and {p.sku for p in catalog.products} == {"SKU-1", "SKU-2", "SKU-3"}
    assert {loc.code for loc in catalog.locations} == {"S01", "S02", "DC1"}
    assert isinstance(stock, StockBalances) and stock.complete
    balances = {b.sku: b for b in stock.balances}
    assert balances["SKU-2"].sellable == 6 and balances["SKU-1"].reserved == 3
    assert isinstance(assigned, FulfilmentAssigned) and assigned.fulfilment_id == open_one
    assert assigned.lines[0].name == "Product SKU-1" and assigned.explanation
    # the cursor it hands out continues the feed without a gap
    later = hub.order(pickup_at("S01", "P2"))["fulfilments"][0]
    (change,) = hub.pull("S01", snapshot.cursor).changes
    assert change.payload["fulfilment_id"] == later


def test_a_cursor_behind_the_pruned_feed_or_past_its_head_gets_a_snapshot(
    hub: HubClient, hub_db: Database
) -> None:
    hub.order(pickup_at("S01", "P1"))
    first = hub.pull("S01", 0).cursor
    hub.order(pickup_at("S01", "P2"))
    hub.order(pickup_at("S01", "P3"))
    assert not hub.pull("S01", first).snapshot
    with hub_db.transaction() as session:
        assert prune_feed(session, utc_now() + timedelta(seconds=1)) >= 2  # the newest entry stays
    stale = hub.pull("S01", first)
    assert stale.snapshot
    assert len([c for c in stale.changes if c.kind.value == "fulfilment_assigned"]) == 3
    assert hub.pull("S01", stale.cursor + 1000).snapshot  # a cursor from another hub's feed


def test_pruning_everything_keeps_the_newest_entry_so_seq_never_goes_back(
    hub: HubClient, hub_db: Database
) -> None:
    hub.order(pickup_at("S01", "P1"))
    hub.order(pickup_at("S01", "P2"))
    snapshot = hub.pull("S01", 0)
    with hub_db.transaction() as session:
        assert prune_feed(session, utc_now() + timedelta(seconds=1)) == 1
        assert prune_feed(session, utc_now() + timedelta(seconds=1)) == 0  # nothing more to cut
    kept = hub.pull("S01", snapshot.cursor, epoch=snapshot.epoch)
    assert not kept.snapshot and kept.changes == []  # an up-to-date device is not sent a snapshot
    later = hub.order(pickup_at("S01", "P3"))["fulfilments"][0]
    (change,) = hub.pull("S01", snapshot.cursor, epoch=snapshot.epoch).changes
    assert change.seq > snapshot.cursor and change.payload["fulfilment_id"] == later


def test_a_snapshot_of_an_empty_feed_is_not_repeated_and_the_epoch_names_the_feed(hub: HubClient) -> None:
    first = hub.pull("S01", 0)
    assert first.snapshot and first.cursor == 0 and first.epoch
    again = hub.pull("S01", 0, epoch=first.epoch)  # cursor 0 from a snapshot: a valid cursor
    assert not again.snapshot and again.changes == [] and again.epoch == first.epoch
    fid = hub.order(pickup_at("S01", "P1"))["fulfilments"][0]
    (change,) = hub.pull("S01", 0, epoch=first.epoch).changes
    assert change.payload["fulfilment_id"] == fid
    assert hub.pull("S01", change.seq, epoch="another-hub").snapshot  # a cursor of another feed
    assert hub.pull("S01", 0).snapshot  # no epoch: a new or reset device


def test_a_restarted_hub_continues_the_same_feed(hub: HubClient, hub_db: Database) -> None:
    hub.order(pickup_at("S01", "P1"))
    cursor = hub.pull("S01", 0).cursor
    token = hub.stores["S01"]
    hub.close()
    restarted = hub_kit.TestClient(hub_kit.create_app(hub_db, Router(RateBroker(load_sample_rate_sheet()))))
    auth = {"Authorization": f"Bearer {token}"}
    posted = restarted.post("/v1/orders", json=pickup_at("S01", "P2"), headers=hub.auth(hub.integration))
    assert posted.status_code == 201
    page = restarted.get("/v1/sync/pull", params={"cursor": cursor}, headers=auth).json()
    assert not page["snapshot"] and [c["payload"]["order_id"] for c in page["changes"]] == ["P2"]
    assert page["changes"][0]["seq"] > cursor
    restarted.close()


def test_pull_parameters_are_checked(hub: HubClient) -> None:
    for params in ({"cursor": -1}, {"limit": 0}, {"limit": 100000}, {"cursor": "abc"}):
        response = hub.http.get("/v1/sync/pull", params=params, headers=hub.as_store("S01"))
        assert response.status_code == 422, params
        assert response.json()["field"] in ("cursor", "limit")


def test_a_big_answer_travels_gzipped_when_the_device_accepts_it(hub: HubClient) -> None:
    response = hub.http.get(
        "/v1/sync/pull", params={"cursor": 0}, headers={**hub.as_store("S01"), "Accept-Encoding": "gzip"}
    )
    small = response.headers.get("content-encoding") is None  # the tiny test catalog is under the bar
    assert response.status_code == 200 and (small or response.headers["content-encoding"] == "gzip")
    big = hub.http.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip" and big.json()["paths"]


def test_two_hubs_starting_together_agree_on_the_feed_epoch(postgresql_db: Database) -> None:
    """The second insert waits for the first transaction and keeps its value (ON CONFLICT)."""
    found: list[str] = []
    with postgresql_db.transaction() as first:
        made = feed_epoch(first)  # inserted, not committed yet
        other = threading.Thread(target=lambda: found.append(_epoch(postgresql_db)))
        other.start()
        deadline = time.monotonic() + 60
        while not _waiting_on_a_lock(postgresql_db):
            assert time.monotonic() < deadline, "the second hub never reached the insert"
            time.sleep(0.02)
    other.join(60)
    assert found == [made]


def _epoch(database: Database) -> str:
    with database.transaction() as session:
        return feed_epoch(session)


def _waiting_on_a_lock(database: Database) -> bool:
    """Asked on a connection of its own: activity statistics stay frozen inside one transaction."""
    with database.engine.connect() as connection:
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query LIKE '%hub_meta%'"
        )
        return bool(connection.execute(text(query)).scalar())
