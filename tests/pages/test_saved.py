"""AppTest for monitor.ui.saved, the one helper every form uses after a save: the confirmation where the form is, once,
with a script that scrolls it into view; the open tab kept; the form empty again."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from monitor.ui import saved
from tests.pages.conftest import confirmation, texts


def two_tabs_and_a_form() -> None:
    import streamlit as st

    from monitor.ui import saved
    from monitor.ui.failure import attempt

    first, second = saved.tabs(["First", "Second"], "demo-tab")
    with first:
        saved.show("first")
        st.write("first tab")
    with second:
        with st.form(form := saved.fresh("second"), border=False):
            st.text_input("Note", key=f"{form}-note")
            if st.form_submit_button("Save"):
                saved.confirm("second", "Saved in the second tab.")
        saved.show("second")
        if st.button("Add") and attempt(lambda: None, "Added.", lambda text: text, "second"):
            st.rerun()


def second_tab() -> AppTest:
    at = AppTest.from_function(two_tabs_and_a_form)
    at.session_state["demo-tab"] = "Second"  # the person opened the second tab
    return at.run()


def test_the_confirmation_stands_below_the_form_in_its_tab_and_the_tab_stays_open() -> None:
    at = second_tab()
    at.text_input(key="second-0-note").set_value("hello")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert confirmation(at, "second") == ("Second", ["Saved in the second tab."])
    assert confirmation(at, "first") == (None, [])
    assert at.session_state["demo-tab"] == "Second"
    scripts = [e.proto.body for e in at.get("html") if "scrollIntoView" in e.proto.body]
    # scrolled into view when out of sight: the script (one fixed text, for the CSP) reads the key from its mark
    assert len(scripts) == 1 and 'class="monitor-scroll" data-key="saved-second"' in scripts[0]
    assert scripts[0].endswith(f"<script>{saved.SCROLL_SCRIPT}</script>")


def test_the_confirmation_is_shown_once_and_the_form_starts_empty() -> None:
    at = second_tab()
    at.text_input(key="second-0-note").set_value("hello")
    at.get("form_submit_button")[0].click().run()
    assert [t.key for t in at.text_input] == ["second-1-note"]  # a fresh form
    assert at.text_input[0].value == ""
    at.run()
    assert texts(at.success) == []


def test_attempt_with_a_place_keeps_its_message_for_the_next_run() -> None:
    at = second_tab()
    [add] = [b for b in at.button if b.label == "Add"]
    add.click().run()
    assert not at.exception, at.exception
    assert confirmation(at, "second") == ("Second", ["Added."])
