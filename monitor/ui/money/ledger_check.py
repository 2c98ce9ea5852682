"""The Security page's part about the money records: the last daily check of the ledger's hash chains, a check on
request that names the first entry that differs, and a warning when the app's database role could rewrite them."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from monitor.config import Settings
from monitor.i18n import format_datetime
from monitor.money import integrity
from monitor.operations import db_roles
from monitor.people.access import Actor
from monitor.ui.text import plain


def draw(db: Engine, actor: Actor, settings: Settings, _: Callable[[str], str]) -> None:
    st.header(_("Money records"))
    st.caption(
        _(
            "Every payment and every entry of the emergency fund is linked to the one before it by a checksum. "
            "A change made outside the app breaks the link and shows here. The check runs every day."
        )
    )
    for message, params in db_roles.warnings_for(db, actor):
        st.warning(_(message).format(**{k: plain(v) for k, v in params.items()}), icon=":material/warning:")
    last = integrity.last_daily(db, actor)
    if last is None:
        st.write(_("The daily check has not run yet."))
    else:
        when = format_datetime(last.at, actor.language, settings.tz, "short")
        if last.intact:
            st.write(_("Last daily check, {time}: all as the app wrote it.").format(time=when))
        else:
            st.write(_("Last daily check, {time}: changed outside the app.").format(time=when))
    if st.button(_("Check the money records now"), key="ledger-verify"):
        verdict = integrity.verify_for(db, actor)
        if verdict.intact:
            counts = {table: n for table, (n, _head) in verdict.heads.items()}
            st.success(
                _("All as the app wrote it. Payments: {payments}. Emergency fund entries: {fund}.").format(
                    payments=counts.get("payments", 0), fund=counts.get("fund_entries", 0)
                )
            )
        else:
            st.error(_("The money records were changed outside the app. What differs:"))
            for problem in verdict.problems:
                st.markdown(f"- {plain(problem.render(_, actor.language))}")
