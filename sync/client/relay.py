"""The store's sync relay: push the outbox, pull the store's feed, forever, whatever the network does.

Plain asyncio with an injected `httpx.AsyncClient`, so the Qt app runs it on its qasync loop and
tests run it on an in-process hub. Why it is shaped like this:

* One sync at a time (an `asyncio.Lock`): push and pull interleaved from two callers could apply a
  stock snapshot while an event's outcome is still unknown.
* Push before pull, and settle every event "in doubt" (sent once, no answer) before pulling: the
  hub's balance in a pulled snapshot then holds exactly the events marked sent, so the store can
  rebuild its balance as hub + pending without counting anything twice (`core.services.store_stock`).
* Backoff with jitter comes from stamina around a whole sync, never from a hand-written loop; when
  the retries give up the relay sleeps until the timer or the next `notify()`.
* Database work runs on one worker thread (`DbWorker`), never on the loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import httpx
import stamina

from core.domain.inventory import utc_now
from core.services.outbox import EventOutcome, record_attempt_failure, record_outcomes
from core.services.store_pull import PulledChange, apply_changes
from core.storage.database import Database
from sync.client import store_io
from sync.client.hub_api import HubApi, HubRefusedError, HubUnavailableError
from sync.client.status import SyncStatus
from sync.client.worker import DbWorker
from sync.protocol import MAX_EVENTS_PER_PUSH

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter for one sync; `timeout` bounds the whole retrying."""

    attempts: int = 6
    timeout: float = 120.0
    wait_initial: float = 0.5
    wait_max: float = 30.0
    wait_jitter: float = 1.0


@dataclass(frozen=True, slots=True)
class PushReport:
    sent: int = 0
    duplicate: int = 0
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class PullReport:
    changes: int = 0
    pages: int = 0
    snapshot: bool = False
    cursor: int = 0


class NotEnrolledError(Exception):
    """The store has no device token yet; `enroll()` first."""


