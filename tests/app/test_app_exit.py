"""`oms app` ends cleanly when its window is closed: exit code 0, no traceback, no thread left.

A child process runs `app.store_app.run` offscreen and closes the window as soon as its first page
(sign-in, or setup on a store not yet enrolled) is up; with the hub mode the sync relay is running
by then, so the shutdown has to stop it too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.services.associates import add_demo_associates
from core.storage.database import Database

CHILD = """
import sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.store_app import run
from ui.shell import StoreShell

app = QApplication([sys.argv[0]])

def close_when_shown():
    shells = [w for w in app.topLevelWidgets() if isinstance(w, StoreShell)]
    if shells and shells[0].page in ("sign_in", "setup"):
        print("closing on", shells[0].page, flush=True)
        shells[0].close()
    else:
        QTimer.singleShot(20, close_when_shown)

QTimer.singleShot(0, close_when_shown)
code = run(sys.argv[1], demo=sys.argv[2] == "demo")
print("exited", code, "threads", len(threading.enumerate()), flush=True)
"""


@pytest.mark.parametrize(("mode", "page"), [("demo", "sign_in"), ("hub", "setup")])
def test_closing_the_window_ends_the_app_cleanly(tmp_path: Path, mode: str, page: str) -> None:
    db = Database.open(str(tmp_path / "store.db"))
    with db.transaction() as session:
        add_demo_associates(session)
    db.close()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "store.db"), mode],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"closing on {page}" in done.stdout
    assert "exited 0 threads 1" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
