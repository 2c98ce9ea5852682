"""Requests about kinds of problem the coproducer did not agree to take on, in the last 7 days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest, RequestTopic
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_, Np_

name = "topics_outside"
title = N_("Problems outside the agreement")
description = N_("Requests in the last 7 days about kinds of problem the coproducer did not agree to take on.")
message = Np_(
    "{value} request in the last 7 days about a problem outside your agreement: {topics}.",
    "{value} requests in the last 7 days about problems outside your agreement: {topics}.",
)
leader_message = Np_(
    "{value} request in the last 7 days about a problem outside their agreement: {topics}.",
    "{value} requests in the last 7 days about problems outside their agreement: {topics}.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    start, end = ctx.last_7_days
    rows = session.execute(
        select(HelpRequest.person_id, RequestTopic.topic, func.count(func.distinct(HelpRequest.id)))
        .join(RequestTopic, RequestTopic.request_id == HelpRequest.id)
        .where(*ctx.live(start, end), RequestTopic.topic != "other")
        .group_by(HelpRequest.person_id, RequestTopic.topic)
    ).all()
    outside: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, topic, count in rows:
        if topic not in ctx.people[person_id].agreement.topics:
            outside[person_id][topic] = int(count)
    for person_id, topics in outside.items():
        total = sum(topics.values())
        yield Finding(name, person_id, ctx.severity(name), total, 0, {"topics": sorted(topics)})
