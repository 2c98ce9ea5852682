"""Numbers as people write them: one parser and one formatter for amounts, hours and counts, in the reader's language.

A Dutch person writes "12,50" and an English one "12.50"; both are read as twelve euros fifty whatever the language,
because a separator followed by one or two digits can only be a decimal one. Only a single separator followed by
exactly three digits ("1.250", "1,250") can be either: it is read the way the person's language writes it and marked
ambiguous, so the page can echo it back ("€ 1.250,00 — klopt dat?") before saving. Nothing is ever scaled silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal, get_decimal_symbol

from monitor.errors import ValidationError
from monitor.i18n import N_, babel_locale

CENT = Decimal("0.01")
# What people type around a number: the euro sign or code, spaces (also the no-break ones Babel writes), a plus.
_NOISE = re.compile(r"(?i)€|eur|euro|[\s\u00a0\u202f+']")
_NUMBER = re.compile(r"^-?[0-9][0-9.,]*$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:[.,][0-9]{3})+$")


@dataclass(frozen=True)
class Reading:
    """A number read from a person's text; ambiguous when it could also have meant something else."""

    value: Decimal
    ambiguous: bool = False


def _invalid(example: str) -> ValidationError:
    return ValidationError(N_("Write a number, for example {example}."), example=example)


def _group_separator(language: str) -> str:
    return "," if get_decimal_symbol(babel_locale(language)) == "." else "."


def parse_number(text: str, language: str) -> Reading:
    """A number from text as a person writes it in language (see the module docstring for the rules)."""
    example = format_decimal(Decimal("12.5"), locale=babel_locale(language))
    cleaned = _NOISE.sub("", text or "").replace("\u2212", "-")
    if not _NUMBER.match(cleaned):
        raise _invalid(example)
    sign, digits = ("-", cleaned[1:]) if cleaned.startswith("-") else ("", cleaned)
    separators = [c for c in digits if c in ".,"]
    ambiguous = False
    if not separators:
        whole, fraction = digits, ""
    elif len(set(separators)) == 2:
        # both kinds: the last one is the decimal separator, the others group thousands
        decimal_sep = digits[max(digits.rfind("."), digits.rfind(","))]
        whole, fraction = digits.rsplit(decimal_sep, 1)
        if decimal_sep in whole or not _GROUPED.match(whole):
            raise _invalid(example)
        whole = whole.replace(".", "").replace(",", "")
    elif len(separators) > 1:
        # one kind, several times: thousands only ("1.250.000")
        if not _GROUPED.match(digits):
            raise _invalid(example)
        whole, fraction = digits.replace(".", "").replace(",", ""), ""
    else:
        whole, fraction = digits.split(separators[0])
        if len(fraction) == 3 and whole and whole != "0" and len(whole) <= 3:
            # "1.250": thousands or a decimal? Read it the person's way, and let them confirm.
            ambiguous = True
            if separators[0] == _group_separator(language):
                whole, fraction = whole + fraction, ""
    if not whole or not whole.isdigit() or (fraction and not fraction.isdigit()):
        raise _invalid(example)
    try:
        value = Decimal(f"{sign}{whole}.{fraction or '0'}")
    except InvalidOperation:
        raise _invalid(example) from None
    return Reading(value + 0, ambiguous)  # + 0 turns -0 into 0


def parse_amount(text: str, language: str) -> Reading:
    """Euros from text ("12,50", "€ 12.50", "1.250,00"); at most two decimals, never rounded."""
    try:
        reading = parse_number(text, language)
    except ValidationError:
        raise ValidationError(
            N_("Write an amount in euros, for example {example}."), example=format_amount(Decimal("12.50"), language)
        ) from None
    if reading.value != reading.value.quantize(CENT):
        raise ValidationError(
            N_("Write an amount with at most two numbers after the comma, for example {example}."),
            example=format_amount(Decimal("12.50"), language),
        )
    return Reading(reading.value.quantize(CENT), reading.ambiguous)


def format_money(amount: Decimal | int | float, language: str) -> str:
    """Euros as the reader writes them: "€ 40,00" in Dutch, "€40.00" in English."""
    return format_currency(Decimal(str(amount)), "EUR", locale=babel_locale(language))


def format_amount(amount: Decimal | int | float, language: str) -> str:
    """Euros without the sign, for an input field: "12,50" in Dutch, "12.50" in English."""
    return format_decimal(Decimal(str(amount)).quantize(CENT), format="#,##0.00", locale=babel_locale(language))


def format_hours(hours: Decimal | int | float, language: str) -> str:
    """Hours with at most one decimal and none when whole: "15,7", "8"."""
    return format_decimal(Decimal(str(hours)), format="#,##0.#", locale=babel_locale(language))


def format_count(count: int | float, language: str) -> str:
    """A count or a quantity; whole numbers without ".0", others with at most one decimal."""
    return format_decimal(Decimal(str(count)), format="#,##0.#", locale=babel_locale(language))
