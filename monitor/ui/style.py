"""Small style additions for use on a phone: touch targets of at least 44 px, as the platform guidelines advise."""

from __future__ import annotations

import streamlit as st

TOUCH_CSS = """<style>
[data-testid="stButtonGroup"] button { min-height: 44px; padding-left: 14px; padding-right: 14px; }
[data-testid="stButtonGroup"] button p { font-size: 1rem; }
.stButton button, .stDownloadButton button { min-height: 44px; }
</style>"""


def touch_targets() -> None:
    st.html(TOUCH_CSS)


# Streamlit's "Press Ctrl+Enter to apply" and "Press Enter to submit form" mean nothing on a phone and are in English
# whatever the person's language; Streamlit has no setting for them, so they are hidden on every page (home.py).
NO_INPUT_HINTS_CSS = '<style>[data-testid="InputInstructions"] { display: none; }</style>'


def no_input_hints() -> None:
    st.html(NO_INPUT_HINTS_CSS)
