"""The Security page checks the money records on request and names the first entry changed outside the app, in
the administrator's language; it shows the last daily check."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal

from db.models import Role
from monitor.config import settings
from monitor.i18n import gettext_for
from monitor.money import integrity, ledger
from monitor.money.ledger import PaymentInput
from monitor.people.access import SYSTEM
from tests.pages.conftest import World, texts


def pay(world: World) -> int:
    coproducer = world.person_in(Role.COPRODUCER)
    data = PaymentInput(coproducer, "allowance", date(2026, 5, 1), Decimal("175.00"), date(2026, 5, 2), "bank")
    return ledger.record_payment(world.engine, SYSTEM, data, date(2026, 5, 2))


def test_an_intact_ledger_and_the_last_daily_check_are_shown(world: World) -> None:
    world.sign_in(world.person_in(Role.ADMIN))
    pay(world)
    integrity.daily(world.engine, settings(), "test", now=datetime(2026, 5, 3, 4, tzinfo=UTC))

    at = world.app("pages/security.py").run()
    assert not at.exception
    assert any(m.value.startswith("Last daily check, ") and "all as the app wrote it" in m.value for m in at.markdown)
    at.button(key="ledger-verify").click().run()
    assert texts(at.success) == ["All as the app wrote it. Payments: 1. Emergency fund entries: 0."]


def test_a_changed_amount_is_named_in_dutch(world: World) -> None:
    world.sign_in(world.person_in(Role.ADMIN, language="nl"))
    paid = pay(world)
    database = world.engine.url.database
    assert database
    world.engine.dispose()
    plain = sqlite3.connect(database)
    with plain:
        plain.execute("DROP TRIGGER payments_no_update")
        plain.execute("UPDATE payments SET amount_cents = 1 WHERE id = ?", (paid,))
    plain.close()

    at = world.app("pages/security.py").run()
    assert not at.exception
    _ = gettext_for("nl")
    at.button(key="ledger-verify").click().run()
    assert texts(at.error) == [_("The money records were changed outside the app. What differs:")]
    shown = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert shown[0] == (  # Markdown's characters escaped
        f"- betalingen \\#{paid} \\(02-05-2026, €\u00a00,01\\)\\: klopt niet meer met het controlegetal. Het is later "
        "veranderd, of een regel ervoor is weggehaald."
    )
    assert "beveiliging payments\\_no\\_update ontbreekt" in shown[1]
