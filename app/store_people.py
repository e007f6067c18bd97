"""The People and My PIN cards' calls, bound for the UI (see `ui.people_ports.PeopleServices`)."""

from __future__ import annotations

from core.domain.associates import SignedIn
from core.services import associates
from core.services.orders import Actor
from ui.people_ports import PeopleServices


def people_services(device: str) -> PeopleServices:
    def by(person: SignedIn) -> Actor:
        return associates.actor_of(SignedIn(person.associate_id, person.name, person.role, device))

    return PeopleServices(
        everyone=lambda person: lambda s: associates.everyone(s, by=by(person)),
        add=lambda person, pid, name, role, pin: (
            lambda s: associates.create_associate(s, pid, name, role, pin, by=by(person))
        ),
        unlock=lambda person, pid: lambda s: associates.unlock_associate(s, pid, by=by(person)),
        set_active=lambda person, pid, active: lambda s: associates.set_active(s, pid, active, by=by(person)),
        set_pin=lambda person, pid, pin: lambda s: associates.change_pin(s, pid, pin, by=by(person)),
        change_own_pin=lambda person, current, new: (
            lambda s: associates.change_own_pin(
                s, SignedIn(person.associate_id, person.name, person.role, device), current, new
            )
        ),
        idle_minutes=lambda: associates.idle_sign_out_minutes,
        set_idle_minutes=lambda person, minutes: (
            lambda s: associates.set_idle_sign_out_minutes(s, minutes, by=by(person))
        ),
    )
