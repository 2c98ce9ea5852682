"""Messages: everyone's inbox of notifications, newest first, unread in bold."""

import streamlit as st

from monitor.i18n import format_datetime
from monitor.messages import inbox
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.guard import require
from monitor.ui.navigation import spec_for_url
from monitor.ui.text import plain

actor = require()
_ = translator(actor)
db = engine()


st.title(_("Messages"))
items = inbox.list_notifications(db, actor, limit=100)
if not items:
    st.info(_("No messages yet."))
elif any(not item.read for item in items) and st.button(_("Mark all as read"), icon=":material/done_all:"):
    inbox.mark_all_read(db, actor)
    st.rerun()

for item in items:
    with st.container(border=True):
        body = plain(item.text)
        st.markdown(body if item.read else "**" + body.replace("  \n", "**  \n**") + "**")
        st.caption(format_datetime(item.created_at, actor.language, current_settings().tz, "short"))
        page = spec_for_url(actor, item.link)
        left, right = st.columns(2)
        if page is not None:
            left.page_link(page.path, label=_(page.title), icon=page.icon)
        if not item.read and right.button(_("Mark as read"), key=f"read-{item.id}"):
            inbox.mark_read(db, actor, item.id)
            st.rerun()
