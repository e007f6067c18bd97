"""Associates in the services: PIN hashing, validation, roles, audit (the UI tests drive the rest)."""

from __future__ import annotations

import pytest

from core.domain.associates import Role, SignedIn
from core.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from core.domain.pins import check_pin, hash_pin
from core.services import audit
from core.services.associates import (
    add_demo_associates,
    change_own_pin,
    change_pin,
    create_associate,
    everyone,
    idle_sign_out_minutes,
    list_associates,
    require_role,
    set_active,
    set_idle_sign_out_minutes,
    sign_in,
)
from core.services.orders import SYSTEM, Actor
from core.storage.database import Database


def test_pins_are_salted_scrypt_hashes() -> None:
    first, second = hash_pin("1234"), hash_pin("1234")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert check_pin("1234", first) and not check_pin("1235", first)
    assert not check_pin("1234", "md5$abc") and not check_pin("1234", "garbage")


@pytest.mark.parametrize("pin", ["12", "123456789", "12a4", "１２３４"])
def test_a_pin_is_four_to_eight_ascii_digits(pin: str) -> None:
    with pytest.raises(ValidationError):
        hash_pin(pin)


def test_creating_people_checks_ids_roles_and_duplicates(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as session:
        add_demo_associates(session)
        for bad in ("", "system", "x" * 33):
            with pytest.raises(ValidationError):
                create_associate(session, bad, "Name", Role.ASSOCIATE, "1234")
        with pytest.raises(ValidationError, match="role"):
            create_associate(session, "2000", "Name", "owner", "1234")
        with pytest.raises(ConflictError):
            create_associate(session, "1001", "Amy again", Role.ASSOCIATE, "1234")
        with pytest.raises(PermissionDeniedError):
            create_associate(session, "2000", "Name", Role.ASSOCIATE, "1234", by=Actor("1001"))
        assert [c.name for c in list_associates(session)] == ["Amy Rivera", "Ben Okafor", "Morgan Lee"]


def test_an_unknown_id_gets_the_same_answer_as_a_wrong_pin(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as session:
        add_demo_associates(session)
        unknown = sign_in(session, "4242", "1234")
        assert not unknown.ok and "not right" in unknown.message
        assert audit.entries(session, subject="4242")[0].action == "sign_in.refused"


def test_people_change_their_own_pin_and_only_managers_change_others(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as session:
        add_demo_associates(session)
        change_pin(session, "1001", "4321", by=Actor("1001"))
        assert sign_in(session, "1001", "4321").ok
        with pytest.raises(PermissionDeniedError):
            change_pin(session, "1002", "0000", by=Actor("1001"))
        change_pin(session, "1002", "0000", by=Actor("9001"))
        require_role(session, SYSTEM, Role.MANAGER)  # the command line acts as the system


def test_a_new_pin_is_checked_like_the_first_one(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as session:
        add_demo_associates(session)
        for bad in ("12", "12ab", "123456789"):
            with pytest.raises(ValidationError) as refused:
                change_pin(session, "1001", bad, by=Actor("9001"))
            assert refused.value.field == "pin"
        assert sign_in(session, "1001", "1234").ok  # the old PIN still works


def test_only_managers_see_everyone_including_who_may_not_sign_in(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as session:
        add_demo_associates(session)
        set_active(session, "1002", False, by=Actor("9001"))
        rows = everyone(session, by=Actor("9001"))
        assert [(r.associate_id, r.active) for r in rows] == [("1001", True), ("9001", True), ("1002", False)]
        with pytest.raises(PermissionDeniedError):
            everyone(session, by=Actor("1001"))


def test_the_idle_sign_out_is_a_store_policy_managers_set(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as session:
        add_demo_associates(session)
        assert idle_sign_out_minutes(session) == 10
        assert set_idle_sign_out_minutes(session, 25, by=Actor("9001")) == 25
        assert idle_sign_out_minutes(session) == 25
        with pytest.raises(PermissionDeniedError):
            set_idle_sign_out_minutes(session, 60, by=Actor("1001"))
        for bad in (0, 121, True):
            with pytest.raises(ValidationError) as refused:
                set_idle_sign_out_minutes(session, bad, by=Actor("9001"))
            assert refused.value.field == "minutes"
        assert idle_sign_out_minutes(session) == 25


def test_changing_your_own_pin_needs_the_current_one(sqlite_db: Database) -> None:
    amy = SignedIn("1001", "Amy Rivera", Role.ASSOCIATE, "tablet-1")
    with sqlite_db.transaction() as session:
        add_demo_associates(session)
        refused = change_own_pin(session, amy, "0000", "4321")
        assert refused.signed_in is None and refused.attempts_left == 4  # counts toward the lockout
        with pytest.raises(ValidationError) as bad:
            change_own_pin(session, amy, "1234", "12")
        assert bad.value.field == "new_pin"
        assert change_own_pin(session, amy, "1234", "4321").signed_in == amy
        assert sign_in(session, "1001", "4321").ok and not sign_in(session, "1001", "1234").ok
