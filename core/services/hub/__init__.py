"""The hub's use cases (no web framework here): access, exactly-once events, the store feed, intake.

`sync.hub` adapts HTTP to these functions; the command line and tests call them directly. Public
surface by module:

- `access`: roles, `issue_token`, `authenticate`, `create_enrolment_code`, `enrol`;
- `feed`: `emit`, `feed_head`, `prune_feed`, `FeedFacts` (when a cursor needs a snapshot);
- `pull_read`: `read_pull` (a pull's token, feed facts and page in one statement);
- `snapshot`: `store_snapshot` (open fulfilments, stock and catalog of one store);
- `events`: `StoreEvent`, `FulfilmentUpdate`, `apply_events` (exactly-once push);
- `movement_batch`: `apply_movement_batch` (a push of movements applied whole, or None);
- `intake`: `route_order`, `reroute_lines`, `cancel_order` (routing that tells the stores);
- `feeds`: `apply_inventory_feed` (DC / 3PL / drop-ship stock snapshots and deltas);
- `views`: `order_view`, `stock_view` (read models for the API);
- `refunds`: `StoreRefund`, `apply_refund` (the stores' refunds, counted against the order lines);
- `return_view`: `order_for_return` (any order as a store reads it for a return).
"""
