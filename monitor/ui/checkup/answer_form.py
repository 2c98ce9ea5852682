"""The check-up's statements to answer, anonymously, in the six parts of the round that is open to the person."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monitor.checkup import rounds
from monitor.checkup.statements import DIMENSIONS, SCALE, SCALE_LABELS
from monitor.errors import UserError
from monitor.people.access import Actor
from monitor.ui.context import engine
from monitor.ui.failure import show_error


def answer_form(actor: Actor, statements: dict[int, str], saved: bool, _: Callable[[str], str]) -> bool:
    """statements: each statement's words by number; saved: the person just sent their answers (say thank you).
    True when the answers were saved now."""
    open_rounds = rounds.rounds_to_answer(engine(), actor)
    if saved:
        st.success(_("Thank you! Your answers are saved without your name."))
    if not open_rounds:
        st.write(_("There is no check-up for you to answer now."))
        return False
    current = open_rounds[0]
    st.write(_("Say how much you agree with each statement. Nobody sees who answered what, also not your leader."))
    with st.form(f"checkup-{current.id}"):
        answers = {}
        for dimension in DIMENSIONS:
            st.header(_(dimension.title))
            for item in dimension.items:
                answers[item] = st.radio(
                    f"{item}. {statements[item]}",
                    SCALE,
                    index=None,
                    format_func=lambda v: _(SCALE_LABELS[v]),
                    key=f"s{item}",
                )
        sent = st.form_submit_button(_("Send my answers"), type="primary")
    if not sent:
        return False
    try:
        given = {item: value for item, value in answers.items() if value is not None}
        rounds.answer(engine(), actor, current.id, given)
    except UserError as error:
        show_error(error, _)
        return False
    return True
