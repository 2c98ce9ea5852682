"""Requests in the last 7 days on kinds of problem that no valid, confirmed training of the coproducer covers.

Only for teams that keep a training catalogue; the alert names the trainings in it that would cover the problems.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest, RequestTopic
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_, Np_
from monitor.training.records import covered_topics, trainings_for_topics

name = "outside_training"
title = N_("Problems outside their training")
description = N_("Requests in the last 7 days about kinds of problem that no valid, confirmed training covers.")
message = Np_(
    "{value} request in the last 7 days about a problem without a valid training: {topics}. "
    "Training that would cover it: {trainings}.",
    "{value} requests in the last 7 days about problems without a valid training: {topics}. "
    "Training that would cover it: {trainings}.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    catalogue = trainings_for_topics(session, {c.team_id for c in ctx.people.values()})
    people = [pid for pid, c in ctx.people.items() if catalogue.get(c.team_id)]
    if not people:
        return
    start, end = ctx.last_7_days
    rows = session.execute(
        select(HelpRequest.person_id, RequestTopic.topic, func.count(func.distinct(HelpRequest.id)))
        .join(RequestTopic, RequestTopic.request_id == HelpRequest.id)
        .where(*ctx.live(start, end), HelpRequest.person_id.in_(people), RequestTopic.topic != "other")
        .group_by(HelpRequest.person_id, RequestTopic.topic)
    ).all()
    covered = covered_topics(session, people, ctx.today)
    outside: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, topic, count in rows:
        if topic not in covered[person_id]:
            outside[person_id][topic] = int(count)
    for person_id, topics in outside.items():
        offered = catalogue[ctx.people[person_id].team_id]
        names = sorted({training for topic in topics for training in offered.get(topic, [])})
        params = {"topics": sorted(topics), "trainings": ", ".join(names) or "-"}
        yield Finding(name, person_id, ctx.severity(name), sum(topics.values()), 0, params)
