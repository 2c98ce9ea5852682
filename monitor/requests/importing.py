"""Importing older logs from CSV or Excel: every row is checked first, and nothing is saved unless all rows are good."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from db.engine import unit_of_work
from db.models import HelpRequest, Person, Role
from monitor.config import Settings
from monitor.errors import ValidationError
from monitor.i18n import N_
from monitor.people.access import Actor
from monitor.requests.agreements import versions_of
from monitor.requests.log import Problem, RequestInput, add_in_session, coproducer_team, problems
from monitor.requests.tables import Cell, is_blank, read_table

TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y %H:%M")
YES = {"yes", "y", "true", "1", "ja", "j", "waar"}
NO = {"no", "n", "false", "0", "nee", "onwaar", ""}


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number as a spreadsheet shows it: the header is row 1
    column: str
    error: ValidationError


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    skipped_duplicates: int = 0
    dry_run: bool = False
    problems: list[RowProblem] = field(default_factory=list)
    file_error: ValidationError | None = None

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.problems


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def local_time(value: Cell, tz: ZoneInfo) -> datetime:
    """A local wall-clock time from the file, as an aware datetime; refuses times the clock change skipped."""
    if isinstance(value, datetime):
        naive = value.replace(tzinfo=None)
    else:
        text = _text(value)
        for fmt in TIME_FORMATS:
            try:
                naive = datetime.strptime(text, fmt)  # noqa: DTZ007 - local time, zone attached below
                break
            except ValueError:
                continue
        else:
            raise ValidationError(N_("'{value}' is not a date and time. Write it as 2026-03-14 21:30."), value=text)
    aware = naive.replace(tzinfo=tz)
    try:
        round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    except (OverflowError, ValueError):  # e.g. 0001-01-01 00:00: before year 1 in UTC
        raise ValidationError(
            N_("{value} is too long ago or too far ahead. Check the date."), value=naive.strftime("%Y-%m-%d %H:%M")
        ) from None
    if round_trip != naive:
        raise ValidationError(
            N_("{value} does not exist: the clocks were put forward that night. Check the time."),
            value=naive.strftime("%Y-%m-%d %H:%M"),
        )
    return aware  # an hour that happens twice (clocks back) is read as the first, summer-time one


def _minutes(value: Cell) -> int:
    text = _text(value)
    try:
        number = float(text.replace(",", "."))
    except ValueError as exc:
        raise ValidationError(N_("'{value}' is not a number of minutes."), value=text) from exc
    if not number.is_integer():
        raise ValidationError(N_("'{value}' is not a whole number of minutes."), value=text)
    return int(number)


def _choice(value: Cell) -> str | None:
    text = _text(value).lower()
    return text or None


def _flag(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError(N_("'{value}' is not yes or no."), value=text)


def _parse(raw: dict[str, Cell], tz: ZoneInfo) -> tuple[str, RequestInput | None, list[Problem]]:
    """The username and the request a row describes, or the problems that stop it from being read."""
    found: list[Problem] = []
    username = _text(raw.get("username")).lower()
    if not username:
        found.append(Problem("username", ValidationError(N_("The username is empty."))))
    values: dict[str, object] = {}
    readers = {"received_at": lambda v: local_time(v, tz), "minutes": _minutes, "beyond_role": _flag}
    for column, reader in readers.items():
        try:
            values[column] = reader(raw.get(column))
        except ValidationError as error:
            found.append(Problem(column, error))
    if found:
        return username, None, found
    # A topic named twice counts once (money;money), so the dry run and the real import agree.
    topics = tuple(dict.fromkeys(t.strip().lower() for t in _text(raw.get("topics")).split(";") if t.strip()))
    note = _text(raw.get("note")) or None
    data = RequestInput(
        minutes=values["minutes"],  # type: ignore[arg-type]
        channel=_text(raw.get("channel")).lower(),
        topics=topics,
        received_at=values["received_at"],  # type: ignore[arg-type]
        level=_choice(raw.get("level")),
        beyond_role=values["beyond_role"],  # type: ignore[arg-type]
        referred_to=_choice(raw.get("referred_to")),
        note=note,
    )
    return username, data, []


def import_requests(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    filename: str,
    content: bytes,
    dry_run: bool = False,
    now: datetime | None = None,
) -> ImportReport:
    """Read the file, check every row; when all are good (and not a dry run) save them in one transaction."""
    try:
        table = read_table(filename, content)
    except ValidationError as error:
        return ImportReport(dry_run=dry_run, file_error=error)
    return import_table(engine, settings, actor, table, dry_run, now)


def import_table(
    engine: Engine,
    settings: Settings,
    actor: Actor,
    table: list[dict[str, Cell]],
    dry_run: bool = False,
    now: datetime | None = None,
) -> ImportReport:
    """Check every row of a file already read (read_table); when all are good (and not a dry run) save them in one
    transaction. The upload page reads a file once and passes the rows to the dry run and then to the import."""
    now = now or datetime.now(UTC)
    report = ImportReport(dry_run=dry_run)
    with unit_of_work(engine) as session:
        people: dict[str, tuple[int, int] | None] = {}
        accepted: list[tuple[int, int, RequestInput]] = []
        for index, raw in enumerate(table, start=2):
            if is_blank(raw):
                continue
            report.rows += 1
            try:
                username, data, row_problems = _parse(raw, settings.tz)
                if data is not None:
                    row_problems = problems(data, now, settings, settings.requests.import_max_days)
            except (ValueError, OverflowError, TypeError, ArithmeticError):
                # Whatever a cell holds, a row that cannot be read is a message for that row, never a traceback.
                username, data = _text(raw.get("username")).lower(), None
                row_problems = [
                    Problem("row", ValidationError(N_("This row cannot be read. Check its dates and numbers.")))
                ]
            if username and username not in people:
                person_id = session.scalar(select(Person.id).where(Person.username == username))
                team_id = coproducer_team(session, person_id) if person_id else None
                people[username] = (person_id, team_id) if person_id and team_id else None
            who = people.get(username)
            allowed = who is not None and (
                actor.is_system or actor.person_id == who[0] or actor.has_role(Role.LEADER, who[1])
            )
            if username and who is None and actor.is_system:
                message = N_("There is no coproducer with username {username}.")
                row_problems.insert(0, Problem("username", ValidationError(message, username=username)))
            elif username and not allowed:
                # One answer for "not yours" and "no such person", so that an import cannot tell who exists.
                message = N_("You cannot import requests for {username}. Use your own username or one from your team.")
                row_problems.insert(0, Problem("username", ValidationError(message, username=username)))
            report.problems.extend(RowProblem(index, p.field, p.error) for p in row_problems)
            if not row_problems and data is not None and who is not None:
                accepted.append((who[0], who[1], data))
        if not report.ok or dry_run:
            return report
        history = versions_of(session, {person_id for person_id, _team, _data in accepted})  # one query, not per row
        for person_id, team_id, data in accepted:
            if _already_there(session, person_id, data):
                report.skipped_duplicates += 1
                continue
            add_in_session(session, settings, actor, person_id, team_id, data, "import", now, history[person_id])
            report.imported += 1
    return report


def _already_there(session, person_id: int, data: RequestInput) -> bool:  # type: ignore[no-untyped-def]
    """A request with the same person, moment, duration and channel: importing a file twice adds nothing."""
    assert data.received_at is not None
    moment = data.received_at.astimezone(UTC)
    return (
        session.scalar(
            select(HelpRequest.id).where(
                HelpRequest.person_id == person_id,
                HelpRequest.received_at >= moment - timedelta(seconds=1),
                HelpRequest.received_at <= moment + timedelta(seconds=1),
                HelpRequest.minutes == data.minutes,
                HelpRequest.channel == data.channel,
                HelpRequest.deleted_at.is_(None),
            )
        )
        is not None
    )
