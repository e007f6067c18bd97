"""The box rule (core.domain.boxes): smallest fitting box, rotations, stacking, volume, weight,
splits, oversize, unknown sizes, and the shipped default list."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from core.domain.boxes import Box, Fit, Item, choose_box, fits, load_boxes, parse_boxes
from core.domain.errors import ValidationError

D = Decimal


def box(code: str, l: float, w: float, h: float, kg: float = 20, tare: float = 0.2) -> Box:  # noqa: E741
    return Box(code, code.title(), (D(str(l)), D(str(w)), D(str(h))), D(str(kg)), D(str(tare)))


def item(sku: str, l: float, w: float, h: float, kg: float = 0.5, qty: int = 1) -> Item:  # noqa: E741
    return Item(sku, (D(str(l)), D(str(w)), D(str(h))), D(str(kg)), qty)


BOXES = [box("small", 30, 20, 10, kg=5), box("medium", 40, 30, 20, kg=15), box("large", 60, 40, 40, kg=25)]


def test_smallest_box_that_fits_wins() -> None:
    choice = choose_box([item("TEE", 28, 18, 3)], BOXES)
    assert choice.fit is Fit.ONE_BOX and choice.box is not None and choice.box.code == "small"
    assert choice.text == "Small (30 × 20 × 10 cm): 1 item, 0.7 kg with the box."


def test_any_rotation_counts() -> None:
    # 10 × 28 × 18 lies down as 28 × 18 × 10
    assert fits([item("LAMP", 10, 28, 18)], BOXES[0])
    # one side too long for small, whatever the rotation
    assert choose_box([item("BOOT", 34, 12, 8)], BOXES).box.code == "medium"  # type: ignore[union-attr]


def test_stacked_flat_items_add_their_shortest_sides() -> None:
    three = [item("TEE", 28, 18, 3, qty=3)]  # pile 28 × 18 × 9: fits small
    assert choose_box(three, BOXES).box.code == "small"  # type: ignore[union-attr]
    four = [item("TEE", 28, 18, 3, qty=4)]  # pile 28 × 18 × 12: too tall for small; volume 6048 > 0.75 × 6000
    assert choose_box(four, BOXES).box.code == "medium"  # type: ignore[union-attr]


def test_volume_rule_takes_many_small_items() -> None:
    # Ten 9 × 9 × 9 cubes pile 90 cm high (no box), but 7290 cm³ ≤ 0.75 × 24000 of medium
    cubes = [item("CUBE", 9, 9, 9, kg=0.2, qty=10)]
    assert not fits([item("CUBE", 9, 9, 9)] * 10, BOXES[0])
    assert choose_box(cubes, BOXES).box.code == "medium"  # type: ignore[union-attr]


def test_weight_limit_moves_up_a_size() -> None:
    heavy = [item("KETTLEBELL", 20, 15, 15, kg=8)]
    assert choose_box(heavy, BOXES).box.code == "medium"  # type: ignore[union-attr]


def test_too_much_for_one_box_is_split() -> None:
    # two 55 × 35 × 35 units: each needs the large box, both together do not fit one
    choice = choose_box([item("CHAIR", 55, 35, 35, kg=9, qty=2)], BOXES)
    assert choice.fit is Fit.SPLIT and [p.box.code for p in choice.parcels] == ["large", "large"]
    assert choice.text.startswith("Needs two boxes: Large (CHAIR × 1); Large (CHAIR × 1).")
    mixed = choose_box(
        [item("CHAIR", 55, 35, 35, kg=9), item("TEE", 28, 18, 3), item("DESK", 58, 38, 30, kg=12)], BOXES
    )
    assert mixed.fit is Fit.SPLIT and len(mixed.parcels) == 2
    assert sum(q for p in mixed.parcels for _, q in p.units) == 3


def test_a_unit_that_fits_no_box_is_oversize() -> None:
    choice = choose_box([item("SOFA", 120, 80, 60, kg=45), item("TEE", 28, 18, 3)], BOXES)
    assert choice.fit is Fit.OVERSIZE and choice.oversize == ("SOFA",) and choice.box is None
    assert "SOFA (120 × 80 × 60 cm, 45 kg)" in choice.text and "Small (TEE × 1)" in choice.text
    too_heavy = choose_box([item("ANVIL", 20, 20, 20, kg=30)], BOXES)
    assert too_heavy.fit is Fit.OVERSIZE


def test_unknown_sizes_fit_by_weight_and_are_named() -> None:
    choice = choose_box([item("MYSTERY", 0, 0, 0, kg=1)], BOXES)
    assert choice.box.code == "small" and choice.unsized == ("MYSTERY",)  # type: ignore[union-attr]
    assert "No size on file for MYSTERY" in choice.text


def test_default_box_list_and_demo_sized_goods() -> None:
    boxes = load_boxes()
    assert {b.code for b in boxes} >= {"MAILER", "BOX-S", "BOX-M", "BOX-L"}
    assert choose_box([item("APP-1", 29, 24, 3.5, kg=0.4)], boxes).box.code == "MAILER"  # type: ignore[union-attr]
    assert choose_box([item("BEA-1", 14, 9, 5, kg=0.2)], boxes).box.code == "BOX-XS"  # type: ignore[union-attr]
    assert choose_box([item("FOO-1", 34, 22, 13, kg=1.4)], boxes).box.code == "BOX-M"  # type: ignore[union-attr]
    assert choose_box([item("FUR-1", 118, 75, 58, kg=50)], boxes).fit is Fit.OVERSIZE


def test_a_bad_box_list_names_the_entry(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"boxes\[1\]"):
        parse_boxes(
            {"boxes": [{"code": "A", "name": "A", "inner_cm": [1, 2, 3], "max_kg": 1}, {"code": "B"}]}
        )
    with pytest.raises(ValidationError, match="positive"):
        parse_boxes({"boxes": [{"code": "A", "name": "A", "inner_cm": [0, 2, 3], "max_kg": 1}]})
    path = tmp_path / "boxes.json"
    path.write_text(
        json.dumps({"boxes": [{"code": "T", "name": "Tube", "inner_cm": [100, 8, 8], "max_kg": 3}]})
    )
    assert load_boxes(path)[0].inner_cm == (D(100), D(8), D(8))
    path.write_text("{not json")
    with pytest.raises(ValidationError, match="not JSON"):
        load_boxes(path)
    with pytest.raises(ValidationError):
        choose_box([item("X", 1, 1, 1)], [])
