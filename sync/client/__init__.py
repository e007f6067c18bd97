"""The store's sync client: an asyncio relay between the store database and the hub.

Public surface: `SyncClient` (enrol, push, pull, run forever), `SyncStatus` (what the UI shows),
`RetryPolicy`, and the two failures a caller may see, `HubUnavailableError` and `HubRefusedError`.
"""

from sync.client.hub_api import HubRefusedError, HubUnavailableError
from sync.client.relay import NotEnrolledError, PullReport, PushReport, RetryPolicy, SyncClient
from sync.client.status import SyncStatus

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
