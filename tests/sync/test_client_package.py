"""`sync.client` loads its names on first use, so the UI's `sync.client.status` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sync.client


def test_every_public_name_resolves_to_its_module() -> None:
    for name in sync.client.__all__:
        value = getattr(sync.client, name)
        assert value.__name__ == name and value.__module__.startswith("sync.client.")
    with pytest.raises(AttributeError):
        _ = sync.client.Nothing  # type: ignore[attr-defined]


def test_the_status_type_comes_without_http_or_the_protocol() -> None:
    probe = "import sys, sync.client.status; print(sorted({'httpx', 'pydantic'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
