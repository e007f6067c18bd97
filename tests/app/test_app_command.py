"""`oms app` and `oms screenshots` as commands (the window itself is tested in tests/ui)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.cli.main import build_parser


def test_app_command_is_registered_with_its_options() -> None:
    args = build_parser().parse_args(["app", "--db", "store.db", "--theme", "dark", "--demo"])
    assert (args.db, args.theme, args.demo) == ("store.db", "dark", True)


def test_screenshots_renders_every_screen_offscreen(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "screenshots", "--out", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a hang fails; about 30 s alone, twice that beside other tests on two cores
        check=False,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    expected = {"main_dark.png", "main_light.png", "scanner_self_test.png", "setup.png", "sign_in.png"}
    expected |= {"pack_list.png", "pack_verify.png", "pack_box.png", "pack_label.png", "pack_label_pdf.png"}
    expected |= {
        "pack_pickup_bags.png",
        "inventory.png",
        "inventory_count.png",
        "routing.png",
        "settings_people.png",
    }
    expected |= {
        f"returns_{name}.png"
        for name in ("find", "lines", "quote", "refused", "done", "receiptless", "inspection", "receipt_pdf")
    }
    assert expected <= set(names)
    image = QImage(str(tmp_path / "main_dark.png"))
    assert (image.width(), image.height()) == (1280, 800)
    assert image.pixelColor(600, 300).lightness() < 60  # the dark theme really is dark


def test_associates_add_list_unlock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli.main import main

    db = str(tmp_path / "store.db")
    assert (
        main(["associates", "add", "2001", "Pat Doe", "--role", "manager", "--pin", "1111", "--db", db]) == 0
    )
    assert main(["associates", "add", "2001", "Pat", "--pin", "1111", "--db", db]) == 2
    assert main(["associates", "add", "2002", "Sam", "--pin", "12", "--db", db]) == 2
    assert main(["associates", "list", "--db", db]) == 0
    assert main(["associates", "unlock", "2001", "--db", db]) == 0
    out, err = capsys.readouterr()
    assert "Pat Doe" in out and "manager" in out and "already exists" in err and "4 to 8 digits" in err
