"""Agreements, for project leaders: what each coproducer agreed (the demarcation), its versions, and a new version."""

import streamlit as st

from monitor.i18n import format_date
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.requests.agreements import current_agreement
from monitor.ui import saved
from monitor.ui.birth_month import birth_month_form
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.guard import require
from monitor.ui.requests.agreement_form import agreement_form
from monitor.ui.requests.agreement_view import describe, earlier_versions
from monitor.ui.team_picker import led_teams
from monitor.ui.text import plain

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
lang = actor.language
today = requests.local_now(settings).date()
state = st.session_state

st.title(_("Agreements"))

teams = led_teams(actor)
members = [m for t in teams for m in t.members if Role.COPRODUCER in m.roles]
if not members:
    st.write(_("Your team has no coproducers yet."))
    st.stop()
member = st.selectbox(_("Coproducer"), members, format_func=lambda m: m.display_name)
pid = member.person_id

current = current_agreement(engine(), actor, pid, today, settings.demarcation)
st.header(_("In force today"))
if current.valid_from is None:
    st.caption(
        _("The standard agreement: nothing has been recorded for {name} yet.").format(name=plain(member.display_name))
    )
else:
    st.caption(_("Since {date}").format(date=format_date(current.valid_from, lang, "d MMMM yyyy")))
describe(current, lang, _)
birth_month_form(actor, pid, member.display_name, today)

if agreement_form(actor, pid, current, today, _):
    saved.confirm(
        "agreement", _("The agreement with {name} was saved.").format(name=plain(member.display_name, one_line=True))
    )
saved.show("agreement")  # below the form's Save, where the leader is

earlier_versions(actor, settings, pid, _)
