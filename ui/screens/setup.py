"""First run: connect this tablet's store to the hub with the address and a one-time code.

Enrolment is network work, so it runs as a task on the asyncio loop (qasync), never on the UI
thread and never on the database thread; the screen stays responsive and shows progress. The
`enroll` call is injected by the composition root (the sync client's enrolment), so this screen
knows nothing of HTTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.ops import person_message
from ui.touch import touch_size

Enroll = Callable[[str, str], Awaitable[str]]


class SetupScreen(QWidget):
    """Hub address + enrolment code → `enrolled(store name)`."""

    enrolled = Signal(str)

    def __init__(self, enroll: Enroll, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._enroll = enroll
        self.task: asyncio.Task[None] | None = None

        title = QLabel("Set up this tablet")
        title.setProperty("kind", "title")
        intro = QLabel(
            "Connect this tablet to your company's hub once. Your manager has the hub address and a "
            "one-time enrolment code for this store (from the hub's admin page)."
        )
        intro.setWordWrap(True)
        intro.setProperty("kind", "hint")
        self.hub = QLineEdit()
        self.hub.setPlaceholderText("https://hub.example.com")
        self.hub.setInputMethodHints(Qt.InputMethodHint.ImhUrlCharactersOnly)
        self.code = QLineEdit()
        self.code.setPlaceholderText("e.g. 7KQ4-M2XD")
        self.code.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase)
        self.code.returnPressed.connect(self.submit)
        self.connect_button = touch_size(QPushButton("Connect store"), width=220)
        self.connect_button.setProperty("kind", "primary")
        self.connect_button.clicked.connect(self.submit)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setProperty("kind", "error")

        form = QFormLayout()
        form.setSpacing(14)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Hub address", self.hub)
        form.addRow("Enrolment code", self.code)

        card = QFrame()
        card.setObjectName("Card")
        card.setFixedWidth(760)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(16)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addLayout(form)
        inner.addSpacing(4)
        inner.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignRight)
        inner.addWidget(self.message)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def _problem(self, hub: str, code: str) -> str:
        if not hub.startswith(("http://", "https://")) or len(hub) < 10:
            return "The hub address starts with https:// (for example https://hub.example.com)."
        if not code:
            return "Type the enrolment code your manager gave you."
        return ""

    def submit(self) -> None:
        if self.task is not None and not self.task.done():
            return
        hub, code = self.hub.text().strip().rstrip("/"), self.code.text().strip()
        problem = self._problem(hub, code)
        self.message.setText(problem)
        if problem:
            return
        self.connect_button.setEnabled(False)
        self.connect_button.setText("Connecting…")
        self.task = asyncio.ensure_future(self._run(hub, code))

    async def _run(self, hub: str, code: str) -> None:
        try:
            store = await self._enroll(hub, code)
        except Exception as exc:  # shown in the window; nothing was stored
            self.message.setText(f"Not connected: {person_message(exc)}")
        else:
            self.message.setText("")
            self.enrolled.emit(store)
        finally:
            self.connect_button.setEnabled(True)
            self.connect_button.setText("Connect store")
