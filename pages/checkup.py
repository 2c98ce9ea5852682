"""Collaboration check-up: coproducers and leaders answer the 26 statements anonymously; the team sees the results of a
closed round with enough answers; the leader opens and closes rounds and makes one-time links for partners."""

import streamlit as st

from monitor.checkup import export, rounds, scoring
from monitor.checkup.statements import DIMENSIONS, SCALE, SCALE_LABELS, SOURCE, wording
from monitor.config import Settings
from monitor.errors import UserError
from monitor.i18n import LANGUAGE_NAMES, format_datetime
from monitor.people.access import Role
from monitor.ui.context import current_settings, engine, translator
from monitor.ui.failure import show_error
from monitor.ui.guard import require
from monitor.ui.reports.report_charts import BAR, LOW, bars
from monitor.ui.team_picker import choose_team

actor = require()
_ = translator(actor)
settings: Settings = current_settings()
if not (actor.has_role(Role.COPRODUCER) or actor.has_role(Role.LEADER)):
    st.error(_("You do not have access to this page."))
    st.stop()


try:
    STATEMENTS = wording(settings.checkup.statements_file, actor.language, _)  # an organisation may word them itself
except ValueError as problem:  # the organisation's file is wrong: say which and what, for whoever keeps config.toml
    st.error(_("The statements file in config.toml cannot be used: {problem}").format(problem=problem))
    st.stop()


def when(moment) -> str:  # type: ignore[no-untyped-def]
    return format_datetime(moment, actor.language, settings.tz, "d MMM y")


st.title(_("Collaboration check-up"))
st.caption(_("How does our teamwork go? 26 statements in six parts. Source: {source}.").format(source=SOURCE))
is_leader = actor.has_role(Role.LEADER)
tab_names = [_("Answer"), _("Results")] + ([_("Rounds")] if is_leader else [])
tabs = st.tabs(tab_names)

with tabs[0]:
    open_rounds = rounds.rounds_to_answer(engine(), actor)
    if st.session_state.get("checkup-saved"):
        st.success(_("Thank you! Your answers are saved without your name."))
    if not open_rounds:
        st.write(_("There is no check-up for you to answer now."))
    else:
        current = open_rounds[0]
        st.write(_("Say how much you agree with each statement. Nobody sees who answered what, also not your leader."))
        with st.form(f"checkup-{current.id}"):
            answers = {}
            for dimension in DIMENSIONS:
                st.header(_(dimension.title))
                for item in dimension.items:
                    answers[item] = st.radio(
                        f"{item}. {STATEMENTS[item]}",
                        SCALE,
                        index=None,
                        format_func=lambda v: _(SCALE_LABELS[v]),
                        key=f"s{item}",
                    )
            sent = st.form_submit_button(_("Send my answers"), type="primary")
        if sent:
            try:
                given = {item: value for item, value in answers.items() if value is not None}
                rounds.answer(engine(), actor, current.id, given)
            except UserError as error:
                show_error(error, _)
            else:
                st.session_state["checkup-saved"] = True
                st.rerun()

with tabs[1]:
    closed = rounds.closed_rounds(engine(), actor)
    if not closed:
        st.write(_("No closed round yet. Results show after the leader closes a round."))
    else:
        chosen = st.selectbox(
            _("Round"), closed, format_func=lambda r: _("Round of {date}").format(date=when(r.opened_at))
        )
        result = rounds.results(engine(), actor, chosen.id)
        scores, previous = result.scores, result.previous
        if scores is None:
            st.info(
                _("Results show only when at least {least} people answered; {count} did.").format(
                    least=rounds.MIN_RESPONDENTS, count=chosen.respondents
                )
            )
        else:
            overall = scoring.shown(scores.overall)
            before = scoring.shown(previous.overall) if previous else None
            st.metric(
                _("All statements (0-100)"),
                overall,
                delta=(overall - before) if before is not None and overall is not None else None,
            )
            st.caption(_("{count} people answered.").format(count=scores.respondents))
            st.header(_("Per part"))
            st.plotly_chart(
                bars(
                    [_(d.title) for d in DIMENSIONS],
                    [scoring.shown(scores.dimensions.get(d.code)) or 0 for d in DIMENSIONS],
                ),
                config={"displayModeBar": False, "responsive": True},
                key="dimensions",
            )
            if previous:
                st.caption(
                    _("The round before: {scores}.").format(
                        scores=", ".join(
                            f"{_(d.title)} {scoring.shown(previous.dimensions.get(d.code))}" for d in DIMENSIONS
                        )
                    )
                )
            lowest = scoring.lowest(scores)
            st.header(_("To talk about together"))
            st.write(_("The statements with the lowest scores. They start the conversation; they are not a grade."))
            for item in lowest:
                st.warning(f"**{scoring.shown(scores.items[item])}** · {item}. {STATEMENTS[item]}")
            st.header(_("Per statement"))
            items = sorted(scores.items)
            st.plotly_chart(
                bars(
                    [f"{i}. {STATEMENTS[i][:48]}" for i in items],
                    [scoring.shown(scores.items[i]) or 0 for i in items],
                    [LOW if i in lowest else BAR for i in items],
                ),
                config={"displayModeBar": False, "responsive": True},
                key="items",
            )
            st.download_button(
                _("Excel"),
                data=lambda: export.workbook(result, actor.language, STATEMENTS),
                file_name=f"checkup-{chosen.opened_at:%Y%m%d}.xlsx",
                icon=":material/table:",
            )

if is_leader:
    with tabs[2]:
        team = choose_team(actor, _)
        team_rounds = rounds.rounds(engine(), actor, team.id)
        current = next((r for r in team_rounds if r.is_open), None)
        if current is None:
            st.write(_("No round is open. Open one when the team wants to look at how the collaboration goes."))
            if st.button(_("Open a new round"), type="primary"):
                try:
                    rounds.open_round(engine(), actor, team.id)
                except UserError as error:
                    show_error(error, _)
                else:
                    st.rerun()
        else:
            st.write(
                _("Round opened on {date}: {count} people answered so far.").format(
                    date=when(current.opened_at), count=current.respondents
                )
            )
            with st.expander(_("Links for partner professionals")):
                st.write(
                    _(
                        "Each link works once and holds no name. Send one to each partner yourself; "
                        "they are shown only now."
                    )
                )
                with st.form("invites"):
                    count = st.number_input(_("How many links"), min_value=1, max_value=rounds.MAX_INVITES, value=3)
                    language = st.selectbox(_("Language"), list(LANGUAGE_NAMES), format_func=LANGUAGE_NAMES.get)
                    made = st.form_submit_button(_("Make links"))
                if made:
                    try:
                        tokens = rounds.make_invites(engine(), actor, current.id, int(count), language)
                    except UserError as error:
                        show_error(error, _)
                    else:
                        base = settings.email.app_url.rstrip("/")
                        st.code("\n".join(f"{base}/api/checkup/{token}" for token in tokens), language=None)
            st.write(_("Results show after you close the round, when at least 3 people answered."))
            if st.button(_("Close the round")):
                rounds.close_round(engine(), actor, current.id)
                st.rerun()
        earlier = [r for r in team_rounds if not r.is_open]
        if earlier:
            st.header(_("Earlier rounds"))
            for r in earlier:
                st.write(_("{date}: {count} people answered.").format(date=when(r.opened_at), count=r.respondents))
