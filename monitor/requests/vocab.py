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
