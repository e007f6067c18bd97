"""Parts of a screen built after the part it shows first: on first use, or on a later turn.

Building widgets is the UI thread's slowest routine work (Pick's walk page, Pickup's detail
steps: 15-40 ms each on a tablet, several times that while another thread runs Python, since
every Qt call lets go of the interpreter lock). A screen therefore builds only what it shows on
opening, and names the rest in `build_later()`: the main window builds those one per turn of the
event loop (`MainWindow.screen`), so input and paints keep flowing between them. An attribute
declared `BuiltLater("_build_x")` is built by `_build_x` the first time it is read, whether or
not its turn has come, so the screen's code reads it as any other attribute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
Part = Callable[[], object]  # builds one part; reading a `BuiltLater` attribute is one
# A build waits this long, again and again, while work runs on other threads (operations, PDFs):
# both need the interpreter lock, and racing for it slows both.
BUSY_WAIT_MS = 15


class BuiltLater(Generic[T]):
    """An attribute set by the owner's method `builder` (which builds a group of them), called on first read."""

    def __init__(self, builder: str) -> None:
        self._builder = builder
        self._slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_later_{name}"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> BuiltLater[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        values = obj.__dict__
        if self._slot not in values:
            getattr(obj, self._builder)()
        return values[self._slot]

    def __set__(self, obj: object, value: T) -> None:
        obj.__dict__[self._slot] = value

    def built(self, obj: object) -> bool:
        """Has it been built on `obj` (without building it)?"""
        return self._slot in obj.__dict__
