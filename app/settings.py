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
