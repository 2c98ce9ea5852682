"""E-mails that were marked failed (the mail server refused them, or a worker stopped while sending), on the
administrator's page: the inbox copy exists, but the e-mail may be gone. "Send again" puts one back in the queue; it
may then arrive twice."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from monitor.config import Settings
from monitor.i18n import format_datetime
from monitor.messages import failed_mail
from monitor.people.access import Actor
from monitor.ui.context import engine
from monitor.ui.failure import attempt


def failed_mail_list(actor: Actor, settings: Settings, _: Callable[[str], str]) -> bool:
    """True when an e-mail was put back in the queue."""
    db = engine()
    failed = failed_mail.failed_emails(db, actor)
    tz = settings.tz
    st.header(_("E-mails not sent ({count})").format(count=failed_mail.count_failed(db, actor)))
    if not failed:
        st.caption(_("Every e-mail was sent."))
        return False
    st.dataframe(
        [
            {
                _("To"): f"{f.display_name} ({f.username})",
                _("What"): f.kind,
                _("When"): format_datetime(f.created_at, actor.language, tz, "short"),
                _("Why"): f.error,
            }
            for f in failed
        ],
        hide_index=True,
        width="stretch",
    )
    labels = {
        f.id: f"{f.display_name} · {f.kind} · {format_datetime(f.created_at, actor.language, tz)}" for f in failed
    }
    again = st.selectbox(_("E-mail"), list(labels), format_func=labels.get, key="failed_email")
    st.warning(_("The e-mail may already have arrived: sending it again may deliver it twice."))
    return st.button(_("Send again"), key="send_again") and attempt(
        lambda: failed_mail.send_again(db, actor, again), _("The e-mail goes out within a minute."), _
    )
