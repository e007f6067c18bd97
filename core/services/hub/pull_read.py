"""What a store device's pull reads, in one statement: its token, the feed's facts and a page.

Pulls are the hub's most frequent request (every tablet polls its feed), and each database round
trip is also a wait for the hub process's interpreter lock, which pushes hold for long stretches
under load. So the caller's token, the feed's epoch, what was pruned, the head, and the page of the
token's store after the cursor are read together: one SELECT of the facts, outer-joined to the
token row and to the page (no rows when the store's feed has nothing after the cursor). A single
statement also sees one snapshot of the database, as the separate reads did inside one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from core.services.hub.access import Principal, token_hash, token_principal
from core.services.hub.feed import EPOCH, PRUNED_THROUGH, FeedFacts, feed_epoch
from core.storage.models import ApiToken, ChangeFeedEntry, HubMeta


@dataclass(frozen=True, slots=True)
class PullRead:
    caller: Principal
    facts: FeedFacts
    entries: Sequence[tuple[int, str, dict[str, Any]]]  # (seq, kind, payload), up to `limit`, oldest first
    more: bool


def read_pull(session: Session, secret: str | None, after: int, limit: int) -> PullRead:
    """Authenticate the bearer secret and read its store's changes after the cursor; the page is
    meaningless (empty) for a token without a store, which `Principal.store()` then refuses."""
    digest = token_hash(secret)

    def meta(name: str) -> Any:
        return select(HubMeta.value).where(HubMeta.name == name).scalar_subquery()

    facts = select(
        meta(EPOCH).label("epoch"),
        meta(PRUNED_THROUGH).label("pruned"),
        select(func.max(ChangeFeedEntry.seq)).scalar_subquery().label("head"),
    ).subquery("facts")
    store = select(ApiToken.location_code).where(ApiToken.token_hash == digest).scalar_subquery()
    page = (
        select(ChangeFeedEntry.seq, ChangeFeedEntry.kind, ChangeFeedEntry.payload)
        .where(ChangeFeedEntry.location_code == store, ChangeFeedEntry.seq > after)
        .order_by(ChangeFeedEntry.seq)
        .limit(limit + 1)
        .subquery("page")
    )
    rows = session.execute(
        select(facts.c.epoch, facts.c.pruned, facts.c.head, ApiToken, page.c.seq, page.c.kind, page.c.payload)
        .select_from(facts)
        .outerjoin(ApiToken, ApiToken.token_hash == digest)
        .outerjoin(page, true())
        .order_by(page.c.seq)
    ).all()
    first = rows[0]
    caller = token_principal(first.ApiToken)
    epoch = first.epoch or feed_epoch(session)  # made at the app's start; here only if someone removed it
    facts_read = FeedFacts(epoch, int(first.pruned or 0), int(first.head or 0))
    entries = [(r.seq, r.kind, r.payload) for r in rows if r.seq is not None]
    return PullRead(caller, facts_read, entries[:limit], len(entries) > limit)
