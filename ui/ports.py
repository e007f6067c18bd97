"""What the screens need from the rest of the app, handed in by the composition root.

The UI may not import `core.services` (they bring SQLAlchemy, and the import contract counts
indirect imports), so `app` binds each service to its arguments and passes the bound calls in
here. Each call returns an `Op` (a function of the session) that `ui.ops.OpRunner` runs on the
database thread; tests build the same object from the real services. From the sync client the UI
takes only its status type (`sync.client.status`), as the import contract allows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.domain.associates import AssociateCard, Role, SignedIn, SignInOutcome
from sync.client.status import SyncStatus
from ui.ops import Op

if TYPE_CHECKING:  # in annotations only: each screen's ports load with the screen, after sign-in shows
    from core.domain.packing import PackCard, PackSheet, ShipResult
    from ui.inventory_ports import InventoryServices
    from ui.people_ports import PeopleServices
    from ui.pick_ports import PickServices
    from ui.pickup_ports import PickupServices
    from ui.returns_ports import ReturnsServices
    from ui.routing_ports import RoutingServices


@dataclass(frozen=True, slots=True)
class PackServices:
    """The packing bench: list, sheet (box suggestion included), packed, and the last step."""

    packable: Callable[[], Op[list[PackCard]]]
    sheet: Callable[[str], Op[PackSheet]]  # fulfilment id
    packed: Callable[[SignedIn, str, str], Op[str]]  # (person, fulfilment id, box used) -> state
    shipped: Callable[[SignedIn, str], Op[ShipResult]]
    ready_for_pickup: Callable[[SignedIn, str, int], Op[ShipResult]]  # person, fulfilment, bags
    documents_dir: Path  # where "Save PDF" writes labels and slips


@dataclass(frozen=True, slots=True)
class StoreServices:
    """Bound service calls for the screens (see the module docstring)."""

    list_associates: Callable[[], Op[list[AssociateCard]]]
    sign_in: Callable[[str, str], Op[SignInOutcome]]  # (associate id, PIN)
    sign_out: Callable[[SignedIn], Op[None]]
    require_role: Callable[[SignedIn, Role], Op[None]]  # raises PermissionDeniedError
    is_set_up: Callable[[], Op[bool]]
    # The sync client's own calls run on the asyncio loop (it has its own database thread):
    sync_status: Callable[[], Awaitable[SyncStatus | None]]
    enroll: Callable[[str, str], Awaitable[str]]  # (hub URL, enrolment code) -> store code
    device: str = "tablet"
    # A screen's calls come from a factory it calls when it is built (`ui.main_window`), so their
    # module and the core services behind it load after the sign-in screen is painted.
    # None: the screen stays a placeholder.
    pack: Callable[[], PackServices] | None = None
    pick: Callable[[], PickServices] | None = None
    returns: Callable[[], ReturnsServices] | None = None
    pickup: Callable[[], PickupServices] | None = None
    inventory: Callable[[], InventoryServices] | None = None
    routing: Callable[[], RoutingServices] | None = None  # None: no hub to steer (the demo)
    people: Callable[[], PeopleServices] | None = None  # managers' People card on Settings
    idle_minutes: Callable[[], Op[int]] | None = None  # sign out after this long without input
