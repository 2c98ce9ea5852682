"""What the quick-log's phone sends for one request, read and checked at the edge before the service sees it.

The body is small JSON made by monitor/web/quicklog_static/quicklog.js: the id the phone gave the request when Save
was tapped, whose it is, the tapped moment, and the choices of the form. Anything else (another shape, an unknown
field, a type that does not fit) is refused here, so that log_request only ever sees a RequestInput; the service then
checks what it always checks (the choices, how long ago, who may log for whom).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from monitor.errors import ValidationError
from monitor.i18n import N_
from monitor.requests.log import RequestInput
from monitor.requests.vocab import TOPICS

# A request is a few hundred bytes; the limit leaves room and keeps a flood of junk cheap to refuse.
MAX_BODY = 16 * 1024
UNREADABLE = N_("The request could not be read. Open the page again and save it once more.")
_FIELDS = {"id", "person", "tapped_at", "earlier", "channel", "topics", "minutes", "beyond_role"}


@dataclass(frozen=True)
class QuickEntry:
    """One request as the phone sent it: its id (a UUID), whose it is, when Save was tapped, and what was chosen."""

    client_id: str
    person_id: int
    tapped_at: datetime
    data: RequestInput


def _moment(value: Any) -> datetime:
    """An ISO 8601 moment with its offset (the phone sends UTC, "2026-12-07T20:15:03.120Z"), as aware UTC."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValidationError(UNREADABLE)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(UNREADABLE) from None
    if moment.tzinfo is None:
        raise ValidationError(N_("The time has no time zone."))
    return moment.astimezone(UTC)


def _client_id(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 36:
        raise ValidationError(UNREADABLE)
    try:
        return str(uuid.UUID(value))  # lower case, with hyphens: one spelling per id
    except ValueError:
        raise ValidationError(UNREADABLE) from None


def parse(raw: bytes) -> QuickEntry:
    """The entry in raw, or ValidationError(UNREADABLE) when it is not one; the choices themselves are the service's
    to judge (an unknown channel gets the form's own message), only their types are checked here."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ValidationError(UNREADABLE) from None
    if not isinstance(body, dict) or not set(body) <= _FIELDS or not {"id", "person", "tapped_at"} <= set(body):
        raise ValidationError(UNREADABLE)
    person, minutes, topics = body["person"], body.get("minutes"), body.get("topics")
    channel, beyond = body.get("channel"), body.get("beyond_role", False)
    if type(person) is not int or not isinstance(beyond, bool):
        raise ValidationError(UNREADABLE)
    if type(minutes) is not int or not isinstance(channel, str) or len(channel) > 40:
        raise ValidationError(UNREADABLE)
    if not isinstance(topics, list) or len(topics) > len(TOPICS):
        raise ValidationError(UNREADABLE)
    if not all(isinstance(topic, str) and len(topic) <= 40 for topic in topics):
        raise ValidationError(UNREADABLE)
    tapped_at = _moment(body["tapped_at"])
    earlier = body.get("earlier")
    received_at = tapped_at if earlier is None else _moment(earlier)
    data = RequestInput(
        minutes=minutes,
        channel=channel,
        topics=tuple(topics),
        received_at=received_at,
        beyond_role=beyond,
    )
    return QuickEntry(_client_id(body["id"]), person, tapped_at, data)
