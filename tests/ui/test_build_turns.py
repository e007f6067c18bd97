"""Building widgets without the input filters, and parts of a screen built after the rest."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from ui import app_filters
from ui.later import BuiltLater

USER = QEvent.Type.User


class Recorder(QObject):
    def __init__(self, name: str, seen: list[str]) -> None:
        super().__init__()
        self.name, self.seen = name, seen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == USER:
            self.seen.append(self.name)
        return False


def test_input_filters_are_off_during_a_build_and_back_in_their_order_after(qapp: QApplication) -> None:
    seen: list[str] = []
    first, second, target = Recorder("first", seen), Recorder("second", seen), QObject()
    app_filters.install(qapp, first)
    app_filters.install(qapp, second)
    try:
        with app_filters.lifted():
            QApplication.sendEvent(target, QEvent(USER))
            with app_filters.lifted():  # nested: only the outer block puts them back
                pass
            QApplication.sendEvent(target, QEvent(USER))
        assert seen == []
        QApplication.sendEvent(target, QEvent(USER))
        assert seen == ["second", "first"]  # the last installed is asked first, as before
    finally:
        app_filters.remove(qapp, first)
        app_filters.remove(qapp, second)


def test_a_filter_removed_during_a_build_stays_off(qapp: QApplication) -> None:
    seen: list[str] = []
    watcher, target = Recorder("watcher", seen), QObject()
    app_filters.install(qapp, watcher)
    with app_filters.lifted():
        app_filters.remove(qapp, watcher)
    QApplication.sendEvent(target, QEvent(USER))
    assert seen == []


class Owner:
    page: BuiltLater[list[str]] = BuiltLater("_build_page")
    title: BuiltLater[str] = BuiltLater("_build_page")

    def __init__(self) -> None:
        self.builds = 0

    def _build_page(self) -> None:
        self.builds += 1
        self.page = ["built"]
        self.title = "Page"


def test_an_attribute_built_later_is_built_once_by_its_first_reading() -> None:
    owner = Owner()
    assert not Owner.page.built(owner)
    assert owner.title == "Page"
    assert owner.page == ["built"]
    assert Owner.page.built(owner)
    assert owner.builds == 1
