"""The app's customer e-mails go through the SMTP relay the settings name, else into a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.pickup_timer import mail_sender
from core.domain.errors import ValidationError
from core.services.mail_senders import FolderSender, SmtpSender


def test_without_a_relay_the_mails_are_written_to_the_mail_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("OMS_SMTP_HOST", raising=False)
    monkeypatch.setenv("OMS_MAIL_DIR", str(tmp_path / "mail"))
    assert mail_sender() == FolderSender(tmp_path / "mail")


def test_the_relay_named_in_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "HOST": "smtp.northwind.example",
        "PORT": "587",
        "FROM": "Northwind S01 <s01@northwind.example>",
        "USER": "s01",
        "PASSWORD": "secret",
        "STARTTLS": "1",
    }.items():
        monkeypatch.setenv(f"OMS_SMTP_{name}", value)
    assert mail_sender() == SmtpSender(
        "smtp.northwind.example",
        587,
        "Northwind S01 <s01@northwind.example>",
        username="s01",
        password="secret",
        starttls=True,
    )


def test_a_port_that_is_not_a_number_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMS_SMTP_HOST", "smtp.northwind.example")
    monkeypatch.setenv("OMS_SMTP_PORT", "smtp")
    with pytest.raises(ValidationError, match="OMS_SMTP_PORT 'smtp' is not a port number"):
        mail_sender()
