"""Scanner self-test: scan one known code, and the app says what, if anything, to fix.

Most wedge-scanner trouble in stores is set-up, not hardware: the suffix (Tab instead of Enter, or
none), Caps Lock, and a keyboard-layout mismatch, where the scanner "presses" US key positions and
a French AZERTY tablet turns the digits into & é " ' ( - è _ ç à. Each has a known signature on
the test code, so the answer can name the fix instead of "it doesn't work".
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ui.code39 import Code39Widget
from ui.scan_panel import GLYPHS, ScanAnswer, ScanBanner
from ui.sounds import ScanSounds

TEST_CODE = "SCAN1234567890"  # letters for Caps Lock, A for A/Q swaps, every digit for the layout
# What a US-QWERTY scanner's keys become on a French AZERTY tablet, and the reverse.
US_KEYS_ON_AZERTY = str.maketrans("1234567890AQWZ", "&é\"'(-è_çàQAZW")
AZERTY_KEYS_ON_US = str.maketrans("1234567890AQWZ", "!@#$%^&*()QAZW")


@dataclass(frozen=True, slots=True)
class Finding:
    outcome: str  # ok, warn or error
    text: str


def diagnose(received: str, suffix: str | None, expected: str = TEST_CODE) -> list[Finding]:
    """What the scanned test code says about the set-up; `suffix` None means none arrived."""
    findings = []
    if suffix == "enter":
        findings.append(Finding("ok", "Suffix: Enter after each code. Good."))
    elif suffix == "tab":
        findings.append(
            Finding(
                "warn",
                "Suffix: Tab. This app accepts it, but other apps expect Enter: program the "
                "scanner's suffix to CR (Enter) with the code in its manual.",
            )
        )
    else:
        findings.append(
            Finding(
                "error",
                "No suffix: the scanner sends nothing after the code, so scans cannot be told "
                "apart from typing. Program its suffix to CR (Enter).",
            )
        )
    if received == expected:
        findings.append(Finding("ok", f"Code read correctly: {received}. Keyboard layout matches."))
    elif received == expected.translate(US_KEYS_ON_AZERTY):
        findings.append(
            Finding(
                "error",
                f"Keyboard layout: digits arrive as symbols ({received}). The scanner types as a US "
                "keyboard but the tablet is set to French AZERTY. Set the scanner's keyboard "
                "country to French, or switch the tablet's keyboard to US.",
            )
        )
    elif received == expected.translate(AZERTY_KEYS_ON_US):
        findings.append(
            Finding(
                "error",
                f"Keyboard layout: digits arrive as symbols ({received}). The scanner types as a "
                "French AZERTY keyboard but the tablet is set to US. Set the scanner's keyboard "
                "country to US (or 'universal').",
            )
        )
    elif received.swapcase() == expected:
        findings.append(
            Finding(
                "error",
                f"Letters arrive in the wrong case ({received}): Caps Lock is on. Turn it off on "
                "the tablet's keyboard, or set the scanner to ignore Caps Lock.",
            )
        )
    else:
        findings.append(
            Finding(
                "error",
                f"Read {received!r}, expected {expected}. Scan the test barcode on this screen; "
                "if it still differs, reset the scanner to factory defaults.",
            )
        )
    return findings


def summary(findings: list[Finding]) -> ScanAnswer:
    worst = "error" if any(f.outcome == "error" for f in findings) else "ok"
    if worst == "ok" and any(f.outcome == "warn" for f in findings):
        worst = "warn"
    text = {
        "ok": "Scanner ready: nothing to fix.",
        "warn": "Scanner works; one setting to change (below).",
        "error": "Scanner needs fixing (below).",
    }[worst]
    return ScanAnswer(worst, text)


class ScannerSelfTest(QFrame):
    """The self-test panel: the test code, and one line per finding after a scan."""

    def __init__(self, sounds: ScanSounds | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        title = QLabel("Scanner self-test")
        title.setProperty("kind", "subtitle")
        intro = QLabel(
            "Scan this barcode with the store's scanner (or the printed test sheet with the same "
            "code). The app checks the suffix and the keyboard layout and says what to fix."
        )
        intro.setWordWrap(True)
        intro.setProperty("kind", "hint")
        code = QLabel(TEST_CODE)
        code.setProperty("kind", "code")
        self.banner = ScanBanner(sounds)
        self.banner.text.setText("Waiting for the test scan.")
        self.findings_box = QVBoxLayout()
        self.findings: list[Finding] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        for widget in (title, intro, Code39Widget(TEST_CODE), code, self.banner):
            layout.addWidget(widget)
        layout.addLayout(self.findings_box)

    def take_scan(self, code: str, suffix: str | None) -> ScanAnswer:
        """Diagnose one scan (or a suffix-less burst) and show the findings."""
        self.findings = diagnose(code, suffix)
        while self.findings_box.count():
            item = self.findings_box.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for finding in self.findings:
            label = QLabel(f"{GLYPHS[finding.outcome]}  {finding.text}")
            label.setWordWrap(True)
            label.setProperty("kind", {"error": "error", "warn": "warn"}.get(finding.outcome, ""))
            self.findings_box.addWidget(label)
        answer = summary(self.findings)
        self.banner.show_answer(answer)
        return answer
