"""Requests about kinds of problem the coproducer did not agree to take on, in the last 7 days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import HelpRequest
from monitor.alerts.rules.base import Context, Finding
from monitor.i18n import N_, Np_
from monitor.requests.vocab import AGREEABLE, topics_of

name = "topics_outside"
title = N_("Problems outside the agreement")
description = N_("Requests in the last 7 days about kinds of problem the coproducer did not agree to take on.")
message = Np_(
    "{value} request in the last 7 days was about a problem outside your agreement. About: {topics}.",
    "{value} requests in the last 7 days were about problems outside your agreement. About: {topics}.",
)
leader_message = Np_(
    "{value} request in the last 7 days was about a problem outside their agreement. About: {topics}.",
    "{value} requests in the last 7 days were about problems outside their agreement. About: {topics}.",
)


def find(session: Session, ctx: Context) -> Iterator[Finding]:
    start, end = ctx.last_7_days
    # The kinds of problem are the bits of topic_mask, read with the rest of the week from the rules' covering index:
    # no join to request_topics, whose size grows with the years of history. Each person's requests are counted per
    # combination of kinds, and a request counts once for each of its kinds.
    rows = session.execute(
        select(HelpRequest.person_id, HelpRequest.topic_mask, func.count())
        .where(*ctx.live(start, end), HelpRequest.topic_mask.bitwise_and(AGREEABLE) != 0)
        .group_by(HelpRequest.person_id, HelpRequest.topic_mask)
    ).all()
    outside: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person_id, mask, count in rows:
        agreed = ctx.people[person_id].agreement.topics
        for topic in topics_of(mask & AGREEABLE):
            if topic not in agreed:
                outside[person_id][topic] += int(count)
    for person_id, topics in outside.items():
        total = sum(topics.values())
        yield Finding(name, person_id, ctx.severity(name), total, 0, {"topics": sorted(topics)})
