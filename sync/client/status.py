"""What the UI shows about sync: a plain, immutable snapshot it can read on its own thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """One look at the relay: is the hub reachable, how much is waiting, what needs a person."""

    enrolled: bool
    location: str | None
    online: bool | None  # None until the first attempt; False after a failed one
    pending: int
    in_doubt: int  # pending events already sent once whose outcome is unknown
    oldest_pending_age: timedelta | None
    rejected: int  # events on the review list
    unread_messages: int
    last_sync: datetime | None
    last_error: str = ""
    token_refused: bool = False  # the hub answered 401 (revoked or unknown token): enrol again

    @property
    def needs_attention(self) -> bool:
        return self.rejected > 0 or self.unread_messages > 0 or self.token_refused
