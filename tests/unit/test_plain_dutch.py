"""Plain Dutch (B1) for coproducers: no sentence of a Dutch message shown to them is longer than 20 words.

Many coproducers do not read Dutch easily, so the catalogue aims at 15 words a sentence; 20 is where this test stops
a long one. Which messages coproducers see is read from the catalogue's locations: their pages, the forms on them,
and the messages the rules and reminders send them.
"""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from monitor.i18n import LOCALE_DIR

MAX_WORDS = 20
COPRODUCER_FILES = {
    "home.py",
    "pages/account.py",
    "pages/inbox.py",
    "pages/log_request.py",
    "pages/my_allowance.py",
    "pages/my_requests.py",
    "pages/my_training.py",
    "pages/my_week.py",
    "pages/talk.py",
    "monitor/ui/requests/request_form.py",
    "monitor/ui/requests/import_panel.py",
    "monitor/ui/labels.py",
    "monitor/messages/words.py",
    "monitor/checkins/who5.py",
    "monitor/training/reminders.py",
    "monitor/alerts/rules/base.py",
    "monitor/alerts/rules/beyond_role.py",
    "monitor/alerts/rules/hours_over.py",
    "monitor/alerts/rules/night.py",
    "monitor/alerts/rules/no_rest_day.py",
    "monitor/alerts/rules/outside_hours.py",
    "monitor/alerts/rules/outside_training.py",
    "monitor/alerts/rules/rising_load.py",
    "monitor/alerts/rules/topics_outside.py",
    "monitor/alerts/rules/short_rest.py",
    "monitor/alerts/rules/long_average.py",
    "monitor/alerts/rules/minor_at_night.py",
    "monitor/requests/log.py",
    "monitor/requests/importing.py",
    "monitor/checkins/wellbeing.py",
}
# A sentence ends at . ! ? or ; followed by a space or the end; a placeholder counts as one word.
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
WORD = re.compile(r"\{[^}]*\}|[\w'’-]+")


def _coproducer_messages() -> list[tuple[str, str]]:
    with (LOCALE_DIR / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    found = []
    for message in catalog:
        if not message.id or not {path for path, _line in message.locations} & COPRODUCER_FILES:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [(message.id if isinstance(message.id, str) else message.id[0], text) for text in strings if text]
    return found


def test_the_list_of_coproducer_messages_is_not_empty() -> None:
    assert len(_coproducer_messages()) > 100


def test_no_dutch_sentence_shown_to_coproducers_is_over_20_words() -> None:
    long = []
    for msgid, text in _coproducer_messages():
        for sentence in SENTENCE_END.split(text):
            words = WORD.findall(sentence)
            if len(words) > MAX_WORDS:
                long.append(f"{len(words)} words: {sentence!r} (msgid {msgid!r})")
    assert not long, "Shorten these sentences in monitor/locale/nl/LC_MESSAGES/messages.po:\n" + "\n".join(long)
