"""An alert in plain words, in the reader's language: the rule's title and its message with the numbers filled in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from monitor.alerts.lifecycle import AlertRow
from monitor.alerts.rules import BY_NAME
from monitor.i18n import format_date, format_money, format_number
from monitor.money.amounts import euros
from monitor.ui.labels import TOPIC_LABELS_WITH_OTHER
from monitor.ui.text import plain


class _Missing(dict[str, Any]):
    """Leaves an unknown {placeholder} as it is: a translation may name one the alert lacks."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def title(row: AlertRow, _: Callable[[str], str]) -> str:
    rule = BY_NAME.get(row.rule)
    return _(rule.title) if rule else row.rule


def rule_title(name: str, _: Callable[[str], str]) -> str:
    rule = BY_NAME.get(name)
    return _(rule.title) if rule else name


def message(row: AlertRow, _: Callable[[str], str], language: str, for_leader: bool = False) -> str:
    """The rule's message with the alert's parameters: numbers for the language, kinds of problem by name.

    Messages speak to the coproducer ("your hours"); for a leader, a rule may say it about them ("their hours").
    """
    rule = BY_NAME.get(row.rule)
    if rule is None:
        return row.rule
    params: dict[str, Any] = {}
    for key, value in row.message_params.items():
        if key.endswith("_cents") and isinstance(value, int):
            params[key] = format_money(euros(value), language)
        elif key.endswith("_month") and isinstance(value, str):
            params[key] = format_date(date.fromisoformat(f"{value}-01"), language, "MMMM yyyy")
        elif key.endswith("_label") and isinstance(value, str):
            params[key] = _(value)
        elif key == "topics" and isinstance(value, list):
            params[key] = ", ".join(_(TOPIC_LABELS_WITH_OTHER.get(t, t)) for t in value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            params[key] = format_number(value, language)
        elif isinstance(value, str):
            params[key] = plain(value)  # a name: shown as written, never as Markdown
        else:
            params[key] = value
    text = getattr(rule, "leader_message", rule.message) if for_leader else rule.message
    return _(text).format_map(_Missing(params))
