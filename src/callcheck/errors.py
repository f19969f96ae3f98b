"""Errors that name what is wrong, for people to read."""

from __future__ import annotations

from .i18n import Msg


class CallcheckError(Exception):
    """Base of every error callcheck reports to a person (never a traceback)."""


class RubricError(CallcheckError):
    """A rubric file that cannot be used, with the file, item and field at fault."""

    def __init__(self, path: str, where: str, field: str, message: str) -> None:
        self.path = path
        self.where = where
        self.field = field
        self.message = message
        parts = [path]
        if where:
            parts.append(where)
        if field:
            parts.append(f"field {field!r}")
        super().__init__(f"{': '.join(parts)}: {message}")


class InputError(CallcheckError):
    """Observations that cannot be scored; `field` is a dotted path into the input."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class Refused(CallcheckError):
    """A mark or an answer that cannot be taken, with the reason in both languages."""

    def __init__(self, reason: Msg) -> None:
        self.reason = reason
        super().__init__(reason.en)
