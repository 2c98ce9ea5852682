"""Emergency fund, for project leaders: the balance, top-ups and payouts (who handed it out, for what kind of problem,
never a resident's name), and reversing a mistake."""

from decimal import Decimal

import streamlit as st

from monitor.config import TOPICS
from monitor.errors import UserError
from monitor.i18n import format_date
from monitor.money import emergency_fund
from monitor.money.amounts import to_cents
from monitor.people.access import Role
from monitor.requests import log as requests
from monitor.ui import saved
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.labels import TOPIC_LABELS_WITH_OTHER
from monitor.ui.money import amount_input
from monitor.ui.money.money_labels import FUND_KIND_LABELS, money
from monitor.ui.team_picker import choose_team
from monitor.ui.text import plain

actor = require(Role.LEADER)
_ = translator(actor)
settings = current_settings()
lang = actor.language
today = requests.local_now(settings).date()
state = st.session_state

st.title(_("Emergency fund"))

team = choose_team(actor, _)
members = {m.person_id: m.display_name for m in team.members}


def done(where: str, message: str) -> None:
    """Say what was saved below the form that saved it, in the same tab."""
    state.pop("fund_reverse", None)
    saved.confirm(where, message)


balance = emergency_fund.balance(engine(), actor, team.id)
st.metric(_("Balance"), money(to_cents(balance), lang), border=True)
if balance < settings.allowances.fund_low:
    st.warning(
        _("The fund is below {low}. Top it up in time.").format(
            low=money(to_cents(settings.allowances.fund_low), lang)
        ),
        icon=":material/savings:",
    )

payout_tab, topup_tab = saved.tabs([_("Payout"), _("Top-up")], "fund-tab")
with payout_tab, st.form(form := saved.fresh("payout"), border=False):
    amount_text = amount_input.amount_input(_("Amount (€)"), f"{form}-amount", lang, Decimal(25))
    who = st.selectbox(_("Handed out by"), list(members), format_func=lambda p: members[p])
    topic = st.selectbox(_("Kind of problem"), [*TOPICS, "other"], format_func=lambda t: _(TOPIC_LABELS_WITH_OTHER[t]))
    on = st.date_input(_("Date"), value=today, max_value=today, format="DD-MM-YYYY", key=f"{form}-date")
    note = st.text_input(_("Note (optional, never a name)"), max_chars=emergency_fund.NOTE_MAX, key=f"{form}-note")
    if st.form_submit_button(_("Save the payout"), type="primary", icon=":material/save:") and (
        (amount := amount_input.read(amount_text, f"{form}-amount", lang, _)) is not None
    ):
        try:
            emergency_fund.pay_out(engine(), settings, actor, team.id, amount, on, who, topic, note, today)
        except UserError as error:
            show_error(error, _)
        else:
            done("payout", _("The payout was saved."))
with payout_tab:
    saved.show("payout")
with topup_tab, st.form(form := saved.fresh("topup"), border=False):
    amount_text = amount_input.amount_input(_("Amount (€)"), f"{form}-amount", lang, Decimal(100))
    on = st.date_input(_("Date"), value=today, max_value=today, format="DD-MM-YYYY", key=f"{form}-date")
    note = st.text_input(_("Note (optional)"), max_chars=emergency_fund.NOTE_MAX, key=f"{form}-note")
    if st.form_submit_button(_("Save the top-up"), type="primary", icon=":material/save:") and (
        (amount := amount_input.read(amount_text, f"{form}-amount", lang, _)) is not None
    ):
        try:
            emergency_fund.top_up(engine(), actor, team.id, amount, on, note, today)
        except UserError as error:
            show_error(error, _)
        else:
            done("topup", _("The top-up was saved."))
with topup_tab:
    saved.show("topup")

st.header(_("Fund entries"))
saved.show("fund-entries")
entries = emergency_fund.entries(engine(), actor, team.id)
if not entries:
    st.write(_("No entries yet."))
for entry in entries:
    with st.container(border=True, key=f"fund-{entry.id}"):
        st.markdown(f"**{money(entry.amount_cents, lang)}** · {_(FUND_KIND_LABELS[entry.kind])}")
        parts = [format_date(entry.on_date, lang, "d MMM yyyy")]
        parts += [
            p
            for p in (
                plain(entry.handed_out_by),
                entry.topic and _(TOPIC_LABELS_WITH_OTHER[entry.topic]),
                plain(entry.note),
            )
            if p
        ]
        st.caption(" · ".join(parts))
        if entry.reverses_id or entry.reversed_by:
            st.caption(_("Reversal") if entry.reverses_id else _("Reversed"))
        elif entry.from_payment:
            st.caption(_("From the payments ledger (payment #{id})").format(id=entry.from_payment))
        elif state.get("fund_reverse") == entry.id:
            reason = st.text_input(_("Why is it reversed?"), key=f"fund-reason-{entry.id}")
            if st.button(_("Reverse"), type="primary", key=f"fund-reverse-save-{entry.id}"):
                try:
                    emergency_fund.reverse_entry(engine(), actor, entry.id, reason, today)
                except UserError as error:
                    show_error(error, _)
                else:
                    done("fund-entries", _("The entry was reversed."))
        elif st.button(_("Reverse"), icon=":material/undo:", key=f"fund-reverse-{entry.id}"):
            state.fund_reverse = entry.id
            st.rerun()
