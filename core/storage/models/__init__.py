"""Every table, imported in one place so metadata and Alembic see them all."""

from core.storage.models.associates import Associate, AuditEntry
from core.storage.models.base import Base
from core.storage.models.bin_stock import BinStock
from core.storage.models.hub import (
    ApiToken,
    ChangeFeedEntry,
    EnrolmentCode,
    EventConflict,
    HubMeta,
    InboundEvent,
)
from core.storage.models.inventory import Movement, Reservation, ReservationStatus, StockPosition
from core.storage.models.network import Bin, Location, Product, ProductBarcode
from core.storage.models.orders import Fulfilment, FulfilmentLine, Order, OrderLine, StateEvent
from core.storage.models.pick_progress import PickProgress
from core.storage.models.pickup import (
    Notification,
    Pickup,
    PickupLine,
    PickupScan,
    PickupSearchGram,
    StoreTask,
)
from core.storage.models.returns import OrderPayment, Return, ReturnLine
from core.storage.models.routing import RoutingDecisionRecord, RuleSetStatus, RuleSetVersion
from core.storage.models.store_sync import OutboxEvent, OutboxState, SyncMessage, SyncState

__all__ = [
    "ApiToken",
    "Associate",
    "AuditEntry",
    "Base",
    "Bin",
    "BinStock",
    "ChangeFeedEntry",
    "EnrolmentCode",
    "EventConflict",
    "Fulfilment",
    "FulfilmentLine",
    "HubMeta",
    "InboundEvent",
    "Location",
    "Movement",
    "Notification",
    "Order",
    "OrderLine",
    "OrderPayment",
    "OutboxEvent",
    "OutboxState",
    "PickProgress",
    "Pickup",
    "PickupLine",
    "PickupScan",
    "PickupSearchGram",
    "Product",
    "ProductBarcode",
    "Reservation",
    "ReservationStatus",
    "Return",
    "ReturnLine",
    "RoutingDecisionRecord",
    "RuleSetStatus",
    "RuleSetVersion",
    "StateEvent",
    "StockPosition",
    "StoreTask",
    "SyncMessage",
    "SyncState",
]
