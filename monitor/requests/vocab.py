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
# TOPICS[i], so that the rules and the contribution report read them from their covering indexes without joining
# request_topics, which grows with the years of history.
# The positions are stored: a new kind of problem goes at the end, and none is ever taken out or moved.
TOPIC_BITS = {topic: 1 << position for position, topic in enumerate(TOPICS)}


def topic_mask(topics: tuple[str, ...] | list[str]) -> int:
    """The bits of topics; a code TOPICS no longer has counts as "other", as migration 0014 counts it."""
    mask = 0
    for topic in topics:
        mask |= TOPIC_BITS.get(topic, TOPIC_BITS["other"])
    return mask


def topics_of(mask: int) -> tuple[str, ...]:
    """The codes of the bits of mask, in the order of TOPICS."""
    return tuple(topic for topic, bit in TOPIC_BITS.items() if mask & bit)


# The bits of every kind of problem a coproducer can agree to: all but "other", which no agreement and no training
# is about.
AGREEABLE = topic_mask(AGREEMENT_TOPICS)
