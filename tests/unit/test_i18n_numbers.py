"""Amounts, hours and counts are read as people write them and shown in their language, and never scaled silently."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.errors import ValidationError
from monitor.i18n.numbers import format_amount, format_count, format_hours, format_money, parse_amount, parse_number

LANGUAGES = ("nl", "en")
amounts = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=2, allow_nan=False)
languages = st.sampled_from(LANGUAGES)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("12,50", "nl", "12.50"),
        ("12.50", "nl", "12.50"),
        ("€ 12,50", "nl", "12.50"),
        ("€12.50", "en", "12.50"),
        ("12,50", "en", "12.50"),
        ("1.250,00", "nl", "1250.00"),
        ("1,250.00", "en", "1250.00"),
        ("1.250.000", "nl", "1250000.00"),
        ("25", "nl", "25.00"),
        ("0,5", "nl", "0.50"),
        (" 8 ", "en", "8.00"),
    ],
)
def test_it_reads_amounts_as_people_write_them(text: str, language: str, expected: str) -> None:
    reading = parse_amount(text, language)
    assert reading.value == Decimal(expected)
    assert not reading.ambiguous


def test_an_ambiguous_entry_is_read_the_persons_way_and_marked_for_confirmation() -> None:
    assert parse_amount("1.250", "nl").value == Decimal("1250")
    assert parse_amount("1.250", "nl").ambiguous
    assert parse_amount("1,250", "en").value == Decimal("1250")
    assert parse_amount("1,250", "en").ambiguous
    # the other language's separator before three digits: read as the decimal it is here, and echoed back too
    assert parse_amount("1,250", "nl").value == Decimal("1.25")
    assert parse_amount("1,250", "nl").ambiguous


@pytest.mark.parametrize("text", ["", "twaalf", "12,5,0", "1.2.3", "12,505", "€", "1,25.0,0", "--3"])
def test_it_refuses_what_is_not_an_amount_with_a_message(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text, "nl")
    assert "12,50" in caught.value.render(lambda s: s)


@pytest.mark.parametrize(
    ("language", "money", "hours", "count"),
    [("nl", "€\xa040,00", "15,7", "8"), ("en", "€40.00", "15.7", "8")],
)
def test_it_shows_money_hours_and_counts_per_language(language: str, money: str, hours: str, count: str) -> None:
    assert format_money(Decimal(40), language) == money
    assert format_hours(15.7, language) == hours
    assert format_hours(8.0, language) == "8"
    assert format_count(8.0, language) == count


@given(amounts, languages)
def test_a_formatted_amount_reads_back_exactly(amount: Decimal, language: str) -> None:
    assert parse_amount(format_money(amount, language), language).value == amount
    assert parse_amount(format_amount(amount, language), language).value == amount


@given(st.integers(min_value=0, max_value=999_999), st.integers(min_value=0, max_value=99), languages)
def test_no_input_is_scaled(whole: int, cents: int, language: str) -> None:
    """Euros and cents written with either separator, with or without the euro sign, give exactly those euros."""
    expected = Decimal(whole) + Decimal(cents) / 100
    for separator in (",", "."):
        for text in (f"{whole}{separator}{cents:02d}", f"€ {whole}{separator}{cents:02d}"):
            reading = parse_amount(text, language)
            assert reading.value == expected, text
            assert not reading.ambiguous


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999), languages)
def test_a_separator_before_three_digits_is_always_echoed_back(whole: int, part: int, language: str) -> None:
    for separator in (",", "."):
        text = f"{whole}{separator}{part:03d}"
        try:
            reading = parse_amount(text, language)
        except ValidationError:
            continue  # read as three decimals: refused, never rounded
        assert reading.ambiguous
        assert reading.value in (Decimal(whole * 1000 + part), Decimal(whole) + Decimal(part) / 1000)


@given(st.decimals(min_value=Decimal(0), max_value=Decimal(10000), places=1, allow_nan=False), languages)
def test_formatted_hours_read_back(hours: Decimal, language: str) -> None:
    assert parse_number(format_hours(hours, language), language).value == hours
