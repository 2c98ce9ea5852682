"""The names of the codes the app stores (kinds of problem, channels, reasons, levels, referrals), as msgids.

Messages are stored with codes and rendered for their reader (monitor.messages.inbox), and the pages show the same
names (monitor.ui.labels imports them from here), so a code word never reaches a person.
"""

from __future__ import annotations

from monitor.i18n import N_

TOPIC_LABELS = {
    "mental_health": N_("Mental health"),
    "money": N_("Money and debts"),
    "addiction": N_("Addiction"),
    "violence": N_("Violence and safety"),
    "housing": N_("Housing"),
    "children": N_("Children and parenting"),
}

CHANNEL_LABELS = {
    "street": N_("Street or shop"),
    "door": N_("At my door"),
    "centre": N_("Community centre"),
    "phone": N_("Phone"),
    "message": N_("Message"),
    "other": N_("Other"),
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

# The same reasons as a leader reads them about a coproducer ("after their hours", not "after your hours").
LEADER_OUTSIDE_REASON_LABELS = {
    **OUTSIDE_REASON_LABELS,
    "day_off": N_("on their day off"),
    "evening": N_("after their hours"),
    "early": N_("before their hours"),
    "between": N_("between their hours"),
}

TOPIC_LABELS_WITH_OTHER = {**TOPIC_LABELS, "other": N_("Something else")}

# Which table names a param holding a code, by the param's name.
CODE_LABELS: dict[str, dict[str, str]] = {
    "topic": TOPIC_LABELS_WITH_OTHER,
    "topics": TOPIC_LABELS_WITH_OTHER,
    "channel": CHANNEL_LABELS,
    "reason": OUTSIDE_REASON_LABELS,
    "level": LEVEL_LABELS,
    "referred_to": REFERRAL_LABELS,
}
