"""What the People and My PIN cards need (managers adding staff, resetting PINs, unlocking; anyone
changing their own PIN), handed in by
the composition root (`app/store_people.py`). Every call names the manager acting; the services
check the role and write the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.domain.associates import PersonRow, Role, SignedIn, SignInOutcome
from ui.ops import Op


@dataclass(frozen=True, slots=True)
class PeopleServices:
    everyone: Callable[[SignedIn], Op[list[PersonRow]]]
    add: Callable[[SignedIn, str, str, Role, str], Op[object]]  # (manager, id, name, role, PIN)
    unlock: Callable[[SignedIn, str], Op[None]]
    set_active: Callable[[SignedIn, str, bool], Op[None]]
    set_pin: Callable[[SignedIn, str, str], Op[None]]  # (manager, id, new PIN)
    # (the person signed in, current PIN, new PIN): a wrong current PIN is an outcome, not an error
    change_own_pin: Callable[[SignedIn, str, str], Op[SignInOutcome]]
    idle_minutes: Callable[[], Op[int]]  # the store's sign-out-when-idle policy
    set_idle_minutes: Callable[[SignedIn, int], Op[int]]
