"""The fixed vocabularies of a logged request: how it came, what it was about, its level and where it was referred."""

from __future__ import annotations

from monitor.config import TOPICS as AGREEMENT_TOPICS

CHANNELS = ("street", "door", "centre", "phone", "message", "other")
# A request may be about any of the six kinds of problem a coproducer can agree to, or about something else.
TOPICS = (*AGREEMENT_TOPICS, "other")
LEVELS = ("individual", "group", "system")
REFERRALS = ("gp", "social_worker", "team_professionals", "debt_help", "police", "none", "other")
# Why a request counts as outside the agreed hours; None when it came inside them.
OUTSIDE_REASONS = ("night", "holiday", "weekend", "day_off", "evening", "early", "between")
MINUTE_CHOICES = (5, 15, 30, 60, 120)
NOTE_MAX = 280

# A request's kinds of problem as one number on its row (help_requests.topic_mask, migration 0014): bit i stands for
# TOPICS[i], so that the contribution report counts them from its covering index without joining request_topics.
# The positions are stored: a new kind of problem goes at the end, and none is ever taken out or moved.
TOPIC_BITS = {topic: 1 << position for position, topic in enumerate(TOPICS)}


def topic_mask(topics: tuple[str, ...] | list[str]) -> int:
    """The bits of topics; a code TOPICS no longer has counts as "other", as migration 0014 counts it."""
    mask = 0
    for topic in topics:
        mask |= TOPIC_BITS.get(topic, TOPIC_BITS["other"])
    return mask
