import zipcodes

from core.domain.geo import lookup_us_postal_code


def test_a_zip_code_resolves_to_its_centre_time_zone_city_and_state() -> None:
    place = lookup_us_postal_code("60601")
    assert place is not None
    assert (place.latitude, place.longitude) == (41.8858, -87.6181)
    assert (place.timezone, place.city, place.state) == ("America/Chicago", "Chicago", "IL")


def test_zip_plus_four_and_spaces_resolve_like_the_five_digits() -> None:
    assert lookup_us_postal_code(" 60601-1234 ") == lookup_us_postal_code("60601")


def test_unknown_or_malformed_codes_are_none() -> None:
    assert lookup_us_postal_code("00000") is None
    assert lookup_us_postal_code("6060A") is None
    assert lookup_us_postal_code("606") is None
    assert lookup_us_postal_code("") is None


def test_the_index_agrees_with_the_package_across_every_leading_digit() -> None:
    for code in ("00501", "02108", "10001", "20500", "30301", "48201", "55401", "75201", "90210", "99501"):
        m = zipcodes.matching(code)[0]
        place = lookup_us_postal_code(code)
        assert place is not None, code
        assert (place.latitude, place.longitude, place.timezone, place.city, place.state) == (
            float(m["lat"]),
            float(m["long"]),
            m.get("timezone"),
            m.get("city"),
            m.get("state"),
        )
