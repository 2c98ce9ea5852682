"""The translation catalogs cover the code, keep their placeholders, and dates and money are formatted per language.

The extraction here is the one `make translations` runs (babel.cfg and scripts/babel_extractors.py), so a new
user-facing string fails this test until it has a Dutch translation.
"""

from __future__ import annotations

import configparser
import re
import string
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from monitor.errors import ValidationError
from monitor.i18n import LOCALE_DIR, format_date, format_datetime, format_money, format_number, gettext_for

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
UPDATE_SCRIPT = ROOT / "scripts" / "update_translations.sh"
LANGUAGES = ("nl", "en")
FIX = {
    "nl": "run `make translations` and translate them in monitor/locale/nl/LC_MESSAGES/messages.po",
    "en": "run `make translations` (it fills the English catalog from the msgids)",
}

MsgId = str | tuple[str, ...]


def _configured_keywords() -> list[str]:
    parser = configparser.RawConfigParser()
    parser.read(BABEL_CFG, encoding="utf-8")
    return parser.defaults()["keywords"].split()


def _catalog(language: str) -> Catalog:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"{path} is missing: run `make translations`"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _catalog_entries(language: str) -> list:
    return [message for message in _catalog(language) if message.id]


def _fields(text: str) -> list[str]:
    """The {placeholders} in text, in order; {{ and }} are literal braces, not placeholders."""
    return [field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field is not None]


@pytest.fixture(scope="module")
def extracted() -> dict[MsgId, list[str]]:
    """Every msgid in the code, with where it is used, extracted as babel.cfg says."""
    scripts = str(ROOT / "scripts")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(scripts)  # babel.cfg's extractor is scripts/babel_extractors.py
        with BABEL_CFG.open(encoding="utf-8") as handle:
            method_map, options_map = parse_mapping_cfg(handle, str(BABEL_CFG))
        keywords = {**DEFAULT_KEYWORDS, **parse_keywords(_configured_keywords())}
        found: dict[MsgId, list[str]] = {}
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=keywords
        ):
            found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def test_extraction_finds_the_marked_strings(extracted: dict[MsgId, list[str]]) -> None:
    # _() in home.py and pages, _() inside f-strings (login page, sign-out link), N_() labels, UserError messages.
    for msgid in (
        "Coproducer monitor",
        "Sign out",
        "Sign in",
        "Password",
        "Go to sign in",
        "My week",
        "Mental health",
        "You do not have access to this. Ask your project leader if you need it.",
        "That username and password do not match. Try again.",
    ):
        assert msgid in extracted, f"{msgid!r} was not extracted: check babel.cfg"
    assert not any(path.startswith((".venv", "tests")) for paths in extracted.values() for path in paths)


def test_update_script_uses_the_keywords_of_babel_cfg() -> None:
    script_keywords = re.findall(r"-k ([^\s)]+)", UPDATE_SCRIPT.read_text(encoding="utf-8"))
    assert script_keywords == _configured_keywords()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_is_translated(language: str, extracted: dict[MsgId, list[str]]) -> None:
    catalog = _catalog(language)
    missing = []
    for msgid, places in extracted.items():
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalog.get(key)
        if message is None:
            strings: tuple[str, ...] = ()
        else:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(f"  {key!r}  ({', '.join(places)})")
    assert not missing, f"{len(missing)} msgid(s) without a {language} translation; {FIX[language]}:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = []
    for message in _catalog_entries(language):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if len(ids) > 1:
            # Plural forms: the singular may leave out {count} ("once"), but no form may invent a placeholder.
            allowed = set(_fields(ids[0])) | set(_fields(ids[-1]))
            for text in strings:
                extra = sorted(set(_fields(text)) - allowed) if text else []
                if extra:
                    wrong.append(f"  {ids[0]!r} -> {text!r}: has {extra}, which the msgid does not")
            if strings and strings[-1] and sorted(set(_fields(strings[-1]))) != sorted(set(_fields(ids[-1]))):
                wrong.append(f"  {ids[-1]!r} -> {strings[-1]!r}: the plural form must keep {sorted(_fields(ids[-1]))}")
            continue
        expected = sorted(_fields(ids[0]))
        for text in strings:
            if not text:
                continue
            got = sorted(_fields(text))
            if got != expected:
                wrong.append(f"  {ids[0]!r} -> {text!r}: has {got}, needs {expected}")
    assert not wrong, f"placeholders differ from the msgid in the {language} catalog:\n" + "\n".join(wrong)


def test_english_catalog_repeats_the_msgid() -> None:
    differ = [m.id for m in _catalog_entries("en") if m.string and m.string != m.id]
    assert not differ, f"English msgstr should equal the msgid (the msgids are English): {differ}"


def test_gettext_translates_per_language() -> None:
    assert gettext_for("nl")("Sign out") == "Uitloggen"
    assert gettext_for("nl")("Sign in") == "Inloggen"
    assert gettext_for("nl")("Check-ins") == "Gesprekken"
    assert gettext_for("en")("Sign out") == "Sign out"
    assert gettext_for("en")("Check-ins") == "Check-ins"
    error = ValidationError("There is already a team called {name}.", name="Moerwijk")
    assert error.render(gettext_for("nl")) == "Er is al een team met de naam Moerwijk."
    assert error.render(gettext_for("en")) == "There is already a team called Moerwijk."


def test_dates_numbers_and_money_are_formatted_per_language() -> None:
    day = date(2025, 3, 4)
    assert format_date(day, "nl") == "4 mrt 2025"
    assert format_date(day, "nl", "long") == "4 maart 2025"
    assert format_date(day, "en") == "4 Mar 2025"
    assert format_date(day, "en", "long") == "4 March 2025"
    assert format_money(Decimal("1234.5"), "nl") == "€\xa01.234,50"
    assert format_money(Decimal("1234.5"), "en") == "€1,234.50"
    assert format_number(1234.5, "nl") == "1.234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    moment = datetime(2025, 3, 4, 12, 0, tzinfo=ZoneInfo("UTC"))
    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert format_datetime(moment, "nl", amsterdam, "short") == "04-03-2025, 13:00"
    assert format_datetime(moment, "en", amsterdam, "short") == "04/03/2025, 13:00"
