"""Log a request: three taps and Save, made for a phone in one hand."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from monitor.errors import UserError
from monitor.i18n import format_datetime
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import workload_cache
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.guard import require
from monitor.ui.labels import OUTSIDE_REASON_LABELS
from monitor.ui.request_form import request_fields
from monitor.ui.style import touch_targets

actor = require(Role.COPRODUCER)
_ = translator(actor)
touch_targets()
settings = current_settings()
state = st.session_state
state.setdefault("log_form", 0)

st.title(_("Log a request"))

saved = state.get("log_saved")
if state.pop("log_undone", False):
    st.info(_("The request was taken back."), icon=":material/undo:")
if saved:
    request_id, saved_at, outside_reason = saved
    text = _("Saved. Thank you!")
    if outside_reason:
        text += " " + _("This came {reason}.").format(reason=_(OUTSIDE_REASON_LABELS[outside_reason]))
    st.success(text, icon=":material/check_circle:")
    undo_open = datetime.now(UTC) - saved_at < timedelta(seconds=settings.requests.undo_seconds)
    if undo_open and st.button(_("Undo"), icon=":material/undo:", key=f"undo-{request_id}"):
        try:
            requests.undo_request(engine(), settings, actor, request_id)
        except UserError as error:
            st.error(error.render(_))
        else:
            state.pop("log_saved")
            state.log_undone = True
            workload_cache.changed(actor.person_id)
            st.rerun()

today = requests.local_now(settings).date()
data, missing = request_fields(_, f"log-{state.log_form}", settings.tz, today, settings.requests.earlier_days)

if st.button(_("Save"), type="primary", icon=":material/save:", width="stretch"):
    if data is None:
        st.error(missing)
    else:
        try:
            row = requests.log_request(engine(), settings, actor, actor.person_id, data)
        except UserError as error:
            st.error(error.render(_))
        else:
            workload_cache.changed(actor.person_id)
            state.log_saved = (row.id, datetime.now(UTC), row.outside_reason)
            state.log_form += 1  # new widget keys: the form is empty again
            st.rerun()

if saved:
    st.caption(_("Last saved: {when}").format(when=format_datetime(saved[1], actor.language, settings.tz, "short")))
