"""Every kind of notification, rendered for a Dutch and an English reader, names things in words and counts right.

The messages are the real definitions (the rules, the digest, check-ins, training reminders, the emergency fund),
with the parameters they are stored with: codes, cents, ISO dates. A code word, an unfilled {placeholder} or a
"1 requests" in the result fails the test.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from monitor.alerts import digest
from monitor.alerts.rules import BY_NAME
from monitor.alerts.rules.allowance_hourly import ADULT_LABEL
from monitor.alerts.rules.allowance_month import ALONE_LABEL
from monitor.alerts.rules.base import days_param
from monitor.alerts.rules.long_average import IN_7_DAYS
from monitor.checkins.opening import REASONS
from monitor.messages.inbox import render
from monitor.messages.words import CODE_LABELS
from monitor.training.reminders import LEADER_MESSAGE, SELF_MESSAGE

CODES = {code for names in CODE_LABELS.values() for code in names} | set(BY_NAME)
# In English some codes are ordinary words ("night", "phone"); those with an underscore never are.
CODE_WORDS = {"nl": CODES, "en": {code for code in CODES if "_" in code}}
PLURAL_AFTER_ONE = {
    "en": re.compile(r"(?<![\d.,])1 (requests|hours|days|weeks|months|problems)\b"),
    "nl": re.compile(r"(?<![\d.,])1 (hulpvragen|dagen|weken|maanden|problemen)\b"),
}


def _rule_params(count: int) -> dict[str, Any]:
    """The parameters a rule's alert carries (monitor.alerts.rules.*), with count as its value."""
    return {
        "value": count,
        "threshold": 2,
        "days": days_param(count),
        "hours": count,
        "average": 0.5,
        "topics": ["mental_health", "children"],
        "trainings": "Omgaan met agressie",
        "period_month": "2026-03",
        "missing_cents": 21000,
        "amount_cents": 600,
        "paid_cents": 120000,
        "expected_cents": 110000,
        "maximum_cents": 575,
        "scope_label": ALONE_LABEL,
        "age_label": ADULT_LABEL,
        "period": {"msgid": IN_7_DAYS, "params": {}},
        "rest": "10:59",
        "day": "2026-03-14",
        "night_from": "23:00",
        "night_until": "06:00",
    }


def _kinds(count: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(what, msgid, params) for every notification the app stores."""
    kinds: list[tuple[str, str, dict[str, Any]]] = []
    for name, rule in sorted(BY_NAME.items()):
        kinds.append((f"alert {name}", rule.message, _rule_params(count)))
        if hasattr(rule, "leader_message"):
            kinds.append((f"alert {name} (leader)", rule.leader_message, _rule_params(count)))
        kinds.append((f"alert {name} to leader", "{name}: {title}.", {"name": "Fatima", "title": rule.title}))
    kinds.append(("digest", digest.MESSAGE, digest._params({"night": count, "hours_over": 1, "topics_outside": 2})))
    for code, (msgid, _urgency) in REASONS.items():
        why = {"msgid": msgid, "params": {"title": BY_NAME["night"].title, "weeks": count, "day": "2026-03-14"}}
        kinds.append((f"check-in {code}", "{name} may need a check-in: {why}.", {"name": "Fatima", "why": why}))
    training = {"training": "EHBO", "until_date": "2026-05-01", "days": count, "name": "Fatima"}
    kinds.append(("training reminder", SELF_MESSAGE, training))
    kinds.append(("training reminder (leader)", LEADER_MESSAGE, training))
    kinds.append(
        ("fund low", "The emergency fund is low: {balance_cents} left. Top it up in time.", {"balance_cents": 4000})
    )
    return kinds


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("count", [1, 3])
def test_every_notification_is_rendered_in_words_for_its_reader(language: str, count: int) -> None:
    problems = []
    for what, msgid, params in _kinds(count):
        text = render(msgid, params, language)
        words = set(re.findall(r"[a-z_]+", text))
        if found := sorted(words & CODE_WORDS[language]):
            problems.append(f"{what}: code words {found} in {text!r}")
        if "{" in text or "_cents" in text or "_label" in text:
            problems.append(f"{what}: a placeholder left in {text!r}")
        if match := PLURAL_AFTER_ONE[language].search(text):
            problems.append(f"{what}: {match.group(0)!r} in {text!r}")
        if language == "nl" and re.search(r"\d\.\d\d\b", text):
            problems.append(f"{what}: a decimal point in Dutch in {text!r}")
    assert not problems, "\n".join(problems)


def test_money_and_counts_are_written_the_readers_way() -> None:
    params = {"balance_cents": 4000}
    message = "The emergency fund is low: {balance_cents} left. Top it up in time."
    assert "€\xa040,00" in render(message, params, "nl")
    assert "€40.00" in render(message, params, "en")
    night = BY_NAME["night"].message
    assert render(night, _rule_params(1), "en").startswith("1 request at night")
    assert render(night, _rule_params(3), "nl").startswith("3 hulpvragen 's nachts")
    assert "8 uur" in render(BY_NAME["hours_over"].message, _rule_params(8) | {"hours": 8.0}, "nl")
