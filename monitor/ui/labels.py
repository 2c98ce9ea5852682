"""Translatable names for roles, topics and weekdays, shown wherever they appear."""

from __future__ import annotations

from monitor.i18n import N_

ROLE_LABELS = {
    "coproducer": N_("Coproducer"),
    "leader": N_("Project leader"),
    "counsellor": N_("Confidential counsellor"),
    "admin": N_("Administrator"),
}

TOPIC_LABELS = {
    "mental_health": N_("Mental health"),
    "money": N_("Money and debts"),
    "addiction": N_("Addiction"),
    "violence": N_("Violence and safety"),
    "housing": N_("Housing"),
    "children": N_("Children and parenting"),
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

TOPIC_LABELS_WITH_OTHER = {**TOPIC_LABELS, "other": N_("Something else")}

TOPIC_ICONS = {
    "mental_health": ":material/psychology:",
    "money": ":material/euro:",
    "addiction": ":material/local_bar:",
    "violence": ":material/shield:",
    "housing": ":material/house:",
    "children": ":material/child_care:",
    "other": ":material/more_horiz:",
}

CHANNEL_LABELS = {
    "street": N_("Street or shop"),
    "door": N_("At my door"),
    "centre": N_("Community centre"),
    "phone": N_("Phone"),
    "message": N_("Message"),
    "other": N_("Other"),
}

CHANNEL_ICONS = {
    "street": ":material/storefront:",
    "door": ":material/door_front:",
    "centre": ":material/diversity_3:",
    "phone": ":material/call:",
    "message": ":material/chat:",
    "other": ":material/more_horiz:",
}

LEVEL_LABELS = {
    "individual": N_("One person"),
    "group": N_("A group"),
    "system": N_("The neighbourhood"),
}

REFERRAL_LABELS = {
    "gp": N_("GP"),
    "social_worker": N_("Social worker"),
    "team_professionals": N_("The team's professionals"),
    "debt_help": N_("Debt help"),
    "police": N_("Police"),
    "none": N_("Nobody"),
    "other": N_("Someone else"),
}

OUTSIDE_REASON_LABELS = {
    "night": N_("at night"),
    "holiday": N_("on a public holiday"),
    "weekend": N_("at the weekend"),
    "day_off": N_("on your day off"),
    "evening": N_("after your hours"),
    "early": N_("before your hours"),
    "between": N_("between your hours"),
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
