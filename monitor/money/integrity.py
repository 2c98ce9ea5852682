"""Is the money record as the app wrote it? Walks the payments' and the emergency fund's hash chains
(db/ledger_chain.py), checks that the database still guards them (the append-only triggers, the column types) and
that the chain still holds the head noted at the last daily check, and names the first entry that differs.

`monitor ledger verify`, the daily job (which notes each day's chain heads in the security log) and the
administrator's Security page all call verify. It finds a rewrite the database could not refuse, by the table owner,
a superuser or a plain sqlite3 connection; it cannot find a rewrite of a whole chain that also rewrote the security
log, which is what the heads in every backup's manifest (kept elsewhere) are for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError

from db import ledger_chain
from db.engine import reading, unit_of_work
from db.models import SecurityEvent
from monitor.config import Settings
from monitor.i18n import N_, format_date, format_money
from monitor.messages import notify
from monitor.money import limits_reminder
from monitor.money.amounts import euros
from monitor.people import accounts, security_log
from monitor.people.access import Actor, require_admin

log = logging.getLogger(__name__)

CHECKED, BROKEN = "ledger_checked", "ledger_broken"  # the daily job's kinds in the security log
JOB = "ledger_check"
CHANGED = N_("The money records were changed outside the app. The Security page says where.")
LABELS = {"payments": N_("payments"), "fund_entries": N_("emergency fund")}
DATE_FIELD = {"payments": "paid_on", "fund_entries": "on_date"}
# The triggers each database must still have (migrations 0005, 0006, 0017) and the amount's column type.
TRIGGERS = {
    "sqlite": ("{t}_no_update", "{t}_no_delete", "{t}_no_replace", "{t}_chained"),
    "postgresql": ("{t}_append_only", "{t}_no_truncate"),
}


@dataclass(frozen=True)
class Problem:
    """One thing that differs: message is an English msgid, params fill it; table names are translated too."""

    table: str
    entry_id: int | None
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, gettext: Callable[[str], str] = lambda s: s, language: str | None = None) -> str:
        """In English for the CLI and the log; with a language, the amount and date as that language writes them."""
        params = dict(self.params)
        if language is not None and isinstance(params.get("cents"), int):
            params["amount"] = format_money(euros(params["cents"]), language)
            params["date"] = format_date(date.fromisoformat(params["date"]), language, "short")
        return gettext(self.message).format(table=gettext(LABELS[self.table]), id=self.entry_id, **params)


@dataclass(frozen=True)
class Verdict:
    heads: dict[str, tuple[int, str]]  # table -> (entries, stored hash of the last one)
    problems: list[Problem]

    @property
    def intact(self) -> bool:
        return not self.problems

    def heads_line(self) -> str:
        """The chain heads in one line, as the security log and a backup's manifest keep them."""
        return "; ".join(f"{table} {n} {head}" for table, (n, head) in self.heads.items())


def _entry(table: str, entry: ledger_chain.Entry) -> dict[str, Any]:
    cents = entry.values.get("amount_cents")
    on = entry.values.get(DATE_FIELD[table])
    if not isinstance(cents, int) or not isinstance(on, date):
        return {"date": str(on), "amount": str(cents)}
    return {"date": on.isoformat(), "amount": f"{cents / 100:.2f}", "cents": cents}


def _checkpoint(engine: Engine) -> tuple[datetime, dict[str, tuple[int, str]]] | None:
    """The heads noted by the last daily check that found the ledger intact, if any."""
    with reading(engine) as session:
        found = session.execute(
            select(SecurityEvent.at, SecurityEvent.detail)
            .where(SecurityEvent.kind == CHECKED)
            .order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())
            .limit(1)
        ).first()
    if found is None:
        return None
    heads = {}
    for part in found.detail.split(";"):
        words = part.split()
        if len(words) == 3 and words[0] in ledger_chain.FIELDS and words[1].isdigit():
            heads[words[0]] = (int(words[1]), words[2])
    return found.at, heads


def _walk(connection: Connection, table: str, checkpoint: tuple[datetime, tuple[int, str]] | None) -> list[Problem]:
    problems: list[Problem] = []
    count = 0
    for entry in ledger_chain.walk(connection, table):
        count = entry.position
        if not problems and entry.stored is None:
            problems.append(
                Problem(
                    table,
                    entry.id,
                    N_("{table} #{id} ({date}, {amount}): has no chain hash, so it was written outside the app."),
                    _entry(table, entry),
                )
            )
        elif not problems and not entry.intact:
            problems.append(
                Problem(
                    table,
                    entry.id,
                    N_(
                        "{table} #{id} ({date}, {amount}): no longer matches its hash: it was changed after it was "
                        "written, or an entry before it was removed."
                    ),
                    _entry(table, entry),
                )
            )
        if checkpoint is not None and entry.position == checkpoint[1][0] and entry.stored != checkpoint[1][1]:
            problems.append(
                Problem(
                    table,
                    entry.id,
                    N_(
                        "{table} #{id}: the chain up to this entry differs from the one checked on {day}: entries "
                        "were rewritten."
                    ),
                    {"day": f"{checkpoint[0]:%Y-%m-%d}"},
                )
            )
    if checkpoint is not None and count < checkpoint[1][0]:
        problems.append(
            Problem(
                table,
                None,
                N_("{table}: entries that were there on {day} are gone. Missing: {missing}."),
                {"missing": checkpoint[1][0] - count, "day": f"{checkpoint[0]:%Y-%m-%d}"},
            )
        )
    return problems


