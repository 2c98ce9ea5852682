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
