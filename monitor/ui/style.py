"""The app's Streamlit-specific CSS, kept in one place: touch targets of at least 44 px, a labelled menu button, and a
layout that fits a phone (390 x 844) without scrolling to reach Save.

Streamlit's data-testid attributes are the hooks; when a Streamlit upgrade renames one, the browser tests that measure
these sizes (tests/e2e/test_phone.py) fail.
"""

from __future__ import annotations

import html

import streamlit as st

TOUCH_CSS = """<style>
[data-testid="stButtonGroup"] button { min-height: 44px; padding-left: 14px; padding-right: 14px; }
[data-testid="stButtonGroup"] button p { font-size: 1rem; }
.stButton button, .stDownloadButton button, .stLinkButton a, .stFormSubmitButton button { min-height: 44px; }
</style>"""

# Every page: the menu button says "Menu" and is a 44 px target; menu entries and sign-out are 44 px high; controls a
# coproducer taps are at least 44 px; on a phone the title is smaller and the page starts higher, so that "Log a
# request" shows Save in the first screen.
FRAME_CSS = """<style>
[data-testid="stExpandSidebarButton"] {
  min-height: 44px; min-width: 44px; padding: 0 12px 0 6px; gap: 4px;
  border: 1px solid #276b4d; border-radius: 22px; background: #ffffff; color: #1f5c41;
}
[data-testid="stExpandSidebarButton"]::after { content: "__MENU__"; font-size: 1rem; font-weight: 600; color: #1f5c41; }
[data-testid="stExpandSidebarButton"] [data-testid="stIconMaterial"] { color: #1f5c41; }
[data-testid="stExpandSidebarButton"] [data-testid="stIconMaterial"] { font-size: 0; }
[data-testid="stExpandSidebarButton"] [data-testid="stIconMaterial"]::before {
  content: "menu"; font-size: 1.5rem; font-family: "Material Symbols Rounded";
}
[data-testid="stSidebarNavLink"] { min-height: 44px; align-items: center; }
[data-testid="stSidebarNavLink"] p { font-size: 1rem; }
[data-testid="stSidebarCollapseButton"] button { min-height: 44px; min-width: 44px; }
a.monitor-link {
  display: inline-flex; align-items: center; min-height: 44px; padding: 0 14px; border: 1px solid #276b4d;
  border-radius: 8px; color: #1f5c41; font-weight: 600; text-decoration: none;
}
[data-testid="stRadio"] label, [data-testid="stCheckbox"] label { min-height: 44px; align-items: center; }
[data-testid="stNumberInputStepUp"], [data-testid="stNumberInputStepDown"] { min-width: 44px; min-height: 44px; }
/* A chart's own toolbar (full screen, download) has 24 px buttons and nothing a reader needs: charts carry their
figures in words instead (monitor/ui/charts.py show). */
[data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"], [data-testid="stVegaLiteChart"])
  [data-testid="stElementToolbar"] { display: none; }
[data-testid="stNumberInput"] input, [data-testid="stTextInput"] input { min-height: 44px; }
[data-testid="stExpander"] summary { min-height: 44px; }
[data-testid="stSegmentedControl"] button, [data-testid="stButtonGroup"] button { min-height: 44px; }
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] { font-size: 0.95rem; }
[data-testid="stDateInput"] [role="spinbutton"], [data-testid="stTimeInput"] [role="spinbutton"] {
  display: inline-flex; min-width: 26px; min-height: 26px; align-items: center; justify-content: center;
}
[data-testid="stSelectbox"] [role="group"], [data-testid="stMultiSelect"] [role="group"],
[data-testid="stTimeInput"] [role="group"], [data-testid="stDateInputField"] { min-height: 44px; }
[data-testid="stDateInputCalendarButton"], [data-testid="stTextInputRootElement"] button {
  min-width: 44px; min-height: 44px; margin: -4px 0;
}
[data-testid="stTooltipIcon"] button {
  min-width: 44px; min-height: 44px; margin: -12px -14px; justify-content: center;
}
[data-testid="stTab"] { min-height: 44px; min-width: 44px; padding: 0 4px; }
[data-testid="stPageLink-NavLink"] { min-height: 44px; align-items: center; }
[data-testid="stFileUploaderDropzone"] button { min-height: 44px; }
/* Log a request after a save: the confirmation and its Undo in one green box, so that Save for the next request stays
in the first screen of a phone (tests/e2e/test_confirmations.py measures it). */
.st-key-saved-log { background: #e9f5ee; border-radius: 8px; padding: 0 12px 6px; gap: 0; }
.st-key-saved-log [data-testid="stAlert"] > div { background: transparent; padding: 6px 0 2px; }
/* The "link to this heading" icons are 16 px targets nobody here needs. */
[data-testid="stHeaderActionElements"] { display: none; }
[data-testid="stMain"] h2 { font-size: 1.6rem; }
/* The WHO-5 statement and answers (monitor/ui/checkins/who5_steps.py) in body-size text, not the buttons' small text */
.st-key-who5 p { font-size: 1.05rem; }
.monitor-bar { position: relative; height: 14px; border-radius: 7px; background: #e6e6e3; margin: 4px 0 10px; }
.monitor-bar > .fill { height: 100%; border-radius: 7px; background: #276b4d; }
.monitor-bar.over > .fill { background: #b3261e; }
.monitor-bar > .agreed { position: absolute; top: -4px; bottom: -4px; width: 3px; background: #111111; }
/* A table's toolbar (search, download, full screen) sits above its top edge: room for it, so it never covers the
control above the table (the person picker on Team requests, the tabs on Teams and people). */
[data-testid="stElementContainer"]:has(> [data-testid="stDataFrame"]) { margin-top: 2.75rem; }
/* Cards instead of a table on a phone (monitor/ui/cards.py). */
ul.monitor-cards { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
ul.monitor-cards > li {
  margin: 0; padding: 8px 12px; border: 1px solid #d6d6d3; border-left: 6px solid #276b4d; border-radius: 8px;
  background: #ffffff;
}
ul.monitor-cards > li.over { border-left-color: #b3261e; }
.monitor-card-title { margin: 0 0 4px; font-weight: 600; font-size: 1.05rem; }
ul.monitor-cards dl { display: flex; flex-wrap: wrap; gap: 2px 16px; margin: 0; padding: 0; }
ul.monitor-cards dl > div { display: flex; gap: 6px; }
ul.monitor-cards dt { color: #4a4a48; font-weight: 400; }
ul.monitor-cards dd { margin: 0; font-weight: 600; }
/* The marks at the start and end of each run (monitor/ui/run_marks.py) take no room. */
[data-testid="stElementContainer"]:has(.monitor-run) { display: none; }
@media (min-width: 641px) {
  [class*="st-key-narrow-"] { display: none !important; }
  /* Room above a table for its toolbar, which otherwise covered the bottom of the tabs or the control above. */
  [class*="st-key-wide-"] { padding-top: 0.75rem; }
}
@media (max-width: 640px) {
  [class*="st-key-wide-"] { display: none !important; }
  [data-testid="stMainBlockContainer"] { padding-top: 4rem; padding-bottom: 4rem; }
  [data-testid="stMain"] h1 { font-size: 1.75rem; padding-top: 0.25rem; padding-bottom: 0.25rem; }
  [data-testid="stMain"] h2 { font-size: 1.4rem; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
  [data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
  /* Log a request: Save stays at the bottom of a phone's screen while the form reaches below it (after a save, with
  "Earlier" or "Other..." open), so the next request is saved without scrolling; not while the details are open, where
  it would cover the choices being read. No padding: the controls above it stay at least 24 px uncovered. */
  .st-key-log-save { position: sticky; bottom: 0; z-index: 3; }
  [data-testid="stMain"]:has(.st-key-log-save) { scroll-padding-bottom: 56px; }  /* a focused field clears it */
  [data-testid="stMain"]:has(details[open]) .st-key-log-save { position: static; }
}
</style>"""


def touch_targets() -> None:
    st.html(TOUCH_CSS)


# Streamlit's "Press Ctrl+Enter to apply" and "Press Enter to submit form" mean nothing on a phone and are in English
# whatever the person's language; Streamlit has no setting for them, so they are hidden on every page (home.py).
NO_INPUT_HINTS_CSS = '<style>[data-testid="InputInstructions"] { display: none; }</style>'


def no_input_hints() -> None:
    st.html(NO_INPUT_HINTS_CSS)


def page_frame(menu_label: str) -> None:
    """The CSS every page shares; menu_label is the translated word on the menu button ("Menu")."""
    label = html.escape(menu_label).replace("\\", "").replace('"', "")
    st.html(FRAME_CSS.replace("__MENU__", label) + TOUCH_CSS)
