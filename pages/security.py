"""Administrator: accounts that sign-in failures slow down (and clearing them), the check of the money records, and
the security log."""

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from monitor.i18n import format_datetime
from monitor.people import auth, security_log
from monitor.people.access import Role
from monitor.ui.context import client_ip, current_settings, engine, translator
from monitor.ui.downloads import logged
from monitor.ui.guard import require
from monitor.ui.money import ledger_check
from monitor.ui.text import plain

actor = require(Role.ADMIN)
_ = translator(actor)
settings = current_settings()
db = engine()
lang = actor.language

st.title(_("Security"))

st.header(_("Slowed-down accounts"))
st.caption(
    _(
        "After several wrong passwords an account waits a little longer before each new try. "
        "Browsers that signed in before are not slowed down. Clear an account when its owner cannot get in."
    )
)
slowed = auth.slowed_accounts(db, actor, settings.auth)
if not slowed:
    st.write(_("No account is slowed down now."))
for row in slowed:
    with st.container(border=True, key=f"slowed-{row.username}"):
        until = format_datetime(row.until, lang, settings.tz, "HH:mm:ss")
        st.markdown(
            _("**{username}**: {n} wrong passwords, waits until {time}").format(
                username=plain(row.username), n=row.failures, time=until
            )
        )
        if st.button(_("Clear"), key=f"unlock-{row.username}"):
            auth.unlock(db, actor, row.username, client_ip())
            st.success(_("{username} can sign in again at once.").format(username=plain(row.username)))

ledger_check.draw(db, actor, settings, _)

st.header(_("Security log"))
kinds = ["", *security_log.KINDS]
filters = st.columns(3)
kind = filters[0].selectbox(_("What"), kinds, format_func=lambda k: k or _("everything"))
username = filters[1].text_input(_("Username contains"))
today = datetime.now(settings.tz).date()
since_day = filters[2].date_input(_("From"), value=today - timedelta(days=7), format="DD-MM-YYYY")
since = datetime.combine(since_day, time(0), tzinfo=settings.tz)
rows = security_log.events(db, actor, since=since, kind=kind or None, username=username or None)
if not rows:
    st.write(_("Nothing logged with these filters."))
else:
    table = pd.DataFrame(
        [
            {
                _("When"): format_datetime(r.at, lang, settings.tz, "short"),
                _("What"): r.kind,
                _("Username"): r.username,
                _("Address"): r.address,
                _("Detail"): r.detail,
            }
            for r in rows
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        _("Download as CSV"),
        data=logged(
            actor,
            "security log",
            lambda now: security_log.to_csv(
                security_log.events(db, now, since=since, kind=kind or None, username=username or None)
            ),
        ),
        file_name=f"security-log-{today.isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
