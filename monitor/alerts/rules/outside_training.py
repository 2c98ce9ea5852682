"""Requests in the last 7 days on kinds of problem that no confirmed training of the coproducer covered on the day
each request was received (a training that expired since still counts for the requests before its expiry).

Only for teams that keep a training catalogue; the alert names the trainings in it that would cover the problems.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_, Np_
from monitor.requests.vocab import AGREEABLE, topics_of
from monitor.training.records import coverage, trainings_for_topics

name = "outside_training"
title = N_("Problems outside their training")
description = N_("Requests in the last 7 days about kinds of problem that no valid, confirmed training covers.")
message = Np_(
    "{value} request in the last 7 days was about a problem without a valid training. About: {topics}. "
    "Training that would cover it: {trainings}.",
    "{value} requests in the last 7 days were about problems without a valid training. About: {topics}. "
    "Training that would cover it: {trainings}.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    catalogue = trainings_for_topics(session, {c.team_id for c in ctx.people.values()})
    people = [pid for pid, c in ctx.people.items() if catalogue.get(c.team_id)]
    if not people:
        return
    start, end = ctx.last_7_days
    # Counted per person, day and combination of kinds (the kinds as bits, topic_mask, as topics_outside): a training
    # covers a kind on a day, and a request counts once for each of its kinds not covered that day.
    rows = session.execute(
        select(HelpRequest.person_id, HelpRequest.local_date, HelpRequest.topic_mask, func.count())
        .where(
            *ctx.live(start, end),
            HelpRequest.person_id.in_(people),
            HelpRequest.topic_mask.bitwise_and(AGREEABLE) != 0,
        )
        .group_by(HelpRequest.person_id, HelpRequest.local_date, HelpRequest.topic_mask)
    ).all()
    trained = coverage(session, people, start, end)
    outside: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person_id, day, mask, count in rows:
        for topic in topics_of(mask & AGREEABLE):
            if not any(c.covers(topic, day) for c in trained[person_id]):
                outside[person_id][topic] += int(count)
    for person_id, topics in outside.items():
        offered = catalogue[ctx.people[person_id].team_id]
        names = sorted({training for topic in topics for training in offered.get(topic, [])})
        params = {"topics": sorted(topics), "trainings": ", ".join(names) or "-"}
        yield Finding(name, person_id, ctx.severity(name), sum(topics.values()), 0, params)
