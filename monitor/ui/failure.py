"""What a person sees when something breaks that they did not cause: a plain message with a short reference, while
the traceback goes to the server log under that reference (never to the browser: showErrorDetails = "none")."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import streamlit as st

log = logging.getLogger("monitor.errors")


def show_unexpected(error: BaseException, gettext: Callable[[str], str]) -> str:
    """Log error with a fresh reference and tell the person, in their language, what to do; returns the reference."""
    reference = secrets.token_hex(4).upper()
    log.error("unexpected error, reference %s", reference, exc_info=error)
    message = gettext(
        "Something went wrong on our side. Try again in a moment. If it keeps happening, "
        "give your administrator this reference: {reference}"
    )
    st.error(message.format(reference=reference), icon=":material/error:")
    return reference
