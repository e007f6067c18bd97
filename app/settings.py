"""Where things live by default; every default can be overridden on the command line or by env."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "store-oms"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    """`OMS_DATABASE_URL` if set, else a SQLite file in the user's data folder."""
    return os.environ.get("OMS_DATABASE_URL") or f"sqlite:///{data_dir() / 'oms.db'}"


def rate_sheet_path() -> str | None:
    """`OMS_RATE_SHEET` names the retailer's carrier rate sheet (JSON or CSV); None means the sample sheet."""
    return os.environ.get("OMS_RATE_SHEET") or None


def box_list_path() -> Path | None:
    """`OMS_BOX_LIST` names the store's own box list (JSON like resources/boxes.json); None: the default."""
    value = os.environ.get("OMS_BOX_LIST")
    return Path(value) if value else None


def documents_dir() -> Path:
    """Where the store app saves label and packing-slip PDFs: `OMS_DOCUMENTS_DIR`, else the data folder."""
    value = os.environ.get("OMS_DOCUMENTS_DIR")
    return Path(value) if value else data_dir() / "documents"


def smtp_settings() -> dict[str, str] | None:
    """The store's mail relay from `OMS_SMTP_HOST` (and `OMS_SMTP_PORT`, `OMS_SMTP_FROM`,
    `OMS_SMTP_USER`, `OMS_SMTP_PASSWORD`, `OMS_SMTP_STARTTLS=1`); None: no relay, e-mails go to a folder."""
    host = os.environ.get("OMS_SMTP_HOST")
    if not host:
        return None
    names = ("PORT", "FROM", "USER", "PASSWORD", "STARTTLS")
    return {"host": host} | {
        n.lower(): os.environ[f"OMS_SMTP_{n}"] for n in names if f"OMS_SMTP_{n}" in os.environ
    }


def mail_dir() -> Path:
    """Where customer e-mails are written as .eml files without a relay (the demo): `OMS_MAIL_DIR`, else
    the data folder."""
    value = os.environ.get("OMS_MAIL_DIR")
    return Path(value) if value else data_dir() / "mail"