def _guards(connection: Connection, table: str) -> list[Problem]:
    """The database still refuses rewrites of table: its triggers exist and are on, its amounts are integers."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        states = dict(
            connection.exec_driver_sql(
                "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %(t)s::regclass AND NOT tgisinternal",
                {"t": table},
            ).all()
        )
        kind = connection.exec_driver_sql(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %(t)s AND column_name = 'amount_cents'",
            {"t": table},
        ).scalar()
    else:
        states = {
            name: "O"
            for (name,) in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
            )
        }
        kind = "integer"
    problems = []
    for pattern in TRIGGERS.get(dialect, ()):
        trigger = pattern.format(t=table)
        if trigger not in states:
            problems.append(
                Problem(
                    table,
                    None,
                    N_("{table}: the trigger {trigger} is missing, so the database no longer refuses a rewrite."),
                    {"trigger": trigger},
                )
            )
        elif states[trigger] == "D":
            problems.append(
                Problem(
                    table,
                    None,
                    N_("{table}: the trigger {trigger} is switched off, so the database no longer refuses a rewrite."),
                    {"trigger": trigger},
                )
            )
    if kind != "integer":
        problems.append(
            Problem(table, None, N_("{table}: the amounts' column was changed to the type {type}."), {"type": kind})
        )
    return problems


def verify(engine: Engine) -> Verdict:
    """Walk both chains and check their guards; for the CLI and the daily job (no person asks)."""
    checkpoint = _checkpoint(engine)
    heads: dict[str, tuple[int, str]] = {}
    problems: list[Problem] = []
    for table in ledger_chain.TABLES:
        noted = (checkpoint[0], checkpoint[1][table]) if checkpoint and table in checkpoint[1] else None
        try:
            with engine.connect() as connection:
                problems += _walk(connection, table, noted)
                heads[table] = ledger_chain.head(connection, table)
        except (DBAPIError, ValueError) as error:  # ValueError: a date or time written so that it no longer parses
            orig = getattr(error, "orig", None) or error
            reason = (str(orig).strip().splitlines() or [type(error).__name__])[0]
            problems.append(
                Problem(table, None, N_("{table} cannot be read as the app wrote it: {reason}"), {"reason": reason})
            )
        with engine.connect() as connection:
            try:
                problems += _guards(connection, table)
            except DBAPIError as error:
                reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
                problems.append(
                    Problem(table, None, N_("{table} cannot be read as the app wrote it: {reason}"), {"reason": reason})
                )
    return Verdict(heads, problems)


def verify_for(engine: Engine, actor: Actor) -> Verdict:
    """The Security page's check: administrators only."""
    require_admin(actor)
    return verify(engine)


@dataclass(frozen=True)
class DailyCheck:
    at: datetime
    intact: bool
    detail: str  # the heads, or the first difference (in English, as the log keeps it)


def last_daily(engine: Engine, actor: Actor) -> DailyCheck | None:
    """The outcome of the last daily check, for the Security page: administrators only."""
    require_admin(actor)
    with reading(engine) as session:
        found = session.execute(
            select(SecurityEvent.at, SecurityEvent.kind, SecurityEvent.detail)
            .where(SecurityEvent.kind.in_((CHECKED, BROKEN)))
            .order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())
            .limit(1)
        ).first()
    return None if found is None else DailyCheck(found.at, found.kind == CHECKED, found.detail)


def daily(engine: Engine, settings: Settings, worker: str, now: datetime | None = None) -> Verdict | None:
    """The scheduled job, once per local day across workers: verify, and note the outcome in the security log (the
    heads when intact, so that the next check can tell a chain rewritten from the start; else the first difference,
    and a message to every administrator). None when today's check was made already."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    verdict = verify(engine)
    with unit_of_work(engine) as session:
        if not limits_reminder.claim(session, f"{now.astimezone(settings.tz):%Y-%m-%d}", worker, now, JOB):
            return None
        if verdict.intact:
            security_log.record(session, CHECKED, detail=verdict.heads_line(), at=now)
            return verdict
        first = verdict.problems[0].render()
        log.error("the money records were changed outside the app: %s", first)
        security_log.record(session, BROKEN, detail=first, at=now)
        for admin_id in accounts.active_admin_ids(session):
            key = f"{JOB}:{now.astimezone(settings.tz):%Y-%m-%d}:{admin_id}"
            notify.add(session, settings, admin_id, key, JOB, CHANGED, link="security", now=now)
    return verdict
