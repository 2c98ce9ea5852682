"""The money records' hash chain: what the app writes verifies, and every rewrite the database could not refuse (a
plain sqlite3 connection with the triggers dropped, the PostgreSQL table owner altering, disabling or dropping) is
found by `monitor ledger verify`, which names the entry. The daily check notes the heads and finds a chain rewritten
from the start or cut short since."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from db import ledger_chain
from db.engine import engine_for, reading
from db.migrate import downgrade, upgrade
from db.models import Notification, SecurityEvent
from monitor import cli, config
from monitor.config import Settings
from monitor.errors import PermissionDenied
from monitor.money import emergency_fund, integrity, ledger
from monitor.money.ledger import PaymentInput
from tests.conftest import TEST_NOTES_KEY
from tests.unit import factories

TODAY = date(2026, 6, 20)


def pay(engine: Engine, team: factories.Team, amount: str, kind: str = "allowance", **extra: object) -> int:
    data = PaymentInput(
        person_id=team.coproducer.person_id,
        kind=kind,
        period=date(2026, 5, 1),
        amount=Decimal(amount),
        paid_on=date(2026, 6, 2),
        reference="bank 2026-06",
        **extra,  # type: ignore[arg-type]
    )
    return ledger.record_payment(engine, team.leader, data, TODAY)


def books(engine: Engine, settings: Settings) -> dict[str, int]:
    """A small ledger written through the services: payments, a reversal, an emergency payment and fund entries."""
    team = factories.team(engine)
    ids = {"first": pay(engine, team, "150.00"), "wrong": pay(engine, team, "175.00")}
    ids["reversal"] = ledger.reverse_payment(engine, team.leader, ids["wrong"], "paid twice", TODAY)
    ids["emergency"] = pay(engine, team, "25.00", "emergency", topic="money")
    emergency_fund.top_up(engine, team.leader, team.id, Decimal("100.00"), date(2026, 6, 1))
    out = emergency_fund.pay_out(
        engine, settings, team.leader, team.id, Decimal("10.00"), date(2026, 6, 3), team.coproducer.person_id, "housing"
    )
    emergency_fund.reverse_entry(engine, team.leader, out, "counted twice", TODAY)
    ids["last"] = pay(engine, team, "20.00")
    return ids


@pytest.fixture
def point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Engine], None]]:
    """`monitor` pointed at a test's database."""
    urls = []

    def to(engine: Engine) -> None:
        urls.append(engine.url.render_as_string(hide_password=False))
        config_file = tmp_path / "config.toml"
        config_file.write_text("", encoding="utf-8")
        monkeypatch.setenv("MONITOR_CONFIG", str(config_file))
        monkeypatch.setenv("MONITOR_DATABASE_URL", urls[-1])
        config._cached.cache_clear()

    yield to
    for url in urls:
        engine_for(url).dispose()
    config._cached.cache_clear()


def verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["ledger", "verify"])
    out, err = capsys.readouterr()
    return code, out + err


def test_what_the_app_writes_verifies_on_both_databases(
    engine: Engine, settings: Settings, point: Callable[[Engine], None], capsys: pytest.CaptureFixture[str]
) -> None:
    books(engine, settings)
    point(engine)
    verdict = integrity.verify(engine)
    assert verdict.intact, [p.render() for p in verdict.problems]
    assert {table: n for table, (n, _head) in verdict.heads.items()} == {"payments": 5, "fund_entries": 4}
    code, said = verify(capsys)
    assert code == 0 and said.startswith("The money records are as the app wrote them (payments: 5 entries")


def test_the_migration_links_existing_rows_as_the_app_does(sqlite_engine: Engine, settings: Settings) -> None:
    books(sqlite_engine, settings)
    before = integrity.verify(sqlite_engine).heads
    downgrade(sqlite_engine, "0016", keys=[TEST_NOTES_KEY])
    upgrade(sqlite_engine, keys=[TEST_NOTES_KEY])
    after = integrity.verify(sqlite_engine)
    assert after.intact and after.heads == before


def test_only_administrators_see_the_check(engine: Engine) -> None:
    team = factories.team(engine)
    with pytest.raises(PermissionDenied):
        integrity.verify_for(engine, team.leader)


def plain(engine: Engine) -> sqlite3.Connection:
    """A plain sqlite3 connection, as `sqlite3 monitor.db` opens one: none of our engine's pragmas."""
    database = engine.url.database
    assert database
    engine.dispose()
    return sqlite3.connect(database)


