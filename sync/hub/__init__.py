"""The hub's HTTP application (FastAPI); the store app must never import it.

`create_app(database, router)` is the only entry point; routes are small modules per area
(`routes_sync`, `routes_orders`, `routes_inventory`) over the services in `core.services.hub`.
The application loads on first use of `create_app`, so a command that only reads one of the
hub's settings (`push_gate.PUSH_SLOTS` for `oms bench sync --help`) does not load FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.hub.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from sync.hub.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
