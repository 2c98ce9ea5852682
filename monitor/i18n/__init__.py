"""Translations (gettext catalogs managed with Babel) and locale-aware formatting of dates, numbers and money."""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
# The language a person picks, and the Babel locale that formats for them.
BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def N_(message: str) -> str:
    """Marks a string for extraction without translating it yet (translated where it is shown)."""
    return message


def Np_(singular: str, plural: str) -> str:  # noqa: N802 (a marker, like N_)
    """Marks a message with a plural form for extraction; returns the singular msgid, which is stored.

    Where it is shown, translate_count() finds the plural entry in the catalog and picks the form for the count.
    """
    return singular


def translate_count(message: str, language: str, n: float | None) -> str:
    """message in language, in the plural form for n when the catalog holds it as a plural entry (see Np_)."""
    catalog = translations(language)
    if n is not None and (message, 0) in getattr(catalog, "_catalog", {}):
        whole = int(n) if float(n).is_integer() else 2  # "1,5 uur", "1.5 hours": a fraction takes the plural
        return catalog.ngettext(message, message, whole)
    return catalog.gettext(message)


def counted(gettext: Callable[[str], str], message: str, n: float) -> str:
    """message (marked with Np_) translated by gettext's catalog in the plural form for n: what a page writes as
    counted(_, Np_("{count} request", "{count} requests"), count).format(count=count)."""
    catalog = getattr(gettext, "__self__", None)
    whole = int(n) if float(n).is_integer() else 2  # a fraction takes the plural, as in translate_count
    if catalog is not None and (message, 0) in getattr(catalog, "_catalog", {}):
        return catalog.ngettext(message, message, whole)
    return gettext(message)


@lru_cache(maxsize=8)
def translations(language: str) -> _gettext.NullTranslations:
    """The catalog for language, compiled in memory from its .po file so no build step can go stale."""
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_file.exists():
        return _gettext.NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext_for(language: str) -> Callable[[str], str]:
    return translations(language).gettext


def ngettext_for(language: str) -> Callable[[str, str, int], str]:
    return translations(language).ngettext


def babel_locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(language, language))


def weekday_name(weekday: int, language: str) -> str:
    """The name of a weekday (0 = Monday) as it stands in a sentence: "zaterdag" in Dutch, "Saturday" in English."""
    return str(get_day_names("wide", locale=babel_locale(language))[weekday])


def format_datetime(value: datetime, language: str, tz: ZoneInfo, fmt: str = "medium") -> str:
    return _format_datetime(value, format=fmt, tzinfo=tz, locale=babel_locale(language))


def format_date(value: date, language: str, fmt: str = "medium") -> str:
    return _format_date(value, format=fmt, locale=babel_locale(language))


def format_number(value: float | int | Decimal, language: str) -> str:
    return format_decimal(value, locale=babel_locale(language))


def format_money(amount: Decimal, language: str, currency: str = "EUR") -> str:
    return format_currency(amount, currency, locale=babel_locale(language))
