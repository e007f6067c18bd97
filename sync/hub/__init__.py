"""The hub's HTTP application (FastAPI); the store app must never import it.

`create_app(database, router)` is the only entry point; routes are small modules per area
(`routes_sync`, `routes_orders`, `routes_inventory`) over the services in `core.services.hub`.
"""

from sync.hub.app import create_app

__all__ = ["create_app"]
