"""My requests: what I logged in the last weeks; correct or delete an entry within a few days; import older logs."""

from datetime import timedelta

import streamlit as st

from monitor.errors import UserError
from monitor.i18n import Np_, counted, format_datetime
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.requests.log import RequestRow
from monitor.ui import saved, workload_cache
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.labels import CHANNEL_ICONS, CHANNEL_LABELS, OUTSIDE_REASON_LABELS, TOPIC_LABELS_WITH_OTHER
from monitor.ui.requests.import_panel import import_panel
from monitor.ui.requests.request_form import request_fields
from monitor.ui.style import touch_targets
from monitor.ui.text import plain

actor = require(Role.COPRODUCER)
_ = translator(actor)
touch_targets()
settings = current_settings()
today = requests.local_now(settings).date()


state = st.session_state


def correct(row: RequestRow) -> None:
    """The correction form, in place of the entry."""
    st.markdown("**" + _("Correct a request") + "**")
    data, missing = request_fields(_, f"fix-{row.id}", settings.tz, today, settings.requests.earlier_days, row)
    left, right = st.columns(2)
    if left.button(_("Save the correction"), type="primary", width="stretch", key=f"fix-save-{row.id}"):
        if data is None:
            st.error(missing)
            return
        try:
            requests.correct_request(engine(), settings, actor, row.id, data)
        except UserError as error:
            show_error(error, _)
            return
        finish(_("The request was corrected."), f"request-{row.id}")
    if right.button(_("Cancel"), width="stretch", key=f"fix-cancel-{row.id}"):
        finish(None)


def confirm_delete(row: RequestRow) -> None:
    st.warning(_("Delete this request? It will no longer count in your totals. This cannot be undone."))
    left, right = st.columns(2)
    if left.button(_("Yes, delete"), type="primary", width="stretch", key=f"del-yes-{row.id}"):
        try:
            requests.delete_request(engine(), settings, actor, row.id)
        except UserError as error:
            show_error(error, _)
            return
        finish(_("The request was deleted."))
    if right.button(_("No, keep it"), width="stretch", key=f"del-no-{row.id}"):
        finish(None)


def finish(notice: str | None, where: str = "my-requests") -> None:
    """Close the open action; say what was done at where (the entry itself, or the top when it is gone)."""
    workload_cache.changed(actor.person_id, actor.teams_with(Role.COPRODUCER))
    state.pop("my_requests_action", None)
    if notice:
        saved.remember(where, notice)
    st.rerun()


def describe(row: RequestRow) -> str:
    when = format_datetime(row.local, actor.language, settings.tz, "EEE d MMM HH:mm")
    topics = ", ".join(_(TOPIC_LABELS_WITH_OTHER[t]) for t in row.topics)
    text = f"**{when}** · {row.minutes} min · {CHANNEL_ICONS[row.channel]} {_(CHANNEL_LABELS[row.channel])} · {topics}"
    if row.outside_reason:
        text += " · :red[" + _(OUTSIDE_REASON_LABELS[row.outside_reason]) + "]"
    return text


st.title(_("My requests"))
saved.show("my-requests")

weeks = st.segmented_control(
    _("Show"),
    [1, 4, 8],
    default=4,
    format_func=lambda w: (
        _("this week") if w == 1 else counted(_, Np_("{weeks} week", "{weeks} weeks"), w).format(weeks=w)
    ),
)
start = requests.week_start(today) - timedelta(weeks=(weeks or 4) - 1)
rows = requests.list_requests(engine(), settings, actor, actor.person_id, start, today)
if not rows:
    st.write(_("No requests in this period."))
st.caption(
    counted(
        _,
        Np_(
            "You can correct or delete a request up to {days} day after you logged it.",
            "You can correct or delete a request up to {days} days after you logged it.",
        ),
        settings.requests.correct_days,
    ).format(days=settings.requests.correct_days)
)
for row in rows:
    with st.container(border=True):
        st.markdown(describe(row))
        saved.show(f"request-{row.id}")
        if row.note:
            st.caption(plain(row.note))
        action = state.get("my_requests_action")
        if action == ("correct", row.id):
            correct(row)
        elif action == ("delete", row.id):
            confirm_delete(row)
        elif row.can_correct:
            buttons = st.container(horizontal=True)
            if buttons.button(_("Correct"), icon=":material/edit:", key=f"fix-{row.id}"):
                state.my_requests_action = ("correct", row.id)
                st.rerun()
            if buttons.button(_("Delete"), icon=":material/delete:", key=f"del-{row.id}"):
                state.my_requests_action = ("delete", row.id)
                st.rerun()

with st.expander(_("Import older requests"), icon=":material/upload_file:"):
    import_panel(_, actor, settings, "own-import")
