"""Requests about kinds of problem the coproducer did not agree to take on, in the last 7 days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select, true
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
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL would hash-join the week's requests against every request_topics row ever written, a scan that
        # grows with the years of history. A LATERAL subquery with OFFSET 0 (which the planner cannot flatten) looks
        # each of the week's requests up in the topics' primary key instead. SQLite does that lookup by itself.
        topics = (
            select(RequestTopic.topic)
            .where(RequestTopic.request_id == HelpRequest.id, RequestTopic.topic != "other")
            .offset(0)
            .lateral("topics")
        )
        query = select(HelpRequest.person_id, topics.c.topic, func.count(func.distinct(HelpRequest.id))).join(
            topics, true()
        )
    else:
        query = select(HelpRequest.person_id, RequestTopic.topic, func.count(func.distinct(HelpRequest.id))).join(
            RequestTopic, (RequestTopic.request_id == HelpRequest.id) & (RequestTopic.topic != "other")
        )
    rows = session.execute(query.where(*ctx.live(start, end)).group_by(*query.selected_columns[:2])).all()
    outside: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, topic, count in rows:
        if topic not in ctx.people[person_id].agreement.topics:
            outside[person_id][topic] = int(count)
    for person_id, topics in outside.items():
        total = sum(topics.values())
        yield Finding(name, person_id, ctx.severity(name), total, 0, {"topics": sorted(topics)})
