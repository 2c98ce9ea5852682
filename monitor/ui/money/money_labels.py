"""Translatable names for payments, allowances and the emergency fund, and money formatted for the reader."""

from __future__ import annotations

from monitor.i18n import N_, format_money
from monitor.money.amounts import euros

PAYMENT_KIND_LABELS = {
    "allowance": N_("Volunteer allowance"),
    "expense": N_("Expenses (with receipt)"),
    "emergency": N_("Emergency-fund payout"),
}

ALLOWANCE_KIND_LABELS = {
    "none": N_("No allowance"),
    "monthly": N_("Fixed amount per month"),
    "hourly": N_("Amount per hour"),
}

FUND_KIND_LABELS = {"topup": N_("Top-up"), "payout": N_("Payout")}


def money(cents: int, language: str) -> str:
    """An amount in cents as the reader writes euros, e.g. "€ 12,50" in Dutch."""
    return format_money(euros(cents), language)
