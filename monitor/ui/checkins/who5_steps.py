"""The WHO-5 questions one at a time, each answer a large button: on a phone, one statement with six buttons is clearer
than five rows of six small options, and every answer is a 44 px target."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monitor.checkins import who5

STEP = "who5_step"  # the statement shown (0-4), len(who5.ITEMS) once all are answered; absent before starting
ANSWERS = "who5_answers"
COUNT = len(who5.ITEMS)


def reset() -> None:
    """Forget the answers given so far (after saving, or "Not now")."""
    st.session_state.pop(STEP, None)
    st.session_state.pop(ANSWERS, None)


def _go(step: int) -> None:
    st.session_state[STEP] = step
    st.session_state.setdefault(ANSWERS, [None] * COUNT)


def _answer(step: int, value: int) -> None:
    answers = st.session_state.setdefault(ANSWERS, [None] * COUNT)
    answers[step] = value
    st.session_state[STEP] = step + 1


def questions(_: Callable[[str], str]) -> list[int] | None:
    """A start button, then each statement with its six answers, then Save; returns the five answers on Save."""
    step = st.session_state.get(STEP)
    if step is None:
        st.button(
            _("Answer the five questions"),
            type="primary",
            icon=":material/favorite:",
            width="stretch",
            on_click=_go,
            args=(0,),
        )
        return None
    answers: list[int | None] = st.session_state.setdefault(ANSWERS, [None] * COUNT)
    box = st.container(key="who5")
    if step < COUNT:
        box.caption(_("Question {number} of {count}").format(number=step + 1, count=COUNT))
        box.markdown(f"{_(who5.INTRO)}  \n**{_(who5.ITEMS[step])}**")
        for value, label in who5.SCALE:
            chosen = answers[step] == value
            box.button(
                _(label),
                key=f"who5-{step}-{value}",
                type="primary" if chosen else "secondary",
                icon=":material/check:" if chosen else None,
                width="stretch",
                on_click=_answer,
                args=(step, value),
            )
    else:
        box.write(_("You answered all five questions. Save them, or go back to change one."))
        if box.button(_("Save my answers"), type="primary", icon=":material/check:", width="stretch"):
            return [int(a) for a in answers if a is not None]  # wellbeing.submit refuses fewer than five
    if step > 0:
        box.button(
            _("Previous question"), icon=":material/arrow_back:", key="who5-back", on_click=_go, args=(step - 1,)
        )
    return None
