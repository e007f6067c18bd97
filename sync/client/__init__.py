"""The store's sync client: an asyncio relay between the store database and the hub.

Public surface: `SyncClient` (enrol, push, pull, run forever), `SyncStatus` (what the UI shows),
`RetryPolicy`, and the two failures a caller may see, `HubUnavailableError` and `HubRefusedError`.

The names load on first use (PEP 562): the store app's UI imports `sync.client.status` before its
first paint, and that must not bring httpx, pydantic and the wire protocol with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.client.hub_api import HubRefusedError, HubUnavailableError
    from sync.client.relay import NotEnrolledError, PullReport, PushReport, RetryPolicy, SyncClient
    from sync.client.status import SyncStatus

_HOMES = {
    "HubRefusedError": "sync.client.hub_api",
    "HubUnavailableError": "sync.client.hub_api",
    "NotEnrolledError": "sync.client.relay",
    "PullReport": "sync.client.relay",
    "PushReport": "sync.client.relay",
    "RetryPolicy": "sync.client.relay",
    "SyncClient": "sync.client.relay",
    "SyncStatus": "sync.client.status",
}
__all__ = [
    "HubRefusedError",
    "HubUnavailableError",
    "NotEnrolledError",
    "PullReport",
    "PushReport",
    "RetryPolicy",
    "SyncClient",
    "SyncStatus",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
