"""`oms hub --push-slots`: the number reaches the hub app; a bad one is a usage error (exit 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn

from app.cli.main import main


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The app `oms hub` would serve, kept instead of serving it (the server loop never returns)."""
    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_options: apps.append(app))
    return apps


@pytest.mark.parametrize(("given", "slots"), [([], 1), (["--push-slots", "2"], 2)])
def test_the_push_slots_reach_the_hub(
    served: list[Any], tmp_path: Path, given: list[str], slots: int
) -> None:
    assert main(["hub", "--db", str(tmp_path / "hub.db"), *given]) == 0
    [app] = served
    assert app.state.hub.push_gate.slots == slots


@pytest.mark.parametrize(
    ("value", "said"), [("0", "give 1 to 16, not 0"), ("two", "'two' is not a whole number")]
)
def test_a_bad_number_of_slots_is_a_usage_error(
    served: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, said: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["hub", "--db", str(tmp_path / "hub.db"), "--push-slots", value])
    assert exit_.value.code == 2 and served == []
    assert f"argument --push-slots: {said}" in capsys.readouterr().err
