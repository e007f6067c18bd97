"""Errors that reach people: each says what was wrong and where, so a caller can show it as is.

Every layer (command line, hub, tablet app) maps `OmsError` to its own surface (exit code 2,
problem+json 4xx, an in-window message) instead of a traceback.
"""

from __future__ import annotations


class OmsError(Exception):
    """Bad input or a refused operation; the message is meant for a person."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ValidationError(OmsError):
    """A value is malformed or out of range."""


class NotFoundError(OmsError):
    """A referenced location, product, order or fulfilment does not exist."""


class InsufficientStockError(OmsError):
    """A movement or reservation would take stock below what the location allows."""


class IllegalTransitionError(OmsError):
    """A state machine refused a transition."""


class ConflictError(OmsError):
    """The same identifier arrived again with different content."""


class ImportFileError(OmsError):
    """A CSV file had errors; nothing from it was imported."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s), nothing imported:\n" + "\n".join(problems))
        self.problems = problems


class PermissionDeniedError(OmsError):
    """The person acting does not hold the role the operation needs (checked in the services)."""
