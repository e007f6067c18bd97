"""The roles a hub bearer token carries.

Its own module (rather than in `core.services.hub.access`, which re-exports it) so that the
command line can offer the roles without loading the database layer.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    STORE_DEVICE = "store-device"
    INTEGRATION = "integration"
    MANAGER = "manager"
