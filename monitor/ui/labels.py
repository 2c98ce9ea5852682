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