class SyncClient:
    """Relays one store database to its hub. Create it on the loop that will run it."""

    def __init__(
        self,
        database: Database,
        http_client: httpx.AsyncClient,
        *,
        batch_size: int = MAX_EVENTS_PER_PUSH,
        pull_limit: int = 500,
        interval: float = 30.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.db = DbWorker(database)
        self.api = HubApi(http_client)
        self.batch_size = batch_size
        self.pull_limit = pull_limit
        self.interval = interval
        self.retry = retry or RetryPolicy()
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._online: bool | None = None
        self._last_error = ""
        self._token_refused: bool | None = None  # None: not known yet (see the database)

    # ------------------------------------------------------------------ enrolment

    async def enroll(self, hub_url: str, code: str, device_name: str = "store-tablet") -> str:
        """Trade a one-time store code for a device token; returns the store's location code."""
        answer = await self.api.enroll(hub_url, code, device_name)
        await self.db.run(store_io.save_enrolment, hub_url, answer.token, answer.location, device_name)
        self._online, self._token_refused = True, False
        return answer.location

    async def reset_cursor(self) -> None:
        await self.db.run(store_io.reset_cursor)

    # ------------------------------------------------------------------ one round

    async def push_once(self) -> PushReport:
        """Push every pending event (in batches); raises `HubUnavailableError` if an answer went missing."""
        async with self._lock:
            return await self._tracked(self._push_all())

    async def pull_once(self) -> PullReport:
        """Pull and apply the feed until the hub says there is no more."""
        async with self._lock:
            return await self._tracked(self._pull_all())

    async def sync_once(self) -> tuple[PushReport, PullReport]:
        async with self._lock:
            pushed = await self._tracked(self._push_all())
            pulled = await self._tracked(self._pull_all())
            await self.db.run(store_io.note_sync)
            return pushed, pulled

    async def _tracked(self, work: Awaitable[T]) -> T:
        """Run a step and keep the online flag and last error for `status()`; a 401 is remembered
        in the database (the token was revoked: the UI asks for a new enrolment) until a call succeeds."""
        try:
            result = await work
        except HubUnavailableError as exc:
            self._online, self._last_error = False, str(exc)
            raise
        except HubRefusedError as exc:
            self._online, self._last_error = True, str(exc)
            if exc.status == 401:
                await self.db.run(store_io.note_token_refused)
                self._token_refused = True
            raise
        self._online, self._last_error = True, ""
        if self._token_refused is not False:
            await self.db.run(store_io.clear_token_refused)
            self._token_refused = False
        return result

    async def _credentials(self) -> store_io.Credentials:
        found = await self.db.run(store_io.credentials)
        if found is None:
            raise NotEnrolledError("this store is not enrolled with a hub yet")
        return found

    async def _push_all(self) -> PushReport:
        creds = await self._credentials()
        sent = duplicate = rejected = 0
        while True:
            batch = await self.db.run(store_io.next_batch, self.batch_size)
            rejected += batch.invalid
            if not batch.events:
                if batch.invalid:
                    continue
                return PushReport(sent, duplicate, rejected)
            try:
                answer = await self.api.push(creds.hub_url, creds.token, batch.events)
            except HubUnavailableError as exc:
                await self.db.run(record_attempt_failure, batch.ids, str(exc))
                raise
            asked = set(batch.ids)
            outcomes = [
                EventOutcome(r.id, r.status.value, r.reason, r.field) for r in answer.results if r.id in asked
            ]
            await self.db.run(record_outcomes, outcomes)
            missing = asked - {o.event_id for o in outcomes}
            sent += sum(o.status == "applied" for o in outcomes)
            duplicate += sum(o.status == "duplicate" for o in outcomes)
            rejected += sum(o.status == "rejected" for o in outcomes)
            if missing:
                await self.db.run(record_attempt_failure, sorted(missing), "no answer for this event")
                raise HubUnavailableError(f"the hub did not answer {len(missing)} event(s)")

    async def _pull_all(self) -> PullReport:
        creds = await self._credentials()
        counts = await self.db.run(store_io.counts)
        if counts.in_doubt:  # settle first, or a snapshot could count those events twice
            await self._push_all()
        changes = pages = 0
        snapshot = caught_up = False
        at = await self.db.run(store_io.feed_position)
        while True:
            # Catch up on the feed first, even when a snapshot is wanted: its entries carry what
            # the associates must read (why an order was cancelled, where units went), which a
            # snapshot does not repeat. Then one snapshot (cursor 0, no epoch) settles the rest.
            fresh = at.snapshot_wanted and caught_up
            cursor, epoch = (0, None) if fresh else (at.cursor, at.epoch)
            page = await self.api.pull(creds.hub_url, creds.token, cursor, self.pull_limit, epoch)
            pulled = [PulledChange(c.seq, c.kind.value, c.payload) for c in page.changes]
            await self.db.run(
                apply_changes, pulled, page.cursor, snapshot=page.snapshot, epoch=page.epoch or None
            )
            changes, pages, snapshot = changes + len(pulled), pages + 1, snapshot or page.snapshot
            at = await self.db.run(store_io.feed_position)
            caught_up = not page.more
            if caught_up and not at.snapshot_wanted:
                return PullReport(changes, pages, snapshot, page.cursor)

    # ------------------------------------------------------------------ forever

    def notify(self) -> None:
        """Something was committed: push soon. Safe to call from any thread."""
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is not None and running is not loop:
            loop.call_soon_threadsafe(self._wake.set)
        else:
            self._wake.set()

    async def sync_with_retries(self) -> None:
        """One sync, retried with exponential backoff and jitter while the hub is unreachable."""
        async for attempt in stamina.retry_context(
            on=HubUnavailableError,
            attempts=self.retry.attempts,
            timeout=self.retry.timeout,
            wait_initial=self.retry.wait_initial,
            wait_max=self.retry.wait_max,
            wait_jitter=self.retry.wait_jitter,
        ):
            with attempt:
                await self.sync_once()

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Sync now, then whenever `notify()` is called or `interval` passes, until `stop` is set."""
        self._loop = asyncio.get_running_loop()
        stop = stop or asyncio.Event()
        while not stop.is_set():
            self._wake.clear()
            try:
                await self.sync_with_retries()
            except (HubUnavailableError, HubRefusedError, NotEnrolledError) as exc:
                log.warning("sync did not complete: %s", exc)
            except Exception:  # a bug must not kill the relay: the outbox keeps everything
                log.exception("sync failed")
            await _first_of(self._wake, stop, self.interval)

    # ------------------------------------------------------------------ status

    async def status(self) -> SyncStatus:
        c = await self.db.run(store_io.counts)
        age = utc_now() - c.oldest_pending_at if c.oldest_pending_at else None
        return SyncStatus(
            enrolled=c.enrolled,
            location=c.location,
            online=self._online,
            pending=c.pending,
            in_doubt=c.in_doubt,
            oldest_pending_age=max(age, timedelta(0)) if age is not None else None,
            rejected=c.rejected,
            unread_messages=c.unread,
            last_sync=c.last_sync,
            last_error=self._last_error,
            token_refused=c.token_refused,
        )

    def close(self) -> None:
        self.db.close()


async def _first_of(wake: asyncio.Event, stop: asyncio.Event, timeout: float) -> None:
    waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