def test_a_plain_sqlite_connection_that_drops_the_trigger_and_updates_an_amount_is_named(
    sqlite_engine: Engine, settings: Settings, point: Callable[[Engine], None], capsys: pytest.CaptureFixture[str]
) -> None:
    ids = books(sqlite_engine, settings)
    point(sqlite_engine)
    db = plain(sqlite_engine)
    with db:
        db.execute("DROP TRIGGER payments_no_update")
        db.execute("UPDATE payments SET amount_cents = 1 WHERE id = ?", (ids["first"],))
    db.close()

    code, said = verify(capsys)
    assert code == 1 and said.count("Error:") == 1 and "Traceback" not in said
    assert f"payments #{ids['first']} (2026-06-02, 0.01): no longer matches its hash" in said
    assert "the trigger payments_no_update is missing" in said


def test_a_forged_reversal_from_a_plain_sqlite_connection_is_named(
    sqlite_engine: Engine, settings: Settings, point: Callable[[Engine], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's attack: the -175.00 reversal replaced by +0.01, with its hash kept (the triggers dropped first, as
    only someone with the file can); the count stays, only the chain tells."""
    ids = books(sqlite_engine, settings)
    point(sqlite_engine)
    db = plain(sqlite_engine)
    columns = ", ".join(ledger_chain.FIELDS["payments"])
    with db:
        db.execute("DROP TRIGGER payments_no_replace")
        db.execute(
            f"INSERT OR REPLACE INTO payments ({columns}, chain_hash) SELECT {columns.replace('amount_cents', '1')}, "
            "chain_hash FROM payments WHERE reverses_id IS NOT NULL"
        )
        assert db.execute("SELECT count(*), sum(amount_cents) FROM payments").fetchone() == (5, 37001)
    db.close()
    code, said = verify(capsys)
    assert code == 1 and f"payments #{ids['reversal']} (2026-06-20, 0.01): no longer matches its hash" in said


def test_an_invented_reversal_linked_to_the_real_head_is_named(
    sqlite_engine: Engine, settings: Settings, point: Callable[[Engine], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """A new reversal of the last payment, inserted from a plain connection with the triggers in place, carrying the
    real head as its hash: only the hash the app computes would pass."""
    ids = books(sqlite_engine, settings)
    point(sqlite_engine)
    db = plain(sqlite_engine)
    columns = ", ".join(ledger_chain.FIELDS["payments"])
    with db:
        head = db.execute("SELECT chain_hash FROM payments ORDER BY id DESC LIMIT 1").fetchone()[0]
        db.execute(
            f"INSERT INTO payments ({columns}, chain_hash) SELECT id + 100, person_id, team_id, kind, period, "
            "-amount_cents, paid_on, reference, receipt_reference, topic, note, id, recorded_at, recorded_by, ? "
            "FROM payments WHERE id = ?",
            (head, ids["last"]),
        )
    db.close()
    code, said = verify(capsys)
    assert code == 1 and f"payments #{ids['last'] + 100} (2026-06-02, -20.00): no longer matches its hash" in said


def test_replace_is_refused_from_a_plain_sqlite_connection(sqlite_engine: Engine, settings: Settings) -> None:
    ids = books(sqlite_engine, settings)
    db = plain(sqlite_engine)
    columns = ", ".join(ledger_chain.FIELDS["payments"])
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute(
            f"REPLACE INTO payments ({columns}, chain_hash) SELECT {columns.replace('amount_cents', '1')}, "
            "chain_hash FROM payments WHERE id = ?",
            (ids["reversal"],),
        )
    db.rollback()
    with pytest.raises(sqlite3.DatabaseError, match="needs its chain hash"):
        db.execute(
            "INSERT INTO fund_entries (team_id, kind, amount_cents, on_date, recorded_at) "
            "SELECT team_id, 'topup', 1, on_date, recorded_at FROM fund_entries LIMIT 1"
        )
    db.close()
    assert integrity.verify(sqlite_engine).intact


@pytest.fixture
def postgres(postgres_engine: Engine) -> Iterator[Engine]:
    """The PostgreSQL test database, rebuilt afterwards: these tests alter and drop what the migrations made."""
    yield postgres_engine
    with postgres_engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(postgres_engine)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (
            ["ALTER TABLE payments ALTER COLUMN amount_cents TYPE bigint USING 1"],
            ["payments #{first} (2026-06-02, 0.01): no longer matches its hash", "changed to the type bigint"],
        ),
        (
            ["ALTER TABLE payments DISABLE TRIGGER USER", "UPDATE payments SET amount_cents = 1 WHERE id = {reversal}"],
            [
                "payments #{reversal} (2026-06-20, 0.01): no longer matches its hash",
                "the trigger payments_append_only is switched off",
            ],
        ),
        (
            [
                "DROP TRIGGER payments_append_only ON payments",
                "UPDATE payments SET amount_cents = 1 WHERE id = {reversal}",
            ],
            [
                "payments #{reversal} (2026-06-20, 0.01): no longer matches its hash",
                "the trigger payments_append_only is missing",
            ],
        ),
    ],
    ids=["alter-type", "disable-trigger", "drop-trigger"],
)
def test_the_postgresql_owner_rewriting_the_ledger_is_named(
    postgres: Engine,
    settings: Settings,
    point: Callable[[Engine], None],
    capsys: pytest.CaptureFixture[str],
    tamper: list[str],
    named: list[str],
) -> None:
    from tests.conftest import _truncate_all

    _truncate_all(postgres)
    ids = books(postgres, settings)
    with postgres.begin() as connection:  # the test database's role owns the tables: it can do all this
        for statement in tamper:
            connection.execute(text(statement.format(**ids)))
    point(postgres)
    code, said = verify(capsys)
    assert code == 1 and "Traceback" not in said
    for words in named:
        assert words.format(**ids) in said


def test_the_daily_check_notes_the_heads_and_finds_a_chain_rewritten_from_the_start(
    sqlite_engine: Engine, settings: Settings
) -> None:
    books(sqlite_engine, settings)
    noted = integrity.daily(sqlite_engine, settings, "test", now=datetime(2026, 6, 20, 4, tzinfo=UTC))
    assert noted is not None and noted.intact
    assert integrity.daily(sqlite_engine, settings, "test", now=datetime(2026, 6, 20, 5, tzinfo=UTC)) is None
    # Someone who knows the algorithm rewrites the first amount and every hash after it, so the chain holds together.
    db = plain(sqlite_engine)
    with db:
        db.execute("DROP TRIGGER payments_no_update")
        db.execute("UPDATE payments SET amount_cents = 1 WHERE id = (SELECT min(id) FROM payments)")
    db.close()
    with sqlite_engine.begin() as connection:
        previous = ledger_chain.GENESIS
        rows = connection.execute(
            text(f"SELECT {', '.join(ledger_chain.FIELDS['payments'])} FROM payments ORDER BY id")
        )
        fixed = []
        for row in rows.all():
            values = [*row[:4], date.fromisoformat(row[4]), row[5], date.fromisoformat(row[6]), *row[7:12]]
            values += [datetime.fromisoformat(row[12]).replace(tzinfo=UTC), row[13]]
            previous = ledger_chain.link(previous, "payments", values)
            fixed.append((previous, row[0]))
        for chain_hash, entry_id in fixed:
            connection.execute(
                text("UPDATE payments SET chain_hash = :h WHERE id = :i"), {"h": chain_hash, "i": entry_id}
            )
    with sqlite_engine.connect() as connection:
        walked = list(ledger_chain.walk(connection, "payments"))
    assert all(e.intact for e in walked)  # the chain alone no longer tells

    verdict = integrity.daily(sqlite_engine, settings, "test", now=datetime(2026, 6, 21, 4, tzinfo=UTC))
    assert verdict is not None and [p.render() for p in verdict.problems] == [
        f"payments #{walked[-1].id}: the chain up to this entry differs from the one checked on 2026-06-20: entries "
        "were rewritten.",
        "payments: the trigger payments_no_update is missing, so the database no longer refuses a rewrite.",
    ]
    with reading(sqlite_engine) as session:
        logged = session.execute(select(SecurityEvent.kind, SecurityEvent.detail).order_by(SecurityEvent.id)).all()
        told = session.scalars(select(Notification.message)).all()
    assert [kind for kind, _detail in logged] == ["ledger_checked", "ledger_broken"]
    assert logged[0].detail.startswith("payments 5 ") and "; fund_entries 4 " in logged[0].detail
    assert logged[1].detail.startswith(f"payments #{walked[-1].id}: the chain up to this entry differs")
    assert told == [integrity.CHANGED]  # the administrator of the test team


def test_concurrent_payments_never_fork_the_chain(engine: Engine, settings: Settings) -> None:
    """Eight leaders' sessions record payments at once: every entry links to the one before it, on both databases."""
    team = factories.team(engine)
    failures: list[BaseException] = []

    def record(n: int) -> None:
        try:
            for i in range(5):
                pay(engine, team, f"{n}.{i:02d}" if n else f"0.{i + 1:02d}")
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=record, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures and not any(thread.is_alive() for thread in threads)
    verdict = integrity.verify(engine)
    assert verdict.intact and verdict.heads["payments"][0] == 40
