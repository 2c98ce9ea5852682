"""Translatable names for roles, topics and weekdays, shown wherever they appear."""

from __future__ import annotations

from monitor.i18n import N_
from monitor.messages.words import (  # the names of codes, shared with the messages rendered for their reader
    CHANNEL_LABELS,
    LEADER_OUTSIDE_REASON_LABELS,
    LEVEL_LABELS,
    OUTSIDE_REASON_LABELS,
    REFERRAL_LABELS,
    TOPIC_LABELS,
    TOPIC_LABELS_WITH_OTHER,
)

# re-exported: the pages import every label from here
__all__ = [
    "CHANNEL_LABELS",
    "LEADER_OUTSIDE_REASON_LABELS",
    "LEVEL_LABELS",
    "OUTSIDE_REASON_LABELS",
    "REFERRAL_LABELS",
    "TOPIC_LABELS",
    "TOPIC_LABELS_WITH_OTHER",
]

ROLE_LABELS = {
    "coproducer": N_("Coproducer"),
    "leader": N_("Project leader"),
    "counsellor": N_("Confidential counsellor"),
    "admin": N_("Administrator"),
}

WEEKDAY_LABELS = {
    "monday": N_("Monday"),
    "tuesday": N_("Tuesday"),
    "wednesday": N_("Wednesday"),
    "thursday": N_("Thursday"),
    "friday": N_("Friday"),
    "saturday": N_("Saturday"),
    "sunday": N_("Sunday"),
}

TOPIC_ICONS = {
    "mental_health": ":material/psychology:",
    "money": ":material/euro:",
    "addiction": ":material/local_bar:",
    "violence": ":material/shield:",
    "housing": ":material/house:",
    "children": ":material/child_care:",
    "other": ":material/more_horiz:",
}

CHANNEL_ICONS = {
    "street": ":material/storefront:",
    "door": ":material/door_front:",
    "centre": ":material/diversity_3:",
    "phone": ":material/call:",
    "message": ":material/chat:",
    "other": ":material/more_horiz:",
}


ALERT_STATUS_LABELS = {
    "pending": N_("Pending"),
    "open": N_("Open"),
    "acknowledged": N_("Acknowledged"),
    "resolved": N_("Resolved"),
}

SEVERITY_LABELS = {
    "warning": N_("Warning"),
    "critical": N_("Critical"),
}

ALERT_EVENT_LABELS = {
    "pending": N_("Found, waiting to see if it lasts"),
    "opened": N_("Opened"),
    "reopened": N_("Opened again"),
    "acknowledged": N_("Acknowledged"),
    "resolved": N_("Resolved"),
    "discarded": N_("Gone before it opened"),
    "snoozed": N_("Snoozed"),
    "counsellor_prompted": N_("Counsellor asked to check in"),
}
