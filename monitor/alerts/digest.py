"""The daily digest for leaders: at email.digest_hour local time, one message summarising their teams' open alerts.

Each leader's summary is claimed on its own key (digest:<day>:<leader>, unique in notifications), so two workers
never both make it, a worker that stops half-way leaves nothing behind, and a worker that starts later the same day
still makes it. The day as a whole is never marked done: a run that found nothing to tell (say it ran before the
evaluation had committed the day's new alerts) leaves the day open, and the next run tells whoever is due. The
scheduler runs the digest right after the evaluation of the same beat, so it sees the alerts opened in that beat.
A JobRun row records which worker first told somebody that day; it is not consulted.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.engine import reading, unit_of_work
from db.models import AlertStatus, JobRun, Membership, Notification, Person, Role
from monitor.alerts import counts
from monitor.alerts.rules import BY_NAME, burden_rank, is_administration
from monitor.config import Settings
from monitor.i18n import N_
from monitor.messages import notify

log = logging.getLogger(__name__)

JOB = "digest"
MESSAGE = N_("Daily summary of your team.\n{summary}\n{lines}")
SUMMARY = N_("Open alerts: {n}.")
LINE = N_("{title_label}: {count}")
ADMINISTRATION_HEAD = N_("Administration (allowances):")


def due_day(settings: Settings, now: datetime) -> date | None:
    """The local date whose digest is due at now (from digest_hour until midnight), or None before digest_hour."""
    local = now.astimezone(settings.tz)
    return local.date() if local.hour >= settings.email.digest_hour else None


def _record(session: Session, period: str, worker: str, now: datetime) -> None:
    """Note the first worker that told somebody today (for the operator; the per-leader keys are the claim)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(JobRun)
        .values(job=JOB, period=period, claimed_by=worker, started_at=now, finished_at=now)
        .on_conflict_do_nothing(index_elements=["job", "period"])
    )


def _open_counts(session: Session) -> dict[int, dict[str, int]]:
    """{leader id: {rule: alerts}} over the teams each active leader leads, for the leaders with an alert not yet
    acknowledged: the count My team shows (monitor.alerts.counts, open and acknowledged), added up per rule."""
    teams: dict[int, set[int]] = {}
    for leader_id, team_id in session.execute(
        select(Membership.person_id, Membership.team_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.role == Role.LEADER, Person.active.is_(True))
    ).all():
        teams.setdefault(int(leader_id), set()).add(int(team_id))
    found = counts.open_alerts(session, {team for led in teams.values() for team in led})
    result: dict[int, dict[str, int]] = {}
    for leader_id, led in teams.items():
        by_rule: dict[str, int] = {}
        for (team_id, _person, rule, _status), n in found.items():
            if team_id in led:
                by_rule[rule] = by_rule.get(rule, 0) + n
        # Told only while something waits for them: an alert nobody acknowledged yet.
        if any(team_id in led and status == AlertStatus.OPEN for team_id, _p, _r, status in found):
            result[leader_id] = by_rule
    return result


def _lines(by_rule: dict[str, int]) -> list[dict[str, object]]:
    """One line per rule, most alerts first, in the order of the person's burden at equal counts."""
    return [
        {"msgid": LINE, "params": {"title_label": BY_NAME[rule].title if rule in BY_NAME else rule, "count": count}}
        for rule, count in sorted(by_rule.items(), key=lambda item: (-item[1], burden_rank(item[0]), item[0]))
    ]


def _params(by_rule: dict[str, int]) -> dict[str, object]:
    """The wellbeing alerts first; the administration (allowances, tax-free limits) after them, under its own head."""
    total = sum(by_rule.values())
    wellbeing = {rule: n for rule, n in by_rule.items() if not is_administration(rule)}
    administration = {rule: n for rule, n in by_rule.items() if is_administration(rule)}
    lines = _lines(wellbeing)
    if administration:
        lines += [{"msgid": ADMINISTRATION_HEAD, "params": {}}, *_lines(administration)]
    return {"summary": {"msgid": SUMMARY, "params": {"n": total}}, "lines": lines}


def run_digest(engine: Engine, settings: Settings, worker: str, now: datetime | None = None) -> int:
    """Make today's digests if they are due and no worker made them yet; returns how many were created."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    day = due_day(settings, now)
    if day is None:
        return 0
    period = day.isoformat()
    with reading(engine) as session:
        counts = _open_counts(session)
        told = set(
            session.scalars(select(Notification.person_id).where(Notification.key.like(f"digest:{period}:%"))).all()
        )
    if not set(counts) - told:
        return 0  # everyone with open alerts has had today's summary (or nobody has open alerts yet)
    created = 0
    with unit_of_work(engine) as session:
        for leader_id, by_rule in sorted(_open_counts(session).items()):
            key = f"digest:{period}:{leader_id}"  # the claim: one summary per leader per day, across workers
            if notify.add(session, settings, leader_id, key, "digest", MESSAGE, _params(by_rule), "alerts", now=now):
                created += 1
        if created:
            _record(session, period, worker, now)
    log.info("digest of %s: %d leaders told", period, created)
    return created
