"""An amount in euros typed as the person writes it ("12,50"), instead of st.number_input, which reads "12,50" as 1250.

read() parses it with monitor.i18n.numbers; an entry that can be read two ways ("1.250") is echoed back in the person's
own notation and saved only when they save the same text again (forms that clear on submit: type it again).
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
    """A text field for euros, filled with default in the person's notation ("25,00")."""
    value = format_amount(default, language) if default is not None else ""
    return (where or st).text_input(
        label, value=value, key=key, placeholder=format_amount(Decimal("12.50"), language), **kwargs
    )


def read(text: str, key: str, language: str, _: Callable[[str], str]) -> Decimal | None:
    """The amount in text, or None after showing what is wrong or asking the person to confirm an ambiguous one."""
    try:
        reading = parse_amount(text, language)
    except ValidationError as error:
        show_error(error, _, icon=":material/error:")
        return None
    confirmed = st.session_state.get(f"{key}-confirmed")
    if reading.ambiguous and confirmed != text:
        st.session_state[f"{key}-confirmed"] = text
        st.warning(
            _("{amount}: is that right? Then type it again and save.").format(
                amount=format_money(reading.value, language)
            ),
            icon=":material/help:",
        )
        return None
    st.session_state.pop(f"{key}-confirmed", None)
    return reading.value
