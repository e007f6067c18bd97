"""Who did something, for the audit trail.

Its own module (rather than in `core.services.orders`, which re-exports it) so that signing in,
which writes audit rows, does not import the order services and pydantic's order models with them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting and on which device, for the audit trail."""

    user: str = "system"
    device: str = ""


SYSTEM = Actor()
