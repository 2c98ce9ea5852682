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
        """The message in gettext's language; a message marked with Np_ takes the plural form for its first count."""
        catalog = getattr(gettext, "__self__", None)
        count = next((v for v in self.params.values() if isinstance(v, int | float) and not isinstance(v, bool)), None)
        if count is not None and catalog is not None and (self.message, 0) in getattr(catalog, "_catalog", {}):
            whole = int(count) if float(count).is_integer() else 2
            return catalog.ngettext(self.message, self.message, whole).format(**self.params)
        return gettext(self.message).format(**self.params)


class ValidationError(UserError):
    """Input that cannot be used; nothing was changed."""


class PermissionDenied(UserError):
    """The person asking may not do this."""


class NotFound(UserError):
    """The thing asked for does not exist (or is not visible to the person asking)."""


class DatabaseUnavailable(Exception):
    """The database cannot be reached or does not accept writes; the message is one line for an operator."""


def database_failure(error: BaseException) -> str | None:
    """One line saying why the database is away, when error means that (unreachable, read-only, locked), else None."""
    from sqlalchemy.exc import DBAPIError  # the shared kernel reads SQLAlchemy's errors only here

    if isinstance(error, DatabaseUnavailable):
        return str(error)
    if not isinstance(error, DBAPIError) or not _is_connection_problem(error):
        return None
    first = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error.orig).__name__
    reason = first.rsplit("failed: ", 1)[-1].strip()  # psycopg: 'connection to server at "h", port p failed: why'
    return (reason[:1].lower() + reason[1:])[:300]


# PostgreSQL's SQLSTATE classes and codes that mean the database is away or refuses changes, whatever the statement:
# 08 connection exception, 53 insufficient resources (disk full), 57P operator intervention (shutting down, cannot
# connect now), and 25006 read_only_sql_transaction (default_transaction_read_only, a hot standby), which psycopg
# raises as an InternalError rather than an OperationalError.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P", "25006")


def is_read_only(reason: str) -> bool:
    """Whether a reason from database_failure says the database refuses changes (rather than being out of reach)."""
    text = reason.lower()
    return any(part in text for part in ("readonly", "read-only", "read only"))


def _is_connection_problem(error: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    sqlstate = getattr(getattr(error, "orig", None), "sqlstate", None)
    if isinstance(error, DBAPIError) and isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
        return True
    if isinstance(error, OperationalError | InterfaceError):
        text = str(getattr(error, "orig", error)).lower()
        return any(
            part in text
            for part in (
                "connect",
                "refused",
                "readonly",
                "read-only",
                "read only",
                "unable to open",
                "database is locked",
                "disk i/o",
                "server closed",
                "terminating connection",
                "no such host",
                "timeout",
                "could not translate host",
            )
        )
    return False


def describe_failure(error: BaseException) -> str:
    """One line about any failure, for a log: the database's own reason when it is away, else the error's text."""
    reason = database_failure(error)
    if reason is not None:
        return f"database unavailable: {reason}"
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}"[:300]
