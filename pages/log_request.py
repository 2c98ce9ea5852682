"""Log a request: three taps and Save, made for a phone in one hand.

After Save the page scrolls to the top, where a confirmation names what was saved, with Undo; the form below starts
fresh, and Save stays in reach at the bottom of the screen. Save with choices missing names each beside its field.
Saving the same request again within a short while asks first, so one request is not logged twice by mistake.
"""

from datetime import UTC, datetime, timedelta

import streamlit as st

from monitor.errors import PermissionDenied, UserError
from monitor.i18n import format_datetime
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.requests.log import RequestInput
from monitor.ui import saved as confirmation
from monitor.ui import workload_cache
from monitor.ui.context import current_actor, current_settings, engine, translator
from monitor.ui.failure import error_text, log_refusal, show_error
from monitor.ui.guard import require
from monitor.ui.labels import OUTSIDE_REASON_LABELS
from monitor.ui.requests.request_form import MISSING, read_fields, request_details, request_fields, summary

REPEAT_WINDOW = timedelta(minutes=2)

actor = require(Role.COPRODUCER)
_ = translator(actor)
settings = current_settings()
state = st.session_state
state.setdefault("log_form", 0)


def save(data: RequestInput) -> None:
    """Log the request; the page shows the confirmation, or the error, where it draws them."""
    try:
        row = requests.log_request(engine(), settings, actor, actor.person_id, data)
    except UserError as error:
        if isinstance(error, PermissionDenied):
            log_refusal(error, actor)
        state.log_error = error_text(error, _)  # shown when the page is drawn, after this callback
        return
    workload_cache.changed(actor.person_id, actor.teams_with(Role.COPRODUCER))
    state.log_saved = (row.id, datetime.now(UTC), row.outside_reason, summary(_, data), data)
    state.log_form += 1  # new widget keys: the form is empty again


def on_save(form: str) -> None:
    """Save's callback: it runs before the page is drawn again, so one run shows the result (no second run)."""
    # A callback runs before home.py checks the session; check it here, so an ended session saves nothing.
    checked = current_actor()
    if checked is None or checked.person_id != actor.person_id or not checked.has_role(Role.COPRODUCER):
        return
    data, _missing = read_fields(_, form, settings.tz, requests.local_now(settings).date())
    saved = state.get("log_saved")
    if data is None:  # every missing choice is named beside its field; the first is scrolled into view
        state.log_checked = (form, state.get("log_checked", (form, 0))[1] + 1)
    elif saved and saved[4] == data and datetime.now(UTC) - saved[1] < REPEAT_WINDOW:
        state.log_repeat = True  # kept until answered, so that the answer's rerun still shows the question
    else:
        save(data)


@st.dialog(_("Save again?"), on_dismiss=lambda: state.pop("log_repeat", None))
def confirm_repeat(data: RequestInput) -> None:
    st.write(_("You saved this a moment ago. Save it again?"))
    if st.button(_("Yes, save it again"), type="primary", width="stretch"):
        state.pop("log_repeat", None)
        save(data)
        st.rerun()
    if st.button(_("No, it is saved once"), width="stretch"):
        state.pop("log_repeat", None)
        st.rerun()


st.title(_("Log a request"))

saved = state.get("log_saved")
if state.pop("log_undone", False):
    st.info(_("The request was taken back."), icon=":material/undo:")
if saved:
    request_id, saved_at, outside_reason, what, _data = saved
    text = _("Saved: {what}").format(what=what)
    if outside_reason:
        text += ". " + _("This came {reason}.").format(reason=_(OUTSIDE_REASON_LABELS[outside_reason]))
    box = confirmation.notice("log", text, request_id)  # at the top, scrolled into view; Undo in the same box
    undo_open = datetime.now(UTC) - saved_at < timedelta(seconds=settings.requests.undo_seconds)
    if undo_open and box.button(_("Undo"), icon=":material/undo:", key=f"undo-{request_id}"):
        try:
            requests.undo_request(engine(), settings, actor, request_id)
        except UserError as error:
            show_error(error, _)
        else:
            state.pop("log_saved")
            state.log_undone = True
            workload_cache.changed(actor.person_id, actor.teams_with(Role.COPRODUCER))
            st.rerun()

today = requests.local_now(settings).date()
form = f"log-{state.log_form}"
checked = state.get("log_checked")
check = checked is not None and checked[0] == form
data, missing = request_fields(_, form, settings.tz, today, settings.requests.earlier_days, check=check, details=False)
if check and missing:
    first = next((f for f in MISSING if state.get(f"{form}-{f}") in (None, [])), "channel")
    confirmation.scroll_into_view(f"{form}-missing-{first}", checked[1])

st.button(
    _("Save"), type="primary", icon=":material/save:", width="stretch", on_click=on_save, args=(form,), key="log-save"
)
if error := state.pop("log_error", None):
    st.error(error)
request_details(_, form)  # optional, folded away: below Save, which stays in the first screen of a phone
if state.get("log_repeat") and data is not None:
    confirm_repeat(read_fields(_, form, settings.tz, today)[0] or data)  # with the details drawn below Save

if saved:
    st.caption(_("Last saved: {when}").format(when=format_datetime(saved[1], actor.language, settings.tz, "short")))
st.link_button(_("Quick log, also without signal"), "/snel/", icon=":material/bolt:", width="stretch")
