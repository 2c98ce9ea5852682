"""The kinds of value config.toml holds, each a pydantic type with its bounds and its own plain wording of what is
wrong ("must be a whole number from 1 to 10080, got 'soon'"), so that every error names the key and says what to write.

Bounds are pydantic's (Field ge/le, strict types, no nan or inf); plainly() only rewords pydantic's error.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Callable, Iterable
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    HttpUrl,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    WrapValidator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class ConfigError(Exception):
    """The configuration cannot be used; the message (one line) names the key and what is wrong."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key} {problem}")
        self.source = source
        self.key = key
        self.problem = problem


def shown(value: Any) -> str:
    """A value as written, cut short: an error is one line."""
    written = repr(value)
    return written if len(written) <= 60 else written[:57] + "..."


def refusal(problem: str, at: str | None = None) -> PydanticCustomError:
    """An error in plain words; at names the dotted key when the check is not the key's own (values that check each
    other), else the key is where pydantic found the value."""
    return PydanticCustomError("config", "{problem}", {"problem": problem, **({"at": at} if at else {})})


def plainly(problem: str, parts_too: bool = True) -> WrapValidator:
    """Reword any error of the value as 'problem, got <value>'. parts_too=False leaves an error about a part of the
    value (a window in a list, a weekday in a table) to that part's own wording."""

    def reword(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError as error:
            if not parts_too and any(detail["loc"] for detail in error.errors()):
                raise
            if all(detail["type"] == "config" and not detail["loc"] for detail in error.errors()):
                raise  # already in plain words
            raise refusal(f"{problem}, got {shown(value)}") from None

    return WrapValidator(reword)


def whole(low: int, high: int, problem: str | None = None) -> Any:
    """A whole number from low to high (not true/false, not "3", not 1.5)."""
    return Annotated[
        int, Field(strict=True, ge=low, le=high), plainly(problem or f"must be a whole number from {low} to {high}")
    ]


def hour() -> Any:
    return whole(0, 23, "must be an hour from 0 to 23")


def number(high: float, zero_allowed: bool = False) -> Any:
    """A number from 0 (or more than zero) to high; a whole number is a number too; never nan or inf."""

    def reword(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError:
            if value == 0 and not isinstance(value, bool):
                raise refusal("must be more than zero") from None
            raise refusal(f"must be a number from 0 to {high:g}, got {shown(value)}") from None

    bound = (
        Field(strict=True, ge=0, le=high, allow_inf_nan=False)
        if zero_allowed
        else Field(strict=True, gt=0, le=high, allow_inf_nan=False)
    )
    return Annotated[float, bound, WrapValidator(reword)]


def _no_flag(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("true or false is not an amount")
    return value


def money(high: int) -> Any:
    """An amount in euros of zero up to high, with at most two decimals, written as a number (5.50) or a text."""
    return Annotated[
        Decimal,
        BeforeValidator(_no_flag),
        Field(ge=0, le=high, decimal_places=2, allow_inf_nan=False),
        plainly(f"must be an amount in euros of zero or more with at most two decimals, up to {high}"),
    ]


def _filled(value: str) -> str:
    if not value.strip():
        raise ValueError("empty")
    return value


def text(longest: int = 200) -> Any:
    """A text that is not empty."""
    return Annotated[
        str, Field(strict=True, max_length=longest), AfterValidator(_filled), plainly("must be a non-empty text")
    ]


Flag = Annotated[bool, Field(strict=True), plainly("must be true or false")]


def nearest(name: object, names: Iterable[str]) -> str | None:
    """The known name closest to a misspelt one (difflib), if any is close."""
    found = difflib.get_close_matches(str(name), list(names), n=1, cutoff=0.6)
    return found[0] if found else None


def one_of(options: tuple[str, ...], what: str) -> Any:
    """One of options (a weekday, a rule, a language); the error suggests the nearest and lists them all."""

    def check(value: Any) -> str:
        if isinstance(value, str) and value in options:
            return value
        close = nearest(value, options) if isinstance(value, str) else None
        hint = f"did you mean {close}? " if close else ""
        raise refusal(f"is {shown(value)}, which is not {what}; {hint}use one of {', '.join(options)}")

    return Annotated[str, PlainValidator(check)]


def choices(options: tuple[str, ...], what: str, most: int | None = None) -> Any:
    """A non-empty list of options, each at most once in meaning."""
    return Annotated[
        tuple[one_of(options, what), ...],
        Field(min_length=1, max_length=most or len(options)),
        plainly(f"must be a non-empty list from {', '.join(options)}"),
    ]


# --- time zones, windows, addresses ----------------------------------------------------------------------------


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "Europe"
        raise refusal(f"is {shown(name)}, which is not a known time zone; write one like Europe/Amsterdam") from None
    return name


TimeZone = Annotated[text(64), AfterValidator(_zone)]

_WINDOW = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def window(value: Any) -> tuple[time, time]:
    """A time window "HH:MM-HH:MM" within one day; "24:00" is the end of the day."""
    match = _WINDOW.match(value) if isinstance(value, str) else None
    if not match:
        raise refusal(f'has {shown(value)}; write a window as "HH:MM-HH:MM", e.g. "09:00-17:00"')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2 != 0):
        raise refusal(f"has {shown(value)}, which is not a time of day")
    start = time(h1, m1)
    end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    if end <= start:
        raise refusal(f"has {shown(value)}, which ends before it starts")
    return start, end


Windows = Annotated[
    tuple[Annotated[tuple[time, time], PlainValidator(window)], ...],
    Field(max_length=24),
    plainly('must be a list of at most 24 windows like ["09:00-17:00"]', parts_too=False),
]


def _network(value: Any) -> str:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise refusal(f"holds {shown(value)}, which is not an address or network") from None
    return value


Proxies = Annotated[
    tuple[Annotated[str, PlainValidator(_network)], ...],
    Field(max_length=100),
    plainly("must be a list of at most 100 addresses or networks", parts_too=False),
]


def _secure_cookies(value: Any) -> Any:
    if isinstance(value, bool):
        return "always" if value else "never"
    if value in ("auto", "always", "never"):
        return value
    raise refusal(f'must be "auto", true or false, got {shown(value)}')


SecureCookies = Annotated[str, PlainValidator(_secure_cookies)]


_HTTP_URL = TypeAdapter(HttpUrl)


def _web_address(value: str) -> str:
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError:
        raise refusal(
            f"must be an http:// or https:// address like https://monitor.example.org, got {shown(value)}"
        ) from None
    return value


WebAddress = Annotated[text(2000), AfterValidator(_web_address)]


# --- the database -------------------------------------------------------------------------------------------------

# SQLite, and PostgreSQL through psycopg (3): the drivers the monitor installs; postgresql:// alone would ask
# SQLAlchemy for psycopg2, so it is read as postgresql+psycopg://.
DRIVERS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


def database_url(value: str) -> str:
    """A SQLite or PostgreSQL URL; a relative SQLite path is taken from the project's folder, not from wherever the
    command was started. The error names the kind of URL, never the URL itself (it may hold a password)."""
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if not scheme:
        raise refusal(f"must be a database URL like sqlite:///data/monitor.db, got {shown(value)}")
    if scheme == "postgres":
        raise refusal("starts with postgres://, which SQLAlchemy does not read; write postgresql:// instead")
    if scheme not in DRIVERS:
        raise refusal(
            f"is a {scheme}:// URL; the monitor runs on SQLite (sqlite:///data/monitor.db) or PostgreSQL "
            "(postgresql://user:password@host/database) only"
        )
    try:
        make_url(value)
    except (ArgumentError, ValueError):
        raise refusal(
            f"is not a {scheme}:// URL SQLAlchemy can read; write one like postgresql://user@host/db"
        ) from None
    value = DRIVERS[scheme] + value[len(scheme) :]
    prefix = "sqlite:///"
    if value.startswith(prefix) and not value.startswith((prefix + "/", prefix + "file:")) and ":memory:" not in value:
        return prefix + str(PROJECT_ROOT / value[len(prefix) :])
    return value


DatabaseUrl = Annotated[text(2000), AfterValidator(database_url)]


# --- files and folders --------------------------------------------------------------------------------------------


def in_project(value: str) -> Path:
    """A path as written in config.toml: a relative one is read from the project's folder and may not leave it (no
    ../ out of it, no link pointing out of it); one written out in full from / is meant, and taken as it is."""
    path = Path(value)
    if path.is_absolute():
        return path
    root = PROJECT_ROOT.resolve()
    resolved = (root / path).resolve()
    if not resolved.is_relative_to(root):
        raise refusal(
            f"is {shown(value)}, which leads out of the project's folder; give a path inside it, or the full path "
            "(from /) if you mean a place elsewhere"
        )
    return resolved


def _folder(value: str) -> str:
    return str(in_project(value))


def _statements_file(value: str) -> str:
    if not value:
        return ""
    path = in_project(value)
    if path.suffix != ".toml":
        raise refusal(f'is {shown(value)}, which is not a .toml file; name the statements file, or "" for none')
    if not path.is_file():
        raise refusal(f"is {shown(value)}, which is not a file")
    return str(path)


Folder = Annotated[text(1000), AfterValidator(_folder)]
StatementsFile = Annotated[
    str,
    Field(strict=True, max_length=1000),
    plainly('must be a file name in quotes, or "" for none', parts_too=False),
    AfterValidator(_statements_file),
]
