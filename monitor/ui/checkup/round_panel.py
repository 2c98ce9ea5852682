"""The leader's rounds of the check-up: open one, make one-time links for partner professionals, close it, and the
earlier rounds."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monitor.checkup import rounds
from monitor.config import Settings
from monitor.errors import UserError
from monitor.i18n import LANGUAGE_NAMES, Np_, counted
from monitor.people.access import Actor
from monitor.ui.context import engine
from monitor.ui.failure import show_error


def _invite_links(actor: Actor, settings: Settings, round_id: int, _: Callable[[str], str]) -> None:
    with st.expander(_("Links for partner professionals")):
        st.write(
            _("Each link works once and holds no name. Send one to each partner yourself; they are shown only now.")
        )
        with st.form("invites"):
            count = st.number_input(_("How many links"), min_value=1, max_value=rounds.MAX_INVITES, value=3)
            language = st.selectbox(_("Language"), list(LANGUAGE_NAMES), format_func=LANGUAGE_NAMES.get)
            made = st.form_submit_button(_("Make links"))
        if made:
            try:
                tokens = rounds.make_invites(engine(), actor, round_id, int(count), language)
            except UserError as error:
                show_error(error, _)
            else:
                base = settings.email.app_url.rstrip("/")
                st.code("\n".join(f"{base}/api/checkup/{token}" for token in tokens), language=None)


def round_panel(
    actor: Actor, settings: Settings, team_id: int, when: Callable[[object], str], _: Callable[[str], str]
) -> bool:
    """when: a round's date as the reader writes it. True when a round was opened or closed."""
    team_rounds = rounds.rounds(engine(), actor, team_id)
    current = next((r for r in team_rounds if r.is_open), None)
    if current is None:
        st.write(_("No round is open. Open one when the team wants to look at how the collaboration goes."))
        if st.button(_("Open a new round"), type="primary"):
            try:
                rounds.open_round(engine(), actor, team_id)
            except UserError as error:
                show_error(error, _)
            else:
                return True
    else:
        st.write(
            counted(
                _,
                Np_(
                    "Round opened on {date}: {count} person answered so far.",
                    "Round opened on {date}: {count} people answered so far.",
                ),
                current.respondents,
            ).format(date=when(current.opened_at), count=current.respondents)
        )
        _invite_links(actor, settings, current.id, _)
        st.write(_("Results show after you close the round, when at least 3 people answered."))
        if st.button(_("Close the round")):
            rounds.close_round(engine(), actor, current.id)
            return True
    earlier = [r for r in team_rounds if not r.is_open]
    if earlier:
        st.header(_("Earlier rounds"))
        for r in earlier:
            st.write(
                counted(
                    _, Np_("{date}: {count} person answered.", "{date}: {count} people answered."), r.respondents
                ).format(date=when(r.opened_at), count=r.respondents)
            )
    return False
