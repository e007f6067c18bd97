"""The application-wide input filters (scanner, idle watch), taken off while the UI thread builds.

A filter on the QApplication sees every event of every object, and one written in Python costs
10-20 µs an event, whatever it does with it. Building a screen sends thousands of events (child
added, polish, font, palette and style changes: about 2,000 for Pick, 3,000 for Pickup), none of
them input, so the two filters made building a screen two to three times as slow (Pick: about
100 ms instead of 35). No input can reach a filter while a build runs: the build is one
synchronous call on the UI thread, and input is delivered only between turns of the event loop.
So `lifted()` takes the filters off for the build and puts them back, in their order, after it.

Filters installed through `install` are known here; Qt keeps no list we could read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject

_installed: list[QObject] = []  # in the order they were installed (Qt asks the last one first)
_lifted_depth = 0


def install(app: QCoreApplication, event_filter: QObject) -> None:
    """`app.installEventFilter(event_filter)`, remembered so that `lifted` can take it off."""
    remove(app, event_filter)
    app.installEventFilter(event_filter)
    _installed.append(event_filter)


def remove(app: QCoreApplication, event_filter: QObject) -> None:
    app.removeEventFilter(event_filter)
    if event_filter in _installed:
        _installed.remove(event_filter)


def _alive() -> list[QObject]:
    """The filters still installed (Qt drops a deleted filter by itself; so do we)."""
    _installed[:] = [f for f in _installed if shiboken6.isValid(f)]
    return list(_installed)


@contextmanager
def lifted() -> Iterator[None]:
    """No application-wide input filter during the block; nested blocks lift and restore once."""
    global _lifted_depth
    app = QCoreApplication.instance()
    outermost = _lifted_depth == 0 and app is not None
    if outermost:
        for event_filter in _alive():
            app.removeEventFilter(event_filter)
    _lifted_depth += 1
    try:
        yield
    finally:
        _lifted_depth -= 1
        if outermost:
            # Back in the order of installation; one removed (`remove`) during the block stays off.
            back = _alive()
            for event_filter in back:
                app.removeEventFilter(event_filter)  # one installed during the block: not twice
            for event_filter in back:
                app.installEventFilter(event_filter)
