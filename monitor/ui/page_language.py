"""The page's language for browsers and screen readers: `<html lang>` set to the reader's language.

Streamlit's index.html says lang="en" whatever the page is in, so a screen reader read Dutch pages with an English
voice. Streamlit has no setting for it; a few bytes of script in the page set it on every run (st.html runs it only
with unsafe_allow_javascript, and the language is one of the app's own codes, never text from a person).
"""

from __future__ import annotations

import json
import re

import streamlit as st

_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2})?$")


def body(language: str) -> str:
    """The script's text for one language; a code that is not a language tag is refused. The Content-Security-Policy
    allows it by its hash (app.py, scripts())."""
    if not _CODE.match(language):
        raise ValueError(f"not a language code: {language!r}")
    return f"document.documentElement.lang = {json.dumps(language)};"


def script(language: str) -> str:
    """The script that sets the document's language."""
    text = body(language)
    # The style hides the script's own (empty) element, so it takes no gap above the page's first line.
    return (
        "<style>[data-testid=stElementContainer]:has(script[data-monitor-lang]) { display: none; }</style>"
        f"<script data-monitor-lang>{text}</script>"
    )


def set_page_language(language: str) -> None:
    st.html(script(language), unsafe_allow_javascript=True)
