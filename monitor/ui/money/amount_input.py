"""An amount in euros typed as the person writes it ("12,50"), instead of st.number_input, which reads "12,50" as 1250.

read() parses it with monitor.i18n.numbers; an entry that can be read two ways ("1.250") is echoed back in the person's
own notation ("€ 1.250,00: is that right?") and saved only when they save the same text again. While it asks, the field
keeps what was typed, also in a form that clears on submit: the page runs once more and puts the text back, so saving
again saves that amount, never the field's first value.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import streamlit as st

from monitor.errors import ValidationError
from monitor.i18n.numbers import format_amount, format_money, parse_amount
from monitor.ui.failure import show_error


def amount_input(
    label: str, key: str, language: str, default: Decimal | None = None, where: Any = None, **kwargs: Any
) -> str:
    """A text field for euros, filled with default in the person's notation ("25,00"); while read() asks whether an
    amount is right, the field holds what was typed and the question stands below it."""
    state = st.session_state
    restore = state.pop(f"{key}-restore", None)
    if restore is not None:
        state[key] = restore  # before the field is drawn: the form cleared it on submit
    value = format_amount(default, language) if default is not None else ""
    text = (where or st).text_input(
        label,
        value=value,  # the same every run: a different value would be a different field to Streamlit
        key=key,
        placeholder=format_amount(Decimal("12.50"), language),
        **kwargs,
    )
    asking = state.get(f"{key}-asking")
    if asking is not None and asking[0] == text:
        st.warning(asking[1], icon=":material/help:")
    return text


def read(text: str, key: str, language: str, _: Callable[[str], str]) -> Decimal | None:
    """The amount in text, or None after showing what is wrong or asking the person to confirm an ambiguous one."""
    try:
        reading = parse_amount(text, language)
    except ValidationError as error:
        show_error(error, _, icon=":material/error:")
        return None
    state = st.session_state
    asking = state.get(f"{key}-asking")
    if reading.ambiguous and (asking is None or asking[0] != text):
        question = _("{amount}: is that right? Then save again.").format(amount=format_money(reading.value, language))
        state[f"{key}-asking"] = (text, question)
        state[f"{key}-restore"] = text
        st.rerun()  # amount_input puts the text back and asks
    state.pop(f"{key}-asking", None)
    return reading.value
