"""Enrolment and tokens: a code works once, every route wants the right token, a store sees only itself."""

from __future__ import annotations

from datetime import timedelta

from core.domain.inventory import utc_now
from core.services.hub.access import create_enrolment_code, revoke_token
from core.storage.database import Database
from core.storage.models import ApiToken
from tests.factories import order_json
from tests.sync import hub_kit
from tests.sync.hub_kit import HubClient, pickup_at

hub, hub_db, router = hub_kit.hub, hub_kit.hub_db, hub_kit.router  # fixtures, used by name


def test_an_enrolment_code_works_once(hub: HubClient, hub_db: Database) -> None:
    with hub_db.transaction() as session:
        code = create_enrolment_code(session, "S01")
    first = hub.http.post("/v1/enroll", json={"code": code.lower(), "device_name": "tablet 3"})
    assert first.status_code == 200
    assert first.json()["location"] == "S01" and first.json()["protocol"] == 1
    again = hub.http.post("/v1/enroll", json={"code": code, "device_name": "tablet 4"})
    assert again.status_code == 401
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["field"] == "code"
    with hub_db.transaction() as session:
        names = [t.name for t in session.query(ApiToken).filter_by(location_code="S01")]
    assert "tablet 3" in names and "tablet 4" not in names


def test_an_expired_code_is_refused(hub: HubClient, hub_db: Database) -> None:
    with hub_db.transaction() as session:
        code = create_enrolment_code(session, "S01", now=utc_now() - timedelta(days=2))
    response = hub.http.post("/v1/enroll", json={"code": code, "device_name": "late"})
    assert response.status_code == 401


def test_no_token_bad_token_and_revoked_token_are_401(hub: HubClient, hub_db: Database) -> None:
    assert hub.http.get("/v1/sync/pull").status_code == 401
    bad = hub.http.get("/v1/sync/pull", headers=hub.auth("not-a-token"))
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    with hub_db.transaction() as session:
        token_id = session.query(ApiToken).filter_by(name="tablet-S01").one().id
        revoke_token(session, token_id)
    assert hub.http.get("/v1/sync/pull", headers=hub.as_store("S01")).status_code == 401
    assert hub.http.get("/v1/sync/pull", headers=hub.as_store("S02")).status_code == 200


def test_roles_reach_only_their_routes(hub: HubClient) -> None:
    store_order = hub.http.post("/v1/orders", json=order_json("W9"), headers=hub.as_store("S01"))
    assert store_order.status_code == 403 and store_order.json()["field"] == "authorization"
    manager_order = hub.http.post("/v1/orders", json=order_json("W9"), headers=hub.auth(hub.manager))
    assert manager_order.status_code == 403
    integration_pull = hub.http.get("/v1/sync/pull", headers=hub.auth(hub.integration))
    assert integration_pull.status_code == 403
    for token in (hub.manager, hub.integration, hub.stores["S01"]):
        assert hub.http.get("/v1/inventory/SKU-1", headers=hub.auth(token)).status_code == 200


def test_a_store_reads_only_orders_it_works_on(hub: HubClient) -> None:
    hub.order(pickup_at("S01", "P1"))
    assert hub.http.get("/v1/orders/P1", headers=hub.as_store("S01")).status_code == 200
    other = hub.http.get("/v1/orders/P1", headers=hub.as_store("S02"))
    assert other.status_code == 403 and other.json()["field"] == "order_id"
    managed = hub.http.get("/v1/orders/P1", headers=hub.auth(hub.manager))
    assert managed.status_code == 200 and managed.json()["fulfilments"][0]["location"] == "S01"
    assert hub.http.get("/v1/orders/NOPE", headers=hub.auth(hub.manager)).status_code == 404


def test_a_store_cannot_write_another_stores_stock_or_fulfilments(hub: HubClient) -> None:
    from tests.sync.hub_kit import movement, step

    fulfilment = hub.order(pickup_at("S01", "P2"))["fulfilments"][0]
    results = hub.push("S02", movement("S01", "SKU-1", -1), step(fulfilment, "picking"))
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert results[0]["field"] == "payload.location"
    assert results[1]["field"] == "payload.fulfilment_id" and "belongs to S01" in results[1]["reason"]


def test_health_and_openapi_need_no_token(hub: HubClient) -> None:
    health = hub.http.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    spec = hub.http.get("/openapi.json").json()
    push_body = spec["paths"]["/v1/sync/push"]["post"]["requestBody"]["content"]["application/json"]
    assert push_body["schema"]["$ref"].endswith("/PushRequest")
    assert {"MovementEvent", "FulfilmentEvent", "PullResponse"} <= set(spec["components"]["schemas"])
    assert {"/v1/enroll", "/v1/sync/push", "/v1/sync/pull", "/v1/orders", "/v1/inventory/feeds"} <= set(
        spec["paths"]
    )
