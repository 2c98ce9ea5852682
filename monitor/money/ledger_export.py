"""The payments ledger for the bookkeeper: an Excel workbook (or CSV) with one row per line, reversals included."""

from __future__ import annotations

from typing import Any

from monitor.money.ledger import PaymentRow
from monitor.requests.tables import to_csv, to_xlsx
from monitor.spreadsheets import formula_safe

COLUMNS = (
    "id",
    "paid_on",
    "period",
    "coproducer",
    "kind",
    "amount_eur",
    "reference",
    "receipt_reference",
    "topic",
    "reverses",
    "note",
    "recorded_by",
)


def rows(payments: list[PaymentRow]) -> list[dict[str, Any]]:
    """Amounts as exact Decimals (numbers in Excel), dates as ISO text, free text guarded against formulas."""
    return [
        {
            "id": p.id,
            "paid_on": p.paid_on.isoformat(),
            "period": p.period.isoformat()[:7],
            "coproducer": formula_safe(p.person_name),
            "kind": p.kind,
            "amount_eur": p.amount,
            "reference": formula_safe(p.reference),
            "receipt_reference": formula_safe(p.receipt_reference),
            "topic": p.topic or "",
            "reverses": p.reverses_id or "",
            "note": formula_safe(p.note),
            "recorded_by": formula_safe(p.recorded_by),
        }
        for p in sorted(payments, key=lambda p: (p.paid_on, p.id))
    ]


def to_file(payments: list[PaymentRow], fmt: str) -> bytes:
    table = rows(payments)
    if fmt == "csv":
        return to_csv([{**r, "amount_eur": f"{r['amount_eur']:.2f}"} for r in table], COLUMNS)
    return to_xlsx(table, COLUMNS, "payments")
