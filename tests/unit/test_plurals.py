"""Every message with a count takes the plural form Babel's rules give for that count, in Dutch and in English.

The messages are every entry of the catalogs. One that puts a number before a countable word ("{count} requests")
must be a plural entry (Np_ or ngettext), so that "1 hulpvragen" or "Wacht 1 seconden" cannot be written; each plural
entry is rendered with a count of 0, 1 and 2 and must pick the form Babel's plural rule names for that count, with the
word agreeing ("1 hulpvraag", "0 hulpvragen", "2 seconden").
"""

from __future__ import annotations

import re
import string

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from monitor.i18n import LOCALE_DIR, translate_count
from monitor.messages.inbox import render

LANGUAGES = ("nl", "en")
# Countable words, singular and plural, as they follow a number in each language ("uur" is both in Dutch).
WORDS = {
    "en": {
        "request": "requests",
        "day": "days",
        "week": "weeks",
        "month": "months",
        "year": "years",
        "minute": "minutes",
        "second": "seconds",
        "hour": "hours",
        "person": "people",
        "coproducer": "coproducers",
        "row": "rows",
        "problem": "problems",
        "night": "nights",
        "alert": "alerts",
        "payment": "payments",
        "time": "times",
        "answer": "answers",
        "check-in": "check-ins",
    },
    "nl": {
        "hulpvraag": "hulpvragen",
        "dag": "dagen",
        "week": "weken",
        "maand": "maanden",
        "minuut": "minuten",
        "seconde": "seconden",
        "persoon": "mensen",
        "coproducent": "coproducenten",
        "rij": "rijen",
        "regel": "regels",
        "fout": "fouten",
        "nacht": "nachten",
        "melding": "meldingen",
        "betaling": "betalingen",
        "gesprek": "gesprekken",
        "probleem": "problemen",
    },
}


# Duration labels of the quick-log and Log a request: the choices are fixed (monitor.requests.vocab.MINUTE_CHOICES),
# so "{hours} hour" only ever says 1 and "{hours} hours or more" only 2; test_the_fixed_durations_read_right checks it.
FIXED_COUNTS = {"{hours} hour", "{hours} hours or more"}


def _catalog(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _fields(text: str) -> list[str]:
    return [field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field]


def _counted_word(language: str) -> re.Pattern[str]:
    """A {placeholder} followed (maybe after one word such as "more") by a countable word."""
    words = sorted({w for pair in WORDS[language].items() for w in pair}, key=len, reverse=True)
    return re.compile(r"\{\w+\} (?:(?:more|fewer|less|meer|minder) )?(" + "|".join(map(re.escape, words)) + r")\b")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_number_before_a_countable_word_is_a_plural_entry(language: str) -> None:
    pattern = _counted_word(language)
    single = [
        message.id
        for message in _catalog(language)
        if message.id
        and not message.pluralizable
        and message.id not in FIXED_COUNTS
        and (pattern.search(message.id) if language == "en" else pattern.search(message.string or ""))
    ]
    assert not single, "write these with Np_ (or ngettext), so each count takes its own form:\n" + "\n".join(single)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("count", [0, 1, 2])
def test_every_counted_message_takes_babels_form_for_0_1_and_2(language: str, count: int) -> None:
    rule = Locale.parse(language).plural_form  # Babel's CLDR rule: "one" for 1, "other" for 0 and 2 in nl and en
    singular = {word for word in WORDS[language]} - set(WORDS[language].values())
    plural = set(WORDS[language].values()) - singular
    problems = []
    plural_entries = [m for m in _catalog(language) if m.id and m.pluralizable]
    assert len(plural_entries) >= 40
    for message in plural_entries:
        msgid = message.id[0]
        form = message.string[0] if rule(count) == "one" else message.string[1]
        assert translate_count(msgid, language, count) == form, msgid
        # The first number is the count the form follows (monitor.messages.inbox); the others are limits, shown as 5.
        # (A singular may say its count in words: "over the last week"; then the plural's field is the count.)
        numbers = [
            f for f in _fields(message.id[1]) if not f.endswith(("name", "date", "day", "period", "month", "how"))
        ]
        params = {field: "X" for field in _fields(form)} | {field: 5 for field in numbers} | {numbers[0]: count}
        text = render(msgid, params, language, plural=message.id[1], n=count)
        for number, word in re.findall(r"(?<![\d.,])(\d+) ([\w-]+)", text):
            if int(number) != count:
                continue
            if rule(count) == "one" and word in plural:
                problems.append(f"{text!r}: {number} {word}")
            if rule(count) != "one" and word in singular and word not in WORDS[language].values():
                problems.append(f"{text!r}: {number} {word}")
    assert not problems, "\n".join(problems)


def test_the_plurals_issue_28_found_are_right() -> None:
    night = "At most {count} request at night a week"
    assert render(night, {"count": 1}, "nl") == "Hoogstens 1 hulpvraag 's nachts per week"
    assert render(night, {"count": 3}, "nl") == "Hoogstens 3 hulpvragen 's nachts per week"
    wait = "Too many wrong passwords. Wait {n} second and try again."
    assert render(wait, {"n": 1}, "nl").startswith("Te vaak een verkeerd wachtwoord. Wacht 1 seconde ")
    assert render(wait, {"n": 2}, "en") == "Too many wrong passwords. Wait 2 seconds and try again."


def test_the_fixed_durations_read_right() -> None:
    from monitor.i18n import gettext_for
    from monitor.requests.vocab import MINUTE_CHOICES
    from monitor.web.quicklog_page import minutes_label

    assert MINUTE_CHOICES[-2:] == (60, 120)
    assert [minutes_label(gettext_for("en"), m) for m in (60, 120)] == ["1 hour", "2 hours or more"]
    assert [minutes_label(gettext_for("nl"), m) for m in (60, 120)] == ["1 uur", "2 uur of meer"]
