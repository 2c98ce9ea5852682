"""What a reader sees in their own format (issue 28): chart axes in their money, the monthly run's reference in their
words, weekday names as they stand in a sentence, dates on the WHO-5 chart with their month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from monitor.i18n import gettext_for, weekday_name
from monitor.ui.charts import money_axis
from monitor.ui.checkins.who5_chart import who5_chart
from monitor.ui.money.allowance_chart import year_chart
from monitor.ui.money.money_labels import reference_text


def test_the_allowance_axis_is_written_in_the_readers_money() -> None:
    months = [f"m{i}" for i in range(1, 13)]
    dutch = year_chart({1: 150000}, Decimal(2200), months, gettext_for("nl"), upto=1, language="nl")
    english = year_chart({1: 150000}, Decimal(2200), months, gettext_for("en"), upto=1, language="en")
    assert (dutch.layout.yaxis.tickprefix, dutch.layout.separators) == ("€\xa0", ",.")  # € 1.500
    assert (english.layout.yaxis.tickprefix, english.layout.separators) == ("€", ".,")  # €1,500
    assert dutch.layout.yaxis.title.text == "" and money_axis("nl")["tickformat"] == ",.0f"


def test_the_monthly_runs_reference_is_read_in_words() -> None:
    assert reference_text("allowance 2026-11", "nl", gettext_for("nl")) == "Vergoeding van november 2026"
    assert reference_text("allowance 2026-11", "en", gettext_for("en")) == "Allowance run of November 2026"
    assert reference_text("bank 12345", "nl", gettext_for("nl")) == "bank 12345"  # typed by a person: as typed


def test_a_weekday_in_a_sentence() -> None:
    assert (weekday_name(5, "nl"), weekday_name(5, "en")) == ("zaterdag", "Saturday")


def test_the_who5_dates_carry_their_month() -> None:
    figure = who5_chart([date(2026, 10, 27), date(2026, 11, 19)], [60, 48], "nl", gettext_for("nl"))
    assert list(figure.data[0].x) == ["27 okt 2026", "19 nov 2026"]
