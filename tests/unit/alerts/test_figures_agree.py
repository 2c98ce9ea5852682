"""Issue 28: the figures people read agree with each other and are counted, for the demo team at a pinned moment.

The coproducer's notice (her alerts) and her bar on My week, the leader's My team and the leaders' daily digest count
the same window for the same figure (hours this calendar week; requests outside hours and at night in the last 7
days), and the same open alerts. Every message is rendered with the parameters it is stored with, and its numbers
are the ones counted from the data (the days since an unpaid month ended, not the setting overdue_days).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from db.engine import reading
from db.models import Alert, Notification, Person
from monitor.alerts import actions, by_person, counts, digest, team_load
from monitor.alerts.rules import ADMINISTRATION, ALL, BY_NAME
from monitor.config import Settings
from monitor.demo import load as demo
from monitor.i18n import gettext_for
from monitor.i18n.numbers import format_count
from monitor.messages import inbox
from monitor.money.amounts import month_end
from monitor.people import accounts as people
from monitor.people import auth
from monitor.people.access import Actor
from monitor.requests import windows, workload
from monitor.ui.alerts import alert_text

# Monday 7 December 2026 10:00 in The Hague: the calendar week is one day old, the last 7 days reach back to Tuesday
# 1 December, so a figure counted over the wrong window shows. October's allowance is unpaid for Henk.
AT = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TODAY = AT.date()


def actor(engine: Engine, username: str) -> Actor:
    person_id = people.person_id_by_username(engine, username)
    assert person_id is not None
    found = auth.actor_for_person(engine, person_id)
    assert found is not None
    return found


@pytest.fixture
def moerwijk(engine: Engine, settings: Settings) -> int:
    demo.load_demo(engine)
    demo.load_demo_requests(engine, settings, now=AT)
    digest.run_digest(engine, settings, "worker-a", AT)
    team_id = people.team_id_by_name(engine, demo.DEMO_TEAM)
    assert team_id is not None
    return team_id


def test_the_windows_are_the_rules_windows() -> None:
    assert windows.this_week(TODAY) == (date(2026, 12, 7), TODAY)
    assert windows.last_7_days(TODAY) == (date(2026, 12, 1), TODAY)


def test_notice_bar_my_team_and_digest_count_the_same(engine: Engine, settings: Settings, moerwijk: int) -> None:
    lotte = actor(engine, "lotte")
    members = {m.username: m for m in team_load.overview(engine, settings, lotte, moerwijk, TODAY)}
    with reading(engine) as session:
        alerts = session.execute(select(Alert, Person.username).join(Person, Person.id == Alert.person_id)).all()
    values = {(username, alert.rule): alert.value for alert, username in alerts if alert.status != "resolved"}

    checked = 0
    for username, member in members.items():
        coproducer = actor(engine, username)
        # The bar on My week: the workload over the rules' windows, as pages/my_week.py asks for it.
        week = workload.totals(engine, coproducer, member.person_id, *windows.this_week(TODAY))
        recent = workload.totals(engine, coproducer, member.person_id, *windows.last_7_days(TODAY))
        assert (recent.outside_requests, recent.night_requests) == (member.outside_7_days, member.night_7_days)
        assert week.hours == pytest.approx(member.week_hours)
        # The notice: her alert names the same figure as the bar and My team, and fires exactly when the bar is over.
        agreement = member.agreement
        if recent.outside_requests > agreement.max_outside_requests_per_week:
            assert values[(username, "outside_hours")] == recent.outside_requests
            checked += 1
        else:
            assert (username, "outside_hours") not in values
        if recent.night_requests > agreement.max_night_requests_per_week:
            assert values[(username, "night")] == recent.night_requests
            checked += 1
        if week.hours > agreement.hours_per_week:
            assert values[(username, "hours_over")] == pytest.approx(round(week.hours, 1))
            checked += 1
    assert checked >= 5, "the demo shows several people over their agreement"

    # Open alerts: My team's figure, the digest's, and what the Alerts page lists are one count.
    on_my_team = sum(m.open_alerts for m in members.values())
    on_the_page = len(actions.team_alerts(engine, lotte, moerwijk))
    with reading(engine) as session:
        (told,) = session.scalars(select(Notification).where(Notification.kind == "digest")).all()
        assert sum(counts.per_rule(session, [moerwijk]).values()) == on_my_team
    assert json.loads(told.params)["summary"]["params"] == {"n": on_my_team}
    assert on_the_page == on_my_team
    (text,) = [item.text for item in inbox.list_notifications(engine, lotte) if item.kind == "digest"]
    assert gettext_for("nl")("Open alerts: {n}.").format(n=on_my_team) in text.splitlines()


def test_the_digest_and_the_alerts_page_put_wellbeing_before_administration(engine: Engine, moerwijk: int) -> None:
    lotte = actor(engine, "lotte")
    nl = gettext_for("nl")
    (text,) = [item.text for item in inbox.list_notifications(engine, lotte) if item.kind == "digest"]
    lines = text.splitlines()
    head = lines.index(nl(digest.ADMINISTRATION_HEAD))
    titles = {nl(rule.title): rule.name for rule in ALL}
    before = [titles[line.split(":")[0]] for line in lines[2:head]]
    after = [titles[line.split(":")[0]] for line in lines[head + 1 :]]
    assert before and after
    assert not set(before) & ADMINISTRATION
    assert set(after) <= ADMINISTRATION

    groups = by_person.group(actions.team_alerts(engine, lotte, moerwijk))
    kinds = [g.administration for g in groups]
    assert kinds == sorted(kinds) and True in kinds and False in kinds, "every wellbeing card before administration"
    for g in groups:
        assert all((row.rule in ADMINISTRATION) == g.administration for row in g.alerts)
    keys = [g.key for g in groups]
    assert len(keys) == len(set(keys))


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:[.,]\d+)*", text)


def test_every_alert_message_shows_its_counted_numbers(engine: Engine, settings: Settings, moerwijk: int) -> None:
    lotte = actor(engine, "lotte")
    rows = actions.team_alerts(engine, lotte, moerwijk)
    assert {row.rule for row in rows} == {rule.name for rule in ALL}, "the demo raises every rule"
    for language in ("nl", "en"):
        _ = gettext_for(language)
        for row in rows:
            for for_leader in (False, True):
                text = alert_text.message(row, _, language, for_leader=for_leader)
                assert "{" not in text, (row.rule, text)
                assert _numbers(text), (row.rule, text)

    (overdue,) = [row for row in rows if row.rule == "allowance_overdue"]
    period = date.fromisoformat(overdue.message_params["period_month"] + "-01")
    days = (TODAY - month_end(period)).days
    assert days == 37 and period == date(2026, 10, 1)  # October, on 7 December
    nl_text = alert_text.message(overdue, gettext_for("nl"), "nl", for_leader=True)
    assert "37 dagen" in nl_text
    assert str(settings.allowances.overdue_days) + " dagen" not in nl_text


def test_every_stored_message_is_rendered_with_its_numbers_for_its_reader(
    engine: Engine, settings: Settings, moerwijk: int
) -> None:
    with reading(engine) as session:
        stored = session.scalars(select(Notification)).all()
        readers = {n.person_id for n in stored}
    assert stored
    for person_id in readers:
        reader = auth.actor_for_person(engine, person_id)
        assert reader is not None
        for item in inbox.list_notifications(engine, reader, limit=500):
            assert "{" not in item.text and "_cents" not in item.text, item.text
            if reader.language == "nl":
                assert not re.search(r"\d\.\d\d\b", item.text), item.text  # no decimal point in Dutch
    # Each alert names its own figure, written the reader's way ("13,8" in Dutch).
    for row in actions.team_alerts(engine, actor(engine, "lotte"), moerwijk):
        rule = BY_NAME[row.rule]
        if "{value}" in rule.message and not row.rule.startswith("allowance"):
            for language in ("nl", "en"):
                text = alert_text.message(row, gettext_for(language), language)
                assert format_count(row.message_params["value"], language) in text, (row.rule, text)
