"""The in-app inbox: a person lists, counts and marks their own notifications, rendered in their language.

A notification's message is a msgid with {placeholders} and its params are JSON (see monitor.messages.notify.add):
codes and plain values, never text made for one language. When shown or mailed, each param is made for the reader by
its name: "title" and "*_label" are msgids; "topic", "topics", "channel", "reason", "level" and "referred_to" hold
codes, named through monitor.messages.words; "*_cents" is money ("€ 40,00"); "*_month" ("2026-03") a month and
"*_date" and "day" ("2026-03-14") a day; "hours" and "average" are hours ("15,7"); other numbers are counts ("8",
not "8.0"). A message marked with Np_ takes the plural form for its first count. A param {"msgid": ...,
"params": {...}} (with "plural" and "n" for ngettext) is rendered the same way, recursively; a list of those becomes
one line each.
"""

from __future__ import annotations

import json
import logging
import re
import string
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func, select, update

from db.engine import reading, unit_of_work
from db.models import Notification
from monitor.errors import NotFound, PermissionDenied
from monitor.i18n import N_, format_date, gettext_for, ngettext_for, translate_count
from monitor.i18n.numbers import format_count, format_hours, format_money
from monitor.messages.words import CODE_LABELS
from monitor.people.access import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboxItem:
    id: int
    kind: str
    text: str  # translated into the reader's language
    link: str | None  # url_path of the page to open
    created_at: datetime
    read: bool


class _Missing(dict[str, Any]):
    """Leaves an unknown {placeholder} as it is instead of failing: a translation may name one the params lack."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


HOURS = ("hours", "average")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")  # a day already written out for a reader is left as it is


def _param(key: str, value: Any, language: str) -> Any:
    gettext = gettext_for(language)
    if isinstance(value, dict) and "msgid" in value:
        return render(value["msgid"], value.get("params") or {}, language, plural=value.get("plural"), n=value.get("n"))
    if key in CODE_LABELS and isinstance(value, str | list):
        names = CODE_LABELS[key]
        codes = value if isinstance(value, list) else [value]
        return ", ".join(gettext(names[c]) if c in names else str(c) for c in codes)
    if isinstance(value, list):
        return "\n".join(str(_param(key, item, language)) for item in value)
    if isinstance(value, str) and (key == "title" or key.endswith("_label")):
        return gettext(value)
    if key.endswith("_cents") and isinstance(value, int):
        return format_money(Decimal(value) / 100, language)
    if key.endswith("_month") and isinstance(value, str):
        return format_date(date.fromisoformat(f"{value[:7]}-01"), language, "MMMM yyyy")
    if (key == "day" or key.endswith("_date")) and isinstance(value, str) and _ISO_DAY.match(value):
        return format_date(date.fromisoformat(value[:10]), language, "d MMMM yyyy")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (format_hours if key in HOURS else format_count)(round(value, 1), language)
    return value


def _first_count(message: str, params: dict[str, Any]) -> float | None:
    """The value of the message's first placeholder that holds a number: the count its plural form follows."""
    for _literal, field, _spec, _conversion in string.Formatter().parse(message):
        value = params.get(field or "")
        if isinstance(value, int | float) and not isinstance(value, bool) and not (field or "").endswith("_cents"):
            return value
    return None


def render(message: str, params: dict[str, Any], language: str, plural: str | None = None, n: int | None = None) -> str:
    """The message in language, with its params filled in (see the module docstring)."""
    if plural is not None and n is not None:
        template = ngettext_for(language)(message, plural, n)
    else:
        template = translate_count(message, language, _first_count(message, params))
    values = _Missing({key: _param(key, value, language) for key, value in params.items()})
    try:
        return template.format_map(values)
    except (ValueError, IndexError, AttributeError):
        log.exception("cannot fill in the message %r with %r", template, params)
        return template


def _own(actor: Actor) -> int:
    if actor.person_id is None:
        raise PermissionDenied(N_("Only a person who is signed in has messages."))
    return actor.person_id


def list_notifications(engine: Engine, actor: Actor, limit: int = 50, unread_only: bool = False) -> list[InboxItem]:
    """The actor's own notifications, newest first."""
    person_id = _own(actor)
    query = select(Notification).where(Notification.person_id == person_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    query = query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    with reading(engine) as session:
        rows = session.scalars(query).all()
        return [
            InboxItem(
                id=row.id,
                kind=row.kind,
                text=render(row.message, json.loads(row.params or "{}"), actor.language),
                link=row.link,
                created_at=row.created_at,
                read=row.read_at is not None,
            )
            for row in rows
        ]


def unread_count(engine: Engine, actor: Actor) -> int:
    """How many of the actor's notifications are unread (served by ix_notifications_person_read)."""
    person_id = _own(actor)
    with reading(engine) as session:
        count = session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.person_id == person_id, Notification.read_at.is_(None))
        )
    return int(count or 0)


def mark_read(engine: Engine, actor: Actor, notification_id: int, now: datetime | None = None) -> None:
    """Mark one of the actor's own notifications as read; reading it again keeps the first time."""
    person_id = _own(actor)
    with unit_of_work(engine) as session:
        owner = session.scalar(select(Notification.person_id).where(Notification.id == notification_id))
        if owner is None:
            raise NotFound(N_("This message does not exist (any more)."))
        if owner != person_id:
            raise PermissionDenied(N_("This message is not yours."))
        session.execute(
            update(Notification)
            .where(Notification.id == notification_id, Notification.read_at.is_(None))
            .values(read_at=now or datetime.now(UTC))
        )


def mark_all_read(engine: Engine, actor: Actor, now: datetime | None = None) -> int:
    """Mark all the actor's unread notifications as read; returns how many."""
    person_id = _own(actor)
    with unit_of_work(engine) as session:
        result = session.execute(
            update(Notification)
            .where(Notification.person_id == person_id, Notification.read_at.is_(None))
            .values(read_at=now or datetime.now(UTC))
        )
        return int(result.rowcount or 0)
