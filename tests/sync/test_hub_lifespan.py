"""The serving hub's interpreter settings: a short switch interval, and the heap it starts with
kept out of garbage collection, both only while it serves."""

from __future__ import annotations

import gc
import sys

from core.services.allocation import Router
from core.storage.database import Database
from sync.hub.lifespan import SWITCH_INTERVAL
from tests.sync import hub_kit
from tests.sync.hub_kit import TestClient, create_app

hub_db, router = hub_kit.hub_db, hub_kit.router  # fixtures, used by name


def test_a_serving_hub_asks_for_the_interpreter_lock_often(hub_db: Database, router: Router) -> None:
    before = sys.getswitchinterval()
    with TestClient(create_app(hub_db, router)) as served:
        assert sys.getswitchinterval() == SWITCH_INTERVAL
        assert served.get("/healthz").status_code == 200
    assert sys.getswitchinterval() == before


def test_what_a_hub_holds_at_start_is_frozen_while_it_serves(hub_db: Database, router: Router) -> None:
    app = create_app(hub_db, router)
    assert gc.get_freeze_count() == 0
    with TestClient(app) as served:
        assert gc.get_freeze_count() > 0
        assert not any(o is app for o in gc.get_objects())  # frozen objects are not listed
        assert served.get("/healthz").status_code == 200
    assert gc.get_freeze_count() == 0
    assert any(o is app for o in gc.get_objects())


def test_a_heap_its_owner_froze_is_left_frozen(hub_db: Database, router: Router) -> None:
    gc.freeze()
    try:
        app = create_app(hub_db, router)
        with TestClient(app) as served:
            assert served.get("/healthz").status_code == 200
            assert any(o is app for o in gc.get_objects())  # the hub froze nothing more...
        assert gc.get_freeze_count() > 0  # ...and unfroze nothing of its owner's
    finally:
        gc.unfreeze()
