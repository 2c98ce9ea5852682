"""An alert in plain words: numbers and kinds of problem in the reader's language, and "their" for a leader."""

from __future__ import annotations

from datetime import UTC, date, datetime

from monitor.alerts.actions import AlertRow
from monitor.i18n import gettext_for
from monitor.ui.alerts import alert_text
from monitor.ui.text import plain


def row(rule: str, value: float, threshold: float, **params: object) -> AlertRow:
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    return AlertRow(
        id=1,
        rule=rule,
        person_id=1,
        person_name="Fatima",
        team_id=1,
        window_start=date(2026, 11, 16),
        severity="warning",
        status="open",
        value=value,
        threshold=threshold,
        params=dict(params),
        first_seen_at=now,
        opened_at=now,
        acknowledged_at=None,
        resolved_at=None,
        note=None,
    )


def test_the_coproducer_reads_your_and_the_leader_reads_their() -> None:
    alert = row("outside_hours", 8, 3)
    en, nl = gettext_for("en"), gettext_for("nl")
    assert alert_text.message(alert, en, "en") == (
        "8 requests outside your hours in the last 7 days; the agreement is at most 3."
    )
    assert alert_text.message(alert, en, "en", for_leader=True).startswith("8 requests outside their hours")
    assert alert_text.message(alert, nl, "nl", for_leader=True).startswith("8 hulpvragen buiten hun uren")


def test_kinds_of_problem_are_named_in_the_readers_language() -> None:
    alert = row("topics_outside", 2, 0, topics=["violence", "addiction"])
    # Shown as Markdown, so it comes escaped (plain): a name in a message is never read as Markdown.
    assert alert_text.message(alert, gettext_for("nl"), "nl", for_leader=True) == plain(
        "2 hulpvragen in de laatste 7 dagen gingen over iets buiten hun afspraak. "
        "Het ging over: Geweld en veiligheid, Verslaving."
    )


def test_a_rule_without_leader_words_says_the_same_to_both() -> None:
    alert = row("night", 2, 1)
    en = gettext_for("en")
    assert alert_text.message(alert, en, "en") == alert_text.message(alert, en, "en", for_leader=True)
