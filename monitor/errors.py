"""Errors a person can cause or meet, carrying a translatable message and its parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class UserError(Exception):
    """An error shown to the person: message is an untranslated msgid with {placeholders}."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    def render(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.message).format(**self.params)


class ValidationError(UserError):
    """Input that cannot be used; nothing was changed."""


class PermissionDenied(UserError):
    """The person asking may not do this."""


class NotFound(UserError):
    """The thing asked for does not exist (or is not visible to the person asking)."""
