"""An alert in plain words, in the reader's language: the rule's title and its message with the numbers filled in."""

from __future__ import annotations

from collections.abc import Callable

from monitor.alerts.actions import AlertRow
from monitor.alerts.rules import BY_NAME
from monitor.messages.inbox import render
from monitor.ui.text import plain


def title(row: AlertRow, _: Callable[[str], str]) -> str:
    rule = BY_NAME.get(row.rule)
    return _(rule.title) if rule else row.rule


def rule_title(name: str, _: Callable[[str], str]) -> str:
    rule = BY_NAME.get(name)
    return _(rule.title) if rule else name


def message(row: AlertRow, _: Callable[[str], str], language: str, for_leader: bool = False) -> str:
    """The rule's message with the alert's parameters, made for the reader as the inbox makes it (plural forms,
    money, months, kinds of problem by name).

    Messages speak to the coproducer ("your hours"); for a leader, a rule may say it about them ("their hours").
    """
    rule = BY_NAME.get(row.rule)
    if rule is None:
        return row.rule
    text = getattr(rule, "leader_message", rule.message) if for_leader else rule.message
    return plain(render(text, row.message_params, language))  # names in it are shown as written, never as Markdown
