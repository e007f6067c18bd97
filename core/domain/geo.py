"""Where places are: offline US postal code lookup and great-circle distance.

Routing needs a distance for every candidate on every order, so lookups never touch the network
(the `zipcodes` package ships its data). That package scans its whole list for each query (about
half a millisecond), so its data is read once, on first use, into a dictionary by ZIP code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import zipcodes

from core.domain.errors import ValidationError

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Place:
    latitude: float
    longitude: float
    timezone: str | None = None
    city: str | None = None
    state: str | None = None


def lookup_us_postal_code(postal_code: str) -> Place | None:
    """The centre of a US ZIP code (5 digits, or ZIP+4), or None when it is unknown."""
    return _us_postal_codes().get(postal_code.strip()[:5])


@cache
def _us_postal_codes() -> dict[str, Place]:
    """Every US ZIP code's place, read once and kept for the process (a few megabytes).

    Read one two-digit prefix at a time: the package's own full list holds some 140 MB of
    dictionaries for as long as the process lives, which a hub routing orders should not carry.
    """
    out: dict[str, Place] = {}
    names: dict[str, str] = {}  # time zones and states repeat: one string each
    for prefix in range(100):
        for m in zipcodes.similar_to(f"{prefix:02d}"):
            tz, state = m.get("timezone"), m.get("state")
            out.setdefault(
                m["zip_code"],
                Place(
                    float(m["lat"]),
                    float(m["long"]),
                    names.setdefault(tz, tz) if tz else tz,
                    m.get("city"),
                    names.setdefault(state, state) if state else state,
                ),
            )
    return out


def resolve_place(
    postal_code: str | None,
    country: str,
    latitude: float | None,
    longitude: float | None,
    *,
    field: str = "postal_code",
) -> Place:
    """Coordinates given in the data win; otherwise a US postal code is looked up offline."""
    if latitude is not None and longitude is not None:
        check_coordinates(latitude, longitude)
        found = lookup_us_postal_code(postal_code) if postal_code and country == "US" else None
        return Place(latitude, longitude, found.timezone if found else None)
    if (latitude is None) != (longitude is None):
        raise ValidationError("latitude and longitude must be given together", field="latitude")
    if country == "US" and postal_code:
        found = lookup_us_postal_code(postal_code)
        if found is not None:
            return found
        raise ValidationError(
            f"unknown US postal code {postal_code!r} and no latitude/longitude given", field=field
        )
    raise ValidationError(
        f"no coordinates for postal code {postal_code!r} in {country}: give latitude and longitude",
        field=field,
    )


def check_coordinates(latitude: float, longitude: float) -> None:
    if not -90.0 <= latitude <= 90.0:
        raise ValidationError(f"latitude {latitude} is outside -90..90", field="latitude")
    if not -180.0 <= longitude <= 180.0:
        raise ValidationError(f"longitude {longitude} is outside -180..180", field="longitude")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
