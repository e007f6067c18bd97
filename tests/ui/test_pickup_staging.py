"""Pack hands a pickup order to the counter: the associate chooses the bags and prints a tag for each,
"Ready for pickup" on the Pack screen stages it on the store's pickup shelf, where the Pickup screen
lists it, the customer's e-mail (written by the demo's folder sender) carries the pickup code and
the QR code both as text and as an inline PNG, and the counter accepts the codes printed on the
tags at the handover."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.services.outbox import SyncKey, set_setting
from core.storage.database import Database
from tests.core.pickup_kit import packed_pickup
from tests.ui.kit import Kit, build_kit, close_kit, sign_in
from tests.ui.pack_kit import seed_store
from tests.ui.pickup_kit import BARCODES
from ui.screens.pack import PackScreen
from ui.screens.pickup import PickupScreen

# Delivers what is due with the folder sender and reports what the e-mail holds, as JSON.
MAILER = """
import json, sys
from email import message_from_bytes, policy
from pathlib import Path
from core.domain.qr_image import payload_in, qr_png
from core.services.mail_senders import FolderSender
from core.services.notifications import deliver_pending
from core.services.pickup import get_pickup
from core.services.pickup_handover import scan_for_handover
from core.services.pickup_verify import verify_code
from core.services.outbox import SyncKey, set_setting
from core.storage.database import Database

db, folder, tags = Database.open(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
with db.transaction() as session:
    pickup = get_pickup(session, "W1-S01")
    where = [pickup.state, pickup.shelf, pickup.bags]
sent = deliver_pending(db.transaction, FolderSender(folder)).sent
[eml] = folder.glob("*.eml")
mail = message_from_bytes(eml.read_bytes(), policy=policy.default)
text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
images = [part for part in mail.walk() if part.get_content_maintype() == "image"]
with db.transaction() as session:  # at the counter: the customer's code, then each bag's tag
    verified = verify_code(session, "W1-S01", text.split("Your pickup code: ")[1].split()[0]).ok
    bags = [scan_for_handover(session, "W1-S01", tag).bag for tag in tags]
print(json.dumps({
    "sent": sent, "pickup": where, "subject": mail["Subject"], "to": mail["To"],
    "code_in_text": "Your pickup code: " in text,
    "images": [part.get_content_type() for part in images],
    "image_is_the_payloads_qr": images[0].get_payload(decode=True) == qr_png(payload_in(text)),
    "html_shows_it": "cid:" + images[0]["Content-ID"].strip("<>") in html,
    "verified": verified, "bags_scanned": bags,
}))
"""


@pytest.fixture
def kit(qtbot: QtBot, qapp: QApplication, store_db: Database, tmp_path: Path, monkeypatch) -> Iterator[Kit]:
    """The whole app signed in as Amy, one picked pickup order (with an e-mail address) at the bench."""
    monkeypatch.setenv("OMS_DOCUMENTS_DIR", str(tmp_path / "documents"))
    seed_store(store_db)
    with store_db.transaction() as session:
        set_setting(session, SyncKey.LOCATION, "S01")
        packed_pickup(session, "W1-S01", [("SKU-1", 1), ("SKU-2", 1)], steps=("picking", "picked"))
    built = build_kit(qtbot, qapp, store_db, demo=True)
    qtbot.waitUntil(lambda: built.shell.page == "sign_in" and len(built.shell.sign_in.cards) == 3)
    qtbot.waitUntil(lambda: built.shell.main.prepared)
    sign_in(qtbot, built, "1001", "1234")
    yield built
    close_kit(built)


def tag_codes(path: Path) -> list[str]:
    """The bag codes printed on a tag PDF, page by page, as Qt's PDF reader finds the text."""
    doc = QPdfDocument()
    doc.load(str(path))
    try:
        pages = [doc.getAllText(page).text() for page in range(doc.pageCount())]
    finally:
        doc.close()
    return [code for text in pages for code in re.findall(r"BAG:\S+", text)]


def test_ready_for_pickup_on_the_pack_screen_stages_the_order_and_mails_the_qr_code(
    qtbot: QtBot, kit: Kit, tmp_path: Path
) -> None:
    kit.shell.main.rail.buttons["pack"].click()
    screen = kit.shell.main.screen("pack")
    assert isinstance(screen, PackScreen)
    qtbot.waitUntil(lambda: "W1-S01" in screen.list.tiles)
    qtbot.mouseClick(screen.list.tiles["W1-S01"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.sheet is not None)
    for sku in ("SKU-1", "SKU-2"):
        kit.shell.on_scan(BARCODES[sku], "enter")
    qtbot.waitUntil(lambda: screen.bench.finish_button.isEnabled())
    assert screen.bench.finish_button.text() == "Ready for pickup"
    assert screen.bench.bags_row.isVisible() and screen.bench.bags.value == 1  # one box suggested
    qtbot.mouseClick(screen.bench.bags.plus, Qt.MouseButton.LeftButton)  # it takes two bags
    assert screen.sheet is not None and screen.sheet.bag_count == 2
    qtbot.mouseClick(screen.bench.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(screen.saved))
    with ThreadPoolExecutor(1) as pool:  # read off the UI thread: the watchdog is on
        reading = pool.submit(tag_codes, screen.saved[0])
        qtbot.waitUntil(reading.done, timeout=10_000)
    tags = reading.result()
    assert tags == ["BAG:W1-S01:1/2", "BAG:W1-S01:2/2"]
    qtbot.mouseClick(screen.bench.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "on the pickup shelf" in screen.banner.text.text())
    screen.close_jobs()
    kit.shell.main.rail.buttons["pickup"].click()  # the order waits at the counter
    counter = kit.shell.main.screen("pickup")
    assert isinstance(counter, PickupScreen)
    qtbot.waitUntil(lambda: "W1-S01" in counter.search.tiles)
    assert "Shelf PICKUP" in counter.search.tiles["W1-S01"].text()

    # The e-mail is sent and read in a process of its own: a thread busy with Python (the QR, the
    # MIME parts) on a loaded machine would keep the UI thread waiting for the interpreter lock.
    mailer = subprocess.Popen(
        [sys.executable, "-c", MAILER, str(tmp_path / "store.db"), str(tmp_path / "mail"), *tags],
        stdout=subprocess.PIPE,
        text=True,
    )
    qtbot.waitUntil(lambda: mailer.poll() is not None, timeout=60_000)
    assert mailer.returncode == 0 and mailer.stdout is not None
    seen = json.loads(mailer.stdout.read())
    assert seen["sent"] == 1 and seen["pickup"] == ["ready", "PICKUP", 2]
    assert seen["subject"] == "Your order W1 is ready for pickup" and seen["to"] == "ava@example.com"
    assert seen["code_in_text"] and seen["images"] == ["image/png"]
    assert seen["image_is_the_payloads_qr"] and seen["html_shows_it"]
    assert seen["verified"] and seen["bags_scanned"] == [1, 2]  # the printed tags are what the counter takes
