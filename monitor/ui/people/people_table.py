"""Everyone on the administrator's page: cards on a phone, a table on a wider screen."""

from __future__ import annotations

from collections.abc import Callable

from monitor.people.accounts import PersonRow
from monitor.ui import cards
from monitor.ui.labels import ROLE_LABELS


def people_table(persons: list[PersonRow], _: Callable[[str], str]) -> None:
    role_text = {p.id: "; ".join(f"{_(ROLE_LABELS[r])} ({team})" for team, r in p.roles) for p in persons}
    narrow, wide = cards.narrow_and_wide("people")
    cards.show_cards(
        narrow,
        [
            cards.Card(
                p.display_name,
                [
                    (_("Username"), p.username),
                    (_("Roles"), role_text[p.id]),
                    (_("Active"), _("Yes") if p.active else _("No")),
                ],
                over=not p.active,
            )
            for p in persons
        ],
        _("People"),
    )
    wide.dataframe(
        [
            {
                _("Name"): p.display_name,
                _("Username"): p.username,
                _("Roles"): role_text[p.id],
                _("Active"): p.active,
            }
            for p in persons
        ],
        hide_index=True,
        width="stretch",
    )
