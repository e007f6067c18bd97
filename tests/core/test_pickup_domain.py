"""The pure pickup rules: QR payloads and why one is refused, codes, settings, ID and signature
checks, and the handover's scan judgement."""

from __future__ import annotations

import pytest

from core.domain.errors import ValidationError
from core.domain.handover import (
    DueItem,
    HandoverPlan,
    LeftLine,
    bag_code,
    check_left,
    handed_over,
    judge_scan,
)
from core.domain.pickup import (
    LeftOutcome,
    PickupSettings,
    QrProblem,
    check_id,
    check_qr,
    check_signature,
    code_matches,
    hash_code,
    new_code,
    qr_payload,
)

KEY, OTHER_KEY = b"k" * 32, b"o" * 32


def test_qr_round_trip_and_every_refusal() -> None:
    payload = qr_payload("S01", "W1", "W1-S01", "123456", KEY)
    ok = check_qr(payload, store="S01", key=KEY, state_of={"W1-S01": "ready"}.get)
    assert ok.ok and ok.claim is not None and ok.claim.code == "123456" and "123456" not in repr(ok)
    assert "123456" not in payload  # opaque to the eye (base64), though not secret from a decoder
    states = {"W1-S01": "collected"}
    cases = {
        "nonsense": QrProblem.MALFORMED,
        "OMSP1.!!!.x": QrProblem.MALFORMED,
        "OMSP1.YWJj.x": QrProblem.MALFORMED,  # decodes to "abc": parts missing
        payload[:-3] + "AAA": QrProblem.TAMPERED,
        qr_payload("S01", "W1", "W1-S01", "123456", OTHER_KEY): QrProblem.TAMPERED,
        qr_payload("S02", "W7", "W7-S02", "123456", OTHER_KEY): QrProblem.OTHER_STORE,
        qr_payload("S01", "W2", "W2-S01", "123456", KEY): QrProblem.UNKNOWN,
        payload: QrProblem.ALREADY_COLLECTED,
    }
    for text, problem in cases.items():
        verdict = check_qr(text, store="S01", key=KEY, state_of=states.get)
        assert verdict.problem is problem, (text, verdict)
    other = check_qr(qr_payload("S02", "W7", "W7-S02", "1", OTHER_KEY), store="S01", key=KEY)
    assert other.message == "this QR code is for a pickup at store S02 (order W7), not S01"


def test_codes_are_six_digits_and_only_their_hash_is_compared() -> None:
    codes = {new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 150
    stored = hash_code("012345", "salt")
    assert code_matches("012 345", "salt", stored) and not code_matches("012346", "salt", stored)


def test_settings_round_trip_and_name_the_bad_key() -> None:
    settings = PickupSettings("B-2", (3, 1), 5)
    assert settings.reminder_days == (1, 3)
    assert PickupSettings.from_mapping(settings.as_mapping()) == settings
    assert PickupSettings.from_mapping({}) == PickupSettings()
    with pytest.raises(ValidationError) as error:
        PickupSettings.from_mapping({"pickup.reminder_days": "1,x"})
    assert error.value.field == "pickup.reminder_days"
    with pytest.raises(ValidationError, match="1 to 90"):
        PickupSettings(unclaimed_days=0)


def test_id_and_signature_checks() -> None:
    assert check_id("passport", " ab12 ") == ("passport", "AB12")
    for id_type, last4, words in (
        ("badge", "1234", "not one of"),
        ("passport", "123", "4 letters"),
        ("state_id", "123456789", "full number"),
    ):
        with pytest.raises(ValidationError, match=words):
            check_id(id_type, last4)
    assert check_signature(b"\x89PNG\r\n\x1a\nrest")[0] == "png"
    assert check_signature("m 1 2 l 3 4 z") == ("svg", b"m 1 2 l 3 4 z")
    with pytest.raises(ValidationError, match="SVG path"):
        check_signature("M 1 2 <script>")


def test_judging_scans_and_what_is_left() -> None:
    plan = HandoverPlan(
        "W1-S01", "W1", (DueItem("SKU-1", "Mug", 2, ("111",)), DueItem("SKU-2", "Tea", 1, ())), 2
    )
    assert judge_scan(plan, "111", {}, set()).sku == "SKU-1"
    assert judge_scan(plan, "sku-2", {}, set()).sku == "SKU-2"
    assert judge_scan(plan, bag_code("W1-S01", 2, 2), {}, set()).bag == 2
    for code, done, bags, words in (
        ("999", {}, set(), "not on order W1"),
        ("111", {"SKU-1": 2}, set(), "scanned twice"),
        (bag_code("W1-S01", 2, 2), {}, {2}, "already scanned"),
        (bag_code("W9-S01", 1, 2), {}, set(), "belongs to W9-S01"),
        (bag_code("W1-S01", 3, 3), {}, set(), "has 2 bag"),
        ("BAG:W1-S01:x", {}, set(), "not a bag label"),
    ):
        with pytest.raises(ValidationError, match=words):
            judge_scan(plan, code, done, bags)
    left = check_left(plan, [LeftLine("SKU-2", 1, "missing")], LeftOutcome.REFUND)
    with pytest.raises(ValidationError, match="bag 2/2"):
        handed_over(plan, {}, {1}, left)
    assert handed_over(plan, {"SKU-1": 1}, {1, 2}, left) == {"SKU-1": 2}
    with pytest.raises(ValidationError, match="only 2 are due"):
        check_left(plan, [LeftLine("SKU-1", 3, "declined")], LeftOutcome.KEEP)
