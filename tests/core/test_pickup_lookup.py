"""Pickup lookup correctness on a generated set (SQLite and PostgreSQL): exact order numbers, QR
codes, partial and mistyped names, phone digits, e-mail parts; open pickups unless asked."""

from __future__ import annotations

import random

import pytest

from core.domain.errors import ValidationError
from core.domain.search_keys import edit_distance, normalise, query_terms, score, search_terms
from core.services.pickup_lookup import find_pickups
from core.services.pickup_seed import people, seed_pickups
from core.storage.database import Database
from tests.core.pickup_kit import AMY, T0, setup_store, staged

N = 1500


@pytest.fixture(scope="module")
def crowd() -> list:
    return people(N, seed=11)


@pytest.fixture
def store(db: Database, crowd: list) -> Database:
    setup_store(db)
    with db.transaction() as session:
        seed_pickups(session, "S01", "SKU-1", crowd, now=T0, open_share=0.5, seed=3)
    return db


def _typo(word: str, rng: random.Random) -> str:
    """One swap of neighbours, or one letter changed, in the middle of the word."""
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + ("x" if word[i] != "x" else "y") + word[i + 1 :]


def _names(cards: list) -> set[str]:
    return {normalise(c.customer_name) for c in cards}


def test_generated_people_are_found_by_partial_and_mistyped_names(store: Database, crowd: list) -> None:
    rng = random.Random(5)
    with store.transaction() as session:
        everyone = find_pickups(session, "P0000001", location="S01", include_closed=True)
        assert [c.order_id for c in everyone] == ["P0000001"]
        for person in rng.sample(crowd, 25):
            first, last = person.name.split()[0], person.name.split()[-1]
            wanted = normalise(person.name)
            # the last name mistyped, the first name as typed: the person is among the answers
            query = f"{first} {_typo(last, rng) if len(last) >= 5 else last}"
            found = find_pickups(session, query, location="S01", include_closed=True, limit=50)
            assert wanted in _names(found) or any(
                normalise(c.customer_name).split()[-1] == last.lower() for c in found
            ), (query, person.name)
            # a partial last name and the first name
            found = find_pickups(
                session, f"{last[:4]} {first}", location="S01", include_closed=True, limit=50
            )
            assert any(c.order_id == person.order_id for c in found) or len(found) == 50, (last[:4], first)
            # every answer really matches every typed word
            assert all(c.score > 0 for c in found)


def test_phone_digits_email_and_order_numbers(store: Database, crowd: list) -> None:
    person = crowd[17]
    digits = "".join(ch for ch in person.phone if ch.isdigit())
    with store.transaction() as session:
        by_phone = find_pickups(
            session, f"{digits[-7:-4]}-{digits[-4:]}", location="S01", include_closed=True
        )
        assert person.order_id in {c.order_id for c in by_phone}
        by_email = find_pickups(session, person.email, location="S01", include_closed=True)
        assert by_email[0].customer_email == person.email
        local = person.email.split("@")[0]
        assert person.order_id in {
            c.order_id for c in find_pickups(session, local, location="S01", include_closed=True)
        }
        with pytest.raises(ValidationError, match="at least 2"):
            find_pickups(session, " x ", location="S01")


def test_only_open_pickups_unless_asked_and_a_real_staged_one_by_typo(store: Database) -> None:
    staged(store, "W1-S01", [("SKU-2", 1)], name="Johnathan Smithers", email="jsmithers@example.com")
    with store.transaction() as session:
        [hit] = find_pickups(session, "jonathan smihters", location="S01")
        assert (hit.order_id, hit.shelf, hit.state, hit.units) == ("W1", "PICKUP", "ready", 1)
        assert find_pickups(session, "W1", location="S01")[0].pickup_id == "W1-S01"
        closed = [c for c in find_pickups(session, "smith", location="S01", include_closed=True, limit=200)]
        open_only = find_pickups(session, "smith", location="S01", limit=200)
        assert {c.state for c in open_only} == {"ready"} and len(closed) > len(open_only)
        assert find_pickups(session, "zzqqxx", location="S01") == []
        assert AMY.user == "1001"


def test_scores_and_terms_are_pure() -> None:
    assert search_terms("W-1001", "Zoë  O'Brien", "+1 (312) 555-0147", "zoe.obrien@example.com") == [
        "w1001",
        "zoe",
        "o",
        "brien",
        "13125550147",
        "obrien",
    ]
    assert query_terms("312 555-0147") == ["3125550147"]
    assert edit_distance("jonhson", "johnson", 2) == 1 and edit_distance("abc", "xyz", 1) == 2
    terms = ["ava", "kim", "13125550147"]
    assert score(["ava", "kim"], terms) == 1.0
    assert 0 < score(["av"], terms) < 1 and score(["0147"], terms) > 0
    assert score(["bob"], terms) == 0.0
