"""Roles are enforced by the services; the UI only follows: an associate never reaches Routing."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.domain.associates import Role
from core.domain.errors import PermissionDeniedError
from core.services.associates import (
    actor_of,
    create_associate,
    require_role,
    set_active,
    unlock_associate,
)
from core.services.orders import Actor
from tests.ui.kit import Kit, sign_in


def test_an_associate_does_not_see_routing_and_cannot_open_it(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "1001", "1234")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    main = kit.shell.main
    assert not main.rail.buttons["routing"].isVisible()
    assert main.rail.buttons["pack"].isVisible()

    main.open_screen("routing")  # as a stale button or a shortcut would
    qtbot.waitUntil(lambda: main.notice.isVisible())
    assert main.current == "pick"
    assert "only a manager" in main.notice.text()
    assert main.rail.buttons["pick"].isChecked()


def test_a_manager_opens_routing(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "9001", "9876")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    main = kit.shell.main
    assert main.rail.buttons["routing"].isVisible()
    main.rail.buttons["routing"].click()
    qtbot.waitUntil(lambda: main.current == "routing")
    assert not main.notice.isVisible()


def test_the_manager_only_service_refuses_an_associate_called_directly(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "1001", "1234")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    amy = actor_of(kit.shell.person)
    errors: list[BaseException] = []
    kit.store.ops.run(lambda s: unlock_associate(s, "1002", by=amy), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], PermissionDeniedError)
    with kit.db.transaction() as session, pytest.raises(PermissionDeniedError):
        require_role(session, amy, Role.MANAGER)


def test_a_deactivated_manager_loses_rights_at_once(qtbot: QtBot, kit: Kit) -> None:
    sign_in(qtbot, kit, "9001", "9876")
    qtbot.waitUntil(lambda: kit.shell.page == "main")
    morgan = actor_of(kit.shell.person)

    def second_manager_deactivates_morgan(session: Session) -> None:  # test set-up, off the UI thread
        create_associate(session, "9002", "Riley Chen", Role.MANAGER, "5555", by=morgan)
        set_active(session, "9001", False, by=Actor(user="9002"))

    done: list[object] = []
    kit.store.ops.run(second_manager_deactivates_morgan, done.append)
    qtbot.waitUntil(lambda: bool(done))
    kit.shell.main.open_screen("routing")
    qtbot.waitUntil(lambda: kit.shell.main.notice.isVisible())
    assert "not an active associate" in kit.shell.main.notice.text()
    assert kit.shell.main.current == "pick"
