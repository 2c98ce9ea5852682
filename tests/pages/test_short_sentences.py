"""Plain words on the coproducer's pages: no sentence a coproducer reads is longer than 15 words, in Dutch or English.

Each page a coproducer opens is rendered for the demo's Fatima (over her agreement, with alerts, payments and
training) at a pinned moment; every text on it (titles, paragraphs, notices, captions, widget labels and help) is split
into sentences and the words counted. Names of things the app did not write (a training's name, a statement of the
check-up) count too: they are on the page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from streamlit.testing.v1 import AppTest

from db.models import Role
from monitor.ui.navigation import PAGES
from tests.pages.conftest import World
from tests.pages.demo_world import load_demo

MAX_WORDS = 15
COPRODUCER_PAGES = [spec.path for spec in PAGES if not spec.roles or Role.COPRODUCER in spec.roles]
# A sentence ends at . ! ? or ; (a colon does not end one: "Download alles ...: een Excel-bestand ..." is one); the
# parts of a line such as "ma 7 dec · 30 min · Aan mijn deur" are separate.
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|\s·\s")
WORD = re.compile(r"[\w'’€-]+")
MARKUP = re.compile(r":material/\w+:|:\w+-badge\[|:\w+\[|[*_`#>\]\[]|<[^>]+>")


def _texts(at: AppTest) -> list[str]:
    """Every text the page shows, in words."""
    found: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error"):
        found += [str(element.value) for element in getattr(at, kind)]
    widgets: list[Any] = [
        *at.button,
        *at.checkbox,
        *at.toggle,
        *at.radio,
        *at.selectbox,
        *at.text_input,
        *at.text_area,
        *at.number_input,
        *at.date_input,
    ]
    for widget in widgets:
        found += [str(widget.label)] + ([str(widget.help)] if getattr(widget, "help", None) else [])
    found += [str(tab.label) for tab in at.tabs]
    found += [str(expander.label) for expander in at.expander]
    return found


def long_sentences(texts: list[str]) -> list[str]:
    long = []
    for text in texts:
        for sentence in SENTENCE_END.split(MARKUP.sub(" ", text)):
            if len(WORD.findall(sentence)) > MAX_WORDS:
                long.append(f"({len(WORD.findall(sentence))}) {sentence.strip()}")
    return long


def test_the_counting_splits_sentences_and_counts_words() -> None:
    assert long_sentences(["Een twee drie. " + "woord " * 16]) == [f"(16) {('woord ' * 16).strip()}"]
    assert long_sentences(["**Uren deze week**: 13 van 8"]) == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_sentence_on_a_coproducers_page_is_longer_than_15_words(
    world: World, time_machine: time_machine.TimeMachineFixture, language: str
) -> None:
    ids = load_demo(world, time_machine, language)
    world.sign_in(ids["fatima"])
    at = world.app().run()
    problems = []
    assert COPRODUCER_PAGES, "the coproducer has pages"
    for page in COPRODUCER_PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        problems += [f"{page}: {sentence}" for sentence in long_sentences(_texts(at))]
    assert not problems, "\n".join(problems)
